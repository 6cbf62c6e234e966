import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InboxEntry } from '../../src/newsletters/inbox/port.js';
import { createPostgresInboxStore } from '../../src/newsletters/inbox/postgres.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { subscriptionInputSchema } from '../../src/subscriptions/model.js';
import { createPostgresSubscriptionStore } from '../../src/subscriptions/postgres.js';
import { createPostgresWebhookStore } from '../../src/webhooks/postgres.js';
import { runInboxStoreContract } from '../contract/inbox-store.contract.js';
import { runSubscriptionStoreContract } from '../contract/subscription-store.contract.js';
import { runWebhookStoreContract } from '../contract/webhook-store.contract.js';
import { makeArticle } from '../helpers/factories.js';
import { startLocalPostgres, type LocalPostgres } from '../helpers/postgres.js';

// A private cluster for this file, a fresh database per store; a missing server fails the file.
let cluster: LocalPostgres;
beforeAll(async () => {
  cluster = await startLocalPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

/** The versions each adapter's migrations table records, by table. */
async function migrationTables(url: string): Promise<Record<string, number[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%migrations' ORDER BY 1");
    const out: Record<string, number[]> = {};
    for (const { table_name } of rows) out[table_name] = (await client.query<{ version: number }>(`SELECT version FROM ${table_name} ORDER BY 1`)).rows.map((r) => r.version);
    return out;
  } finally {
    await client.end();
  }
}

runSubscriptionStoreContract({
  name: 'PostgreSQL',
  create: async () => createPostgresSubscriptionStore({ connectionString: await cluster.createDatabase() }),
  additionalTests: () => {
    it('two stores on one database (two hosts) claim a period once, and a store opened later sees the subscribers', async () => {
      const url = await cluster.createDatabase();
      // Opened at once: the migrations run once, under the advisory lock.
      const [a, b] = await Promise.all([createPostgresSubscriptionStore({ connectionString: url }), createPostgresSubscriptionStore({ connectionString: url })]);
      const s = await a.create(subscriptionInputSchema.parse({ email: 'a@example.no' }), '2026-11-01T00:00:00.000Z');
      await b.confirm(s.id, '2026-11-01T00:01:00.000Z');
      expect((await a.get(s.id))!.status).toBe('active');
      const req = { subscriptionId: s.id, period: 'w2026-11-02', periodAt: '2026-11-02T06:00:00.000Z', to: '2026-11-02T06:00:00.000Z', leaseMs: 60_000, now: '2026-11-02T06:00:00.000Z' };
      const owners = ['a1', 'b1', 'a2', 'b2'];
      const results = await Promise.all(owners.map((owner, i) => (i % 2 ? b : a).claimPeriod({ ...req, owner })));
      expect(results.map((r) => r.kind).sort()).toEqual(['busy', 'busy', 'busy', 'claimed']);
      const winner = owners[results.findIndex((r) => r.kind === 'claimed')]!;
      // Only the holder may mark it sending, whichever store it asks.
      const marks = await Promise.all(owners.map((owner, i) => (i % 2 ? a : b).markSending(s.id, req.period, owner)));
      expect(marks.filter(Boolean)).toHaveLength(1);
      expect(marks[owners.indexOf(winner)]).toBe(true);
      await a.close();
      await b.close();
      const later = await createPostgresSubscriptionStore({ connectionString: url });
      expect(await later.ledger(s.id, 5)).toMatchObject([{ period: req.period, state: 'sending', owner: winner }]);
      await later.close();
      expect(await migrationTables(url)).toEqual({ subscriber_migrations: [1] });
    });

    it('a take-over queued behind the old owner\'s markSending finds the period sending and records it uncertain, never claimed twice', async () => {
      const url = await cluster.createDatabase();
      const [a, b] = await Promise.all([createPostgresSubscriptionStore({ connectionString: url }), createPostgresSubscriptionStore({ connectionString: url })]);
      const s = await a.create(subscriptionInputSchema.parse({ email: 'a@example.no' }), '2026-11-01T00:00:00.000Z');
      await a.confirm(s.id, '2026-11-01T00:01:00.000Z');
      const base = { subscriptionId: s.id, period: 'i-1', periodAt: '2026-11-02T06:00:00.000Z', to: '2026-11-02T06:00:00.000Z', leaseMs: 1_000 };
      expect((await a.claimPeriod({ ...base, owner: 'a', now: base.periodAt })).kind).toBe('claimed');
      // A third session holds the ledger row, so that the interleaving is fixed: 'a' marking sending
      // queues first, then 'b' (its lease expired) claiming; both go on when the row is let go.
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      const blocked = async (n: number) => {
        for (;;) {
          const { rows } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
          if (rows[0]!.n >= n) return;
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM digest_ledger WHERE subscription_id = $1 AND period = $2 FOR UPDATE', [s.id, base.period]);
      const marked = a.markSending(s.id, base.period, 'a');
      await blocked(1);
      const taken = b.claimPeriod({ ...base, owner: 'b', now: '2026-11-02T06:00:05.000Z' });
      await blocked(2);
      await holder.query('COMMIT');
      await holder.end();
      expect(await marked).toBe(true);
      expect((await taken).kind).toBe('uncertain');
      expect(await b.ledger(s.id, 1)).toMatchObject([{ state: 'uncertain', owner: 'a' }]);
      await a.close();
      await b.close();
    });
  },
});

runWebhookStoreContract({
  name: 'PostgreSQL',
  create: async () => createPostgresWebhookStore({ connectionString: await cluster.createDatabase() }),
  additionalTests: () => {
    it('two stores on one database (two hosts): one claim wins, both see the outcome, and the webhook survives a reopen', async () => {
      const url = await cluster.createDatabase();
      const [one, two] = await Promise.all([createPostgresWebhookStore({ connectionString: url }), createPostgresWebhookStore({ connectionString: url })]);
      const w = await one.create({ url: 'https://hooks.example.org/x', filter: {}, format: 'json' }, '2026-11-30T07:00:00.000Z');
      const req = (owner: string) => ({ to: '2026-11-30T08:00:00.000Z', owner, leaseMs: 60_000, now: '2026-11-30T08:00:00.000Z' });
      const owners = ['one', 'two', 'three', 'four'];
      const results = await Promise.all(owners.map((owner, i) => (i % 2 ? two : one).claimWindow(w.id, req(owner))));
      expect(results.map((r) => r.kind).sort()).toEqual(['busy', 'busy', 'busy', 'claimed']);
      const winner = owners[results.findIndex((r) => r.kind === 'claimed')]!;
      const finished = await Promise.all(owners.map((owner, i) => (i % 2 ? one : two).finishWindow(w.id, owner, '2026-11-30T08:00:00.000Z')));
      expect(finished).toEqual(owners.map((o) => o === winner));
      expect((await two.get(w.id))!.lastDeliveredUntil).toBe('2026-11-30T08:00:00.000Z');
      await one.close();
      await two.close();
      const reopened = await createPostgresWebhookStore({ connectionString: url });
      expect(await reopened.get(w.id)).toEqual({ ...w, lastDeliveredUntil: '2026-11-30T08:00:00.000Z' });
      await reopened.close();
      expect(await migrationTables(url)).toEqual({ webhook_migrations: [1] });
    });
  },
});

const RAW = Buffer.concat([Buffer.from('From: news@example.no\r\nSubject: Bekreft\r\n\r\n'), Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28]), Buffer.from('\r\n')]);
const message = (over: Partial<InboxEntry> = {}): InboxEntry => ({
  id: 'msg-a',
  messageId: '<1@example.no>',
  receivedAt: '2026-11-30T07:00:00.000Z',
  arrival: { via: 'smtp', recipients: ['inbox@radar.example.org'], ip: '192.0.2.25' },
  from: 'news@example.no',
  // A header decoded to a NUL is kept as written.
  subject: 'Bekreft\u0000',
  reason: 'no newsletter source lists the sender news@example.no',
  status: 'new',
  size: RAW.length,
  raw: RAW,
  ...over,
});

runInboxStoreContract({
  name: 'PostgreSQL',
  create: async () => createPostgresInboxStore({ connectionString: await cluster.createDatabase() }),
  additionalTests: () => {
    it('two stores on one database (two listeners) see each other\'s writes, and one put of an id wins', async () => {
      const url = await cluster.createDatabase();
      const [one, two] = await Promise.all([createPostgresInboxStore({ connectionString: url }), createPostgresInboxStore({ connectionString: url })]);
      expect(await one.put(message())).toBe(true);
      expect(await two.get('msg-a')).toStrictEqual(message());
      expect(await two.markAssigned('msg-a', 'nyhetsbrev-nord')).toBe(true);
      expect((await one.list({ status: 'assigned' })).map((m) => m.sourceId)).toEqual(['nyhetsbrev-nord']);
      const results = await Promise.all([one.put(message({ id: 'msg-b', subject: 'from one' })), two.put(message({ id: 'msg-b', subject: 'from two' }))]);
      expect([...results].sort()).toEqual([false, true]);
      const winner = results[0] ? 'from one' : 'from two';
      expect((await one.get('msg-b'))!.subject).toBe(winner);
      expect((await two.get('msg-b'))!.subject).toBe(winner);
      await one.close();
      await two.close();
    });

    it('shares a database with the article, subscriber and webhook stores, each with its own tables and migration versions', async () => {
      const url = await cluster.createDatabase();
      const articles = await createPostgresStore({ connectionString: url, poolSize: 2 });
      const a = makeArticle();
      await articles.upsertBatch([a]);
      const before = await migrationTables(url);
      // Opened at once, as the processes of a deployment start.
      const [subscriptions, webhooks, inbox] = await Promise.all([
        createPostgresSubscriptionStore({ connectionString: url }),
        createPostgresWebhookStore({ connectionString: url }),
        createPostgresInboxStore({ connectionString: url }),
      ]);
      const s = await subscriptions.create(subscriptionInputSchema.parse({ email: 'a@example.no' }), '2026-11-01T00:00:00.000Z');
      const w = await webhooks.create({ url: 'https://hooks.example.org/x', filter: {}, format: 'json' }, '2026-11-30T07:00:00.000Z');
      await inbox.put(message());
      await Promise.all([subscriptions.close(), webhooks.close(), inbox.close()]);
      expect(await migrationTables(url)).toEqual({ ...before, subscriber_migrations: [1], webhook_migrations: [1], inbox_migrations: [1] });
      expect(await articles.get(a.id)).toMatchObject({ id: a.id, title: a.title, url: a.url });
      await articles.close();

      const [subscriptions2, webhooks2, inbox2] = await Promise.all([
        createPostgresSubscriptionStore({ connectionString: url }),
        createPostgresWebhookStore({ connectionString: url }),
        createPostgresInboxStore({ connectionString: url }),
      ]);
      expect(await subscriptions2.get(s.id)).toEqual(s);
      expect(await webhooks2.get(w.id)).toEqual(w);
      const got = (await inbox2.get('msg-a'))!;
      expect(got).toStrictEqual(message());
      expect(got.raw.equals(RAW)).toBe(true);
      await Promise.all([subscriptions2.close(), webhooks2.close(), inbox2.close()]);
    });
  },
});
