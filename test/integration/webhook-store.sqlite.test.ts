import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createSqliteWebhookStore } from '../../src/webhooks/sqlite.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { runWebhookStoreContract } from '../contract/webhook-store.contract.js';
import { makeArticle } from '../helpers/factories.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'rr-webhooks-')), 'webhooks.sqlite');
const hook = { url: 'https://hooks.example.org/x', filter: {}, format: 'json' as const };

runWebhookStoreContract({
  name: 'SQLite (in memory)',
  create: async () => createSqliteWebhookStore(':memory:'),
});

runWebhookStoreContract({
  name: 'SQLite (file, WAL)',
  create: async () => createSqliteWebhookStore(tempFile()),
  additionalTests: () => {
    it('two stores on one file (two processes): one claim wins, and both see the outcome', async () => {
      const file = tempFile();
      const [one, two] = [createSqliteWebhookStore(file), createSqliteWebhookStore(file)];
      const w = await one.create(hook, '2026-11-30T07:00:00.000Z');
      const req = (owner: string) => ({ to: '2026-11-30T08:00:00.000Z', owner, leaseMs: 60_000, now: '2026-11-30T08:00:00.000Z' });
      const results = await Promise.all([one.claimWindow(w.id, req('one')), two.claimWindow(w.id, req('two'))]);
      expect(results.map((r) => r.kind).sort()).toEqual(['busy', 'claimed']);
      const winner = results[0]!.kind === 'claimed' ? 'one' : 'two';
      expect(await (winner === 'one' ? two : one).finishWindow(w.id, winner === 'one' ? 'two' : 'one', '2026-11-30T08:00:00.000Z')).toBe(false);
      expect(await (winner === 'one' ? one : two).finishWindow(w.id, winner, '2026-11-30T08:00:00.000Z')).toBe(true);
      expect((await two.get(w.id))!.lastDeliveredUntil).toBe('2026-11-30T08:00:00.000Z');
      await one.close();
      await two.close();
    });

    it('keeps webhooks and the secret across a reopen', async () => {
      const file = tempFile();
      const first = createSqliteWebhookStore(file);
      const w = await first.create(hook, '2026-11-30T07:00:00.000Z');
      await first.close();
      const second = createSqliteWebhookStore(file);
      expect(await second.get(w.id)).toEqual(w);
      await second.close();
    });

    it('shares a file with the article store without touching its tables or schema version', async () => {
      const file = tempFile();
      const articles = createSqliteStore(file);
      const a = makeArticle();
      await articles.upsertBatch([a]);
      await articles.close();
      const webhooks = createSqliteWebhookStore(file);
      await webhooks.create(hook, '2026-11-30T07:00:00.000Z');
      await webhooks.close();
      const reopened = createSqliteStore(file);
      expect(await reopened.get(a.id)).toMatchObject({ id: a.id, title: a.title, url: a.url });
      await reopened.close();
    });
  },
});
