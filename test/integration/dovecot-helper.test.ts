import { mkdtempSync, rmSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterAll, describe, expect, it } from 'vitest';

import { type Dovecot, dovecotBinary, startDovecot } from '../helpers/dovecot.js';

const KEYWORD = 'rr_forwarded';

function message(subject: string, id: string): string {
  return [
    'From: Sender <sender@example.org>',
    'To: Reader <rr@example.org>',
    `Subject: ${subject}`,
    `Message-ID: <${id}@example.org>`,
    'Date: Mon, 02 Jun 2025 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of ${subject}.`,
    '',
  ].join('\r\n');
}

/** Runs `fn` with a logged-in client holding the INBOX lock, then logs out. */
async function withInbox<T>(dovecot: Dovecot, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      return await fn(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

describe('test helper: private dovecot', () => {
  // Our own data dir, so the second start sees the first one's mail store; removed at the end.
  const dir = mkdtempSync('/tmp/rr-dovecot-test-');
  const running: Dovecot[] = [];
  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the dovecot binary', () => {
    expect(dovecotBinary()).toMatch(/dovecot$/);
  });

  let firstUid = 0;
  let secondUid = 0;
  let uidValidity = 0n;

  it('starts, appends, fetches by UID, flags with a keyword and searches by unKeyword', async () => {
    const dovecot = await startDovecot({ dir });
    running.push(dovecot);
    expect(dovecot.host).toBe('127.0.0.1');
    expect(dovecot.url).toBe(`imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/`);

    await withInbox(dovecot, async (client) => {
      const first = await client.append('INBOX', message('First', 'one'));
      const second = await client.append('INBOX', message('Second', 'two'), ['\\Seen']);
      expect(first && first.uid).toBeTypeOf('number');
      expect(second && second.uid).toBeTypeOf('number');
      firstUid = (first as { uid: number }).uid;
      secondUid = (second as { uid: number }).uid;
      uidValidity = BigInt((first as { uidValidity: bigint }).uidValidity);

      const fetched = await client.fetchOne(String(firstUid), { envelope: true, source: true, flags: true }, { uid: true });
      expect(fetched).toBeTruthy();
      if (!fetched) return;
      expect(fetched.uid).toBe(firstUid);
      expect(fetched.envelope?.subject).toBe('First');
      expect(fetched.envelope?.messageId).toBe('<one@example.org>');
      expect(fetched.source?.toString()).toContain('Body of First.');

      expect(await client.messageFlagsAdd(String(firstUid), [KEYWORD], { uid: true })).toBe(true);
      const flagged = await client.fetchOne(String(firstUid), { flags: true }, { uid: true });
      expect(flagged && [...(flagged.flags ?? [])]).toContain(KEYWORD);

      expect(await client.search({ unKeyword: KEYWORD }, { uid: true })).toEqual([secondUid]);
      expect(await client.search({ keyword: KEYWORD }, { uid: true })).toEqual([firstUid]);
    });

    await dovecot.stop();
    // Stopped means stopped: nothing listens on the port any more.
    await expect(new ImapFlow({ ...dovecot.imapOptions(), connectionTimeout: 2_000 }).connect()).rejects.toThrow();
  });

  it('a restart on the same dir keeps the messages, UIDs and flags', async () => {
    expect(firstUid).toBeGreaterThan(0);
    const dovecot = await startDovecot({ dir });
    running.push(dovecot);

    await withInbox(dovecot, async (client) => {
      const mailbox = client.mailbox;
      expect(mailbox && mailbox.exists).toBe(2);
      expect(mailbox && BigInt(mailbox.uidValidity)).toBe(uidValidity);

      const all = [];
      for await (const msg of client.fetch('1:*', { envelope: true, flags: true }, { uid: true })) all.push(msg);
      expect(all.map((m) => [m.uid, m.envelope?.subject])).toEqual([
        [firstUid, 'First'],
        [secondUid, 'Second'],
      ]);
      expect([...(all[0]!.flags ?? [])]).toContain(KEYWORD);
      expect([...(all[1]!.flags ?? [])]).toEqual(['\\Seen']);

      expect(await client.search({ unKeyword: KEYWORD }, { uid: true })).toEqual([secondUid]);
    });

    await dovecot.stop();
  });
});
