import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { createDeps } from '../../src/deps.js';
import { pollImap, REFUSED, TAKEN } from '../../src/newsletters/imap.js';
import { canonicalUrl } from '../../src/pipeline/normalize/url.js';
import { receiveDepsFor, startServices } from '../../src/runtime.js';
import { createStaticCatalogue } from '../../src/sources/catalogue.js';
import { sourceSchema } from '../../src/sources/schema.js';
import { shippedConfig } from '../helpers/config.js';
import { zoneResolver } from '../helpers/dns-zone.js';
import { startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { composeNewsletter, newsletter } from '../helpers/newsletters.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const FOLDER = 'Newsletters/Apsis';
const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).toLowerCase();
const bundle = newsletter('mailerlite-nb-bundle');
const apsis = newsletter('apsis-sv');
const SOURCES = [
  // In the account's main folder, known by its sender.
  sourceSchema.parse({ id: 'gronn-vekst', name: 'Grønn Vekst Vest', kind: 'newsletter', url: 'https://example.org/', country: 'NO', newsletter: { from: [addressOf(bundle.from)] } }),
  // Filed into a folder of its own by a rule in the mail account.
  sourceSchema.parse({ id: 'apsis-folder', name: 'Apsis', kind: 'newsletter', url: 'https://example.org/', country: 'SE', newsletter: { mailbox: FOLDER } }),
];
const NO_DNS = zoneResolver({});

let dir: string;
let dovecot: Dovecot;
let config: Config;
let prefix: string;

beforeAll(async () => {
  dir = mkdtempSync('/tmp/rr-imap-');
  dovecot = await startDovecot({ dir });
  prefix = uniquePrefix('imap');
  config = shippedConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-imap-data-')),
    QUEUE_PREFIX: prefix,
    REDIS_URL,
    PORT: '0',
    IMAP_URL: `${dovecot.url.replace(/\/?$/, '/')}INBOX`,
    IMAP_POLL_MS: '1000',
  });
});

afterAll(async () => {
  await dovecot?.stop();
  rmSync(dir, { recursive: true, force: true });
  await clearPrefix(prefix);
});

const openDeps = () => createDeps(config, { catalogue: createStaticCatalogue([...config.sources, ...SOURCES]), mailResolver: NO_DNS });
// dovecot comes back on another port after a restart.
const options = () => ({ url: `${dovecot.url.replace(/\/?$/, '/')}INBOX`, folders: async () => [FOLDER], maxBytes: config.env.INBOUND_MAX_BYTES });

async function withClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout();
  }
}
const append = (folder: string, raw: Buffer) =>
  withClient(async (c) => {
    const r = await c.append(folder, raw);
    if (!r) throw new Error(`APPEND to ${folder} refused`);
    return r.uid;
  });
const flagsOf = (folder: string) =>
  withClient(async (c) => {
    const lock = await c.getMailboxLock(folder);
    try {
      const out: Array<{ uid: number; flags: string[] }> = [];
      for await (const m of c.fetch('1:*', { flags: true, uid: true })) out.push({ uid: m.uid, flags: [...(m.flags ?? [])] });
      return out;
    } finally {
      lock.release();
    }
  });

it('reads new mail once, by folder and sender; flags what it took; keeps unknown mail for the operator; refuses malformed MIME', async () => {
  await withClient((c) => c.mailboxCreate(FOLDER));
  await append('INBOX', await composeNewsletter(bundle, { to: 'radar@example.org' }));
  await append(FOLDER, await composeNewsletter(apsis, { to: 'radar@example.org' }));
  await append('INBOX', await composeNewsletter(newsletter('mailerlite-en'), { to: 'radar@example.org', from: 'Someone <confirm@lists.example>', messageId: '<confirm-imap@lists.example>' }));
  await append('INBOX', Buffer.from('Subject: no sender\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbroken\r\n'));

  // The whole service: the poller runs with `inbound`, the enrich worker stores what it queued.
  const deps = await openDeps();
  const running = await startServices(deps, { enrich: true, inbound: true });
  try {
    const stored = await waitFor('the IMAP issues stored', async () => {
      const [a, b] = [await deps.store.list({ sources: ['gronn-vekst'] }, { limit: 10 }), await deps.store.list({ sources: ['apsis-folder'] }, { limit: 10 })];
      return a.items.length === 1 + bundle.stories.length && b.items.length === 1 && [...a.items, ...b.items];
    });
    expect(stored.map((a) => a.url)).toEqual(expect.arrayContaining([canonicalUrl(bundle.webVersionUrl), canonicalUrl(apsis.webVersionUrl), ...bundle.stories.map((s) => canonicalUrl(s.url))]));
    expect(stored.find((a) => a.url === canonicalUrl(apsis.webVersionUrl))).toMatchObject({ language: 'swe', title: apsis.subject });
    const inbox = await waitFor('the unknown sender in the inbox', async () => (await deps.inbox.list()).find((m) => m.messageId === 'confirm-imap@lists.example'));
    expect(inbox).toMatchObject({ status: 'new', arrival: { via: 'imap', mailbox: 'INBOX' } });
  } finally {
    await running.close();
  }
  const inboxFlags = await flagsOf('INBOX');
  expect(inboxFlags.map((m) => m.flags.includes(TAKEN))).toEqual([true, true, true]);
  expect(inboxFlags.map((m) => m.flags.includes(REFUSED))).toEqual([false, false, true]);
  expect((await flagsOf(FOLDER)).every((m) => m.flags.includes(TAKEN))).toBe(true);
});

it('across restarts of both dovecot and Regionradar, flagged mail is never read again; new mail is', async () => {
  await dovecot.stop();
  dovecot = await startDovecot({ dir });
  const deps = await openDeps();
  try {
    const before = await deps.store.count();
    expect(await pollImap(receiveDepsFor(deps), options())).toEqual({ taken: 0, refused: 0, errors: [] });
    await append('INBOX', await composeNewsletter(newsletter('mailerlite-en'), { to: 'radar@example.org', from: bundle.from, messageId: '<later@example.org>' }));
    expect(await pollImap(receiveDepsFor(deps), options())).toEqual({ taken: 1, refused: 0, errors: [] });
    expect(await pollImap(receiveDepsFor(deps), options())).toEqual({ taken: 0, refused: 0, errors: [] });
    expect(await deps.store.count()).toBe(before); // queued for enrichment, not stored: no worker runs here
  } finally {
    await deps.close();
  }
});

it('a message taken but not flagged (a crash between the two) is read again and stored once: receiving is idempotent by Message-ID', async () => {
  const deps = await openDeps();
  const running = await startServices(deps, { enrich: true });
  try {
    await waitFor('the later issue stored', async () => (await deps.store.list({ sources: ['gronn-vekst'] }, { limit: 20 })).items.length === 1 + bundle.stories.length + 1);
    const count = await deps.store.count();
    await withClient(async (c) => {
      const lock = await c.getMailboxLock('INBOX');
      try {
        await c.messageFlagsRemove('1:*', [TAKEN]);
      } finally {
        lock.release();
      }
    });
    const again = await pollImap(receiveDepsFor(deps), options());
    expect(again).toEqual({ taken: 3, refused: 1, errors: [] });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await deps.store.count()).toBe(count);
    expect((await deps.inbox.list()).filter((m) => m.messageId === 'confirm-imap@lists.example')).toHaveLength(1);
  } finally {
    await running.close();
  }
});

it('a message over the size cap is flagged refused without being read', async () => {
  const uid = await append('INBOX', await composeNewsletter(newsletter('mailerlite-en'), { to: 'radar@example.org', from: bundle.from, messageId: '<too-big@example.org>' }));
  const deps = await openDeps();
  try {
    const before = await deps.store.count();
    expect(await pollImap(receiveDepsFor(deps), { ...options(), maxBytes: 10_000 })).toEqual({ taken: 0, refused: 1, errors: [] });
    expect((await flagsOf('INBOX')).find((m) => m.uid === uid)?.flags).toEqual(expect.arrayContaining([TAKEN, REFUSED]));
    expect(await deps.store.count()).toBe(before);
  } finally {
    await deps.close();
  }
});

it('an unreachable IMAP server is reported, not thrown', async () => {
  const deps = await openDeps();
  try {
    const r = await pollImap(receiveDepsFor(deps), { ...options(), url: 'imap://rr:secret@127.0.0.1:1/INBOX' });
    expect(r.taken).toBe(0);
    expect(r.errors[0]).toMatch(/cannot connect to 127\.0\.0\.1:1/);
  } finally {
    await deps.close();
  }
});
