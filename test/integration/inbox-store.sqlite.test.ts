import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import type { InboxEntry } from '../../src/newsletters/inbox/port.js';
import { createSqliteInboxStore } from '../../src/newsletters/inbox/sqlite.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { subscriptionInputSchema } from '../../src/subscriptions/model.js';
import { createSqliteSubscriptionStore } from '../../src/subscriptions/sqlite.js';
import { createSqliteWebhookStore } from '../../src/webhooks/sqlite.js';
import { runInboxStoreContract } from '../contract/inbox-store.contract.js';
import { makeArticle } from '../helpers/factories.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'rr-inbox-')), 'subscribers.sqlite');
const RAW = Buffer.concat([Buffer.from('From: news@example.no\r\nSubject: Bekreft\r\n\r\n'), Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28]), Buffer.from('\r\n')]);
const entry = (over: Partial<InboxEntry> = {}): InboxEntry => ({
  id: 'msg-a',
  messageId: '<1@example.no>',
  receivedAt: '2026-11-30T07:00:00.000Z',
  arrival: { via: 'smtp', recipients: ['inbox@radar.example.org'], ip: '192.0.2.25', helo: 'mx.example.no', mailFrom: 'bounce@example.no' },
  from: 'news@example.no',
  fromName: 'Nyhetsbrev',
  subject: 'Bekreft',
  listId: '<nyhetsbrev.example.no>',
  reason: 'no newsletter source lists the sender news@example.no',
  mailAuth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
  status: 'new',
  size: RAW.length,
  raw: RAW,
  ...over,
});
const withoutRaw = ({ raw: _, ...message }: InboxEntry) => message;
/** The file's schema as SQLite records it, and the version only the article store owns. */
const schemaOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as Array<{ name: string }>;
    return { objects, userVersion: db.pragma('user_version', { simple: true }) as number };
  } finally {
    db.close();
  }
};

runInboxStoreContract({
  name: 'SQLite (in memory)',
  create: async () => createSqliteInboxStore(':memory:'),
});

runInboxStoreContract({
  name: 'SQLite (file, WAL)',
  create: async () => createSqliteInboxStore(tempFile()),
  additionalTests: () => {
    it('two stores on one file (two processes) see each other\'s writes, and one put of an id wins', async () => {
      const file = tempFile();
      const [one, two] = [createSqliteInboxStore(file), createSqliteInboxStore(file)];
      expect(await one.put(entry())).toBe(true);
      expect(await two.get('msg-a')).toStrictEqual(entry());
      expect(await two.markAssigned('msg-a', 'nyhetsbrev-nord')).toBe(true);
      expect(await one.list({ status: 'assigned' })).toStrictEqual([{ ...withoutRaw(entry()), status: 'assigned', sourceId: 'nyhetsbrev-nord' }]);
      const results = await Promise.all([one.put(entry({ id: 'msg-b', subject: 'from one' })), two.put(entry({ id: 'msg-b', subject: 'from two' }))]);
      expect([...results].sort()).toEqual([false, true]);
      const winner = results[0] ? 'from one' : 'from two';
      expect((await one.get('msg-b'))!.subject).toBe(winner);
      expect((await two.get('msg-b'))!.subject).toBe(winner);
      await one.close();
      await two.close();
    });

    it('keeps entries, their bytes and their status across a reopen', async () => {
      const file = tempFile();
      const first = createSqliteInboxStore(file);
      await first.put(entry());
      await first.put(entry({ id: 'msg-b', arrival: { via: 'imap', mailbox: 'INBOX' }, receivedAt: '2026-11-30T08:00:00.000Z' }));
      await first.dismiss('msg-b');
      await first.close();
      const second = createSqliteInboxStore(file);
      const got = (await second.get('msg-a'))!;
      expect(got).toStrictEqual(entry());
      expect(got.raw.equals(RAW)).toBe(true);
      expect(await second.get('msg-b')).toStrictEqual(entry({ id: 'msg-b', arrival: { via: 'imap', mailbox: 'INBOX' }, receivedAt: '2026-11-30T08:00:00.000Z', status: 'dismissed' }));
      expect(await second.put(entry())).toBe(false);
      await second.close();
    });

    it('shares a file with the article, subscriber and webhook stores without touching their tables or schema version', async () => {
      const file = tempFile();
      const articles = createSqliteStore(file);
      const a = makeArticle();
      await articles.upsertBatch([a]);
      await articles.close();
      const subscriptions = createSqliteSubscriptionStore(file);
      const s = await subscriptions.create(subscriptionInputSchema.parse({ email: 'a@example.no' }), '2026-11-01T00:00:00.000Z');
      await subscriptions.close();
      const webhooks = createSqliteWebhookStore(file);
      const w = await webhooks.create({ url: 'https://hooks.example.org/x', filter: {}, format: 'json' }, '2026-11-30T07:00:00.000Z');
      await webhooks.close();
      const before = schemaOf(file);
      expect(before.userVersion).toBeGreaterThan(0);

      const inbox = createSqliteInboxStore(file);
      await inbox.put(entry());
      await inbox.dismiss('msg-a');
      expect(await inbox.prune('2027-01-01T00:00:00.000Z')).toBe(1);
      await inbox.put(entry({ id: 'msg-b' }));
      await inbox.close();
      const after = schemaOf(file);
      // the inbox adds its own table and index, and nothing else changes
      expect(after.userVersion).toBe(before.userVersion);
      expect(after.objects.filter((o) => !before.objects.some((b) => b.name === o.name)).map((o) => o.name).sort()).toEqual(['inbox', 'inbox_received']);
      expect(after.objects.filter((o) => before.objects.some((b) => b.name === o.name))).toEqual(before.objects);

      const reopened = createSqliteStore(file);
      expect(await reopened.get(a.id)).toMatchObject({ id: a.id, title: a.title, url: a.url });
      await reopened.close();
      const subscriptions2 = createSqliteSubscriptionStore(file);
      expect(await subscriptions2.get(s.id)).toEqual(s);
      await subscriptions2.close();
      const webhooks2 = createSqliteWebhookStore(file);
      expect(await webhooks2.get(w.id)).toEqual(w);
      await webhooks2.close();
      const inbox2 = createSqliteInboxStore(file);
      expect(await inbox2.get('msg-b')).toStrictEqual(entry({ id: 'msg-b' }));
      await inbox2.close();
    });

    it('opened first, leaves the article store to create and migrate its schema on the same file', async () => {
      const file = tempFile();
      const inbox = createSqliteInboxStore(file);
      await inbox.put(entry());
      await inbox.close();
      expect(schemaOf(file).userVersion).toBe(0);
      const articles = createSqliteStore(file);
      const a = makeArticle();
      await articles.upsertBatch([a]);
      expect(await articles.get(a.id)).toMatchObject({ id: a.id });
      await articles.close();
      expect(schemaOf(file).userVersion).toBeGreaterThan(0);
      const again = createSqliteInboxStore(file);
      expect(await again.get('msg-a')).toStrictEqual(entry());
      await again.close();
    });
  },
});
