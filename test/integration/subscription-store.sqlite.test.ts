import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createSqliteSubscriptionStore } from '../../src/subscriptions/sqlite.js';
import { subscriptionInputSchema } from '../../src/subscriptions/model.js';
import { runSubscriptionStoreContract } from '../contract/subscription-store.contract.js';

runSubscriptionStoreContract({ name: 'SQLite (in memory)', create: async () => createSqliteSubscriptionStore(':memory:') });

runSubscriptionStoreContract({
  name: 'SQLite (file, WAL)',
  create: async () => createSqliteSubscriptionStore(join(mkdtempSync(join(tmpdir(), 'rr-subs-')), 'subscribers.sqlite')),
  additionalTests: () => {
    it('keeps subscribers across a reopen, and two handles on one file claim a period once', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'rr-subs-')), 'subscribers.sqlite');
      const one = createSqliteSubscriptionStore(file);
      const s = await one.create(subscriptionInputSchema.parse({ email: 'a@example.no' }), '2026-11-01T00:00:00.000Z');
      await one.confirm(s.id, '2026-11-01T00:01:00.000Z');
      await one.close();
      const a = createSqliteSubscriptionStore(file);
      const b = createSqliteSubscriptionStore(file);
      expect((await a.get(s.id))!.status).toBe('active');
      const req = { subscriptionId: s.id, period: 'w2026-11-02', periodAt: '2026-11-02T06:00:00.000Z', to: '2026-11-02T06:00:00.000Z', leaseMs: 60_000, now: '2026-11-02T06:00:00.000Z' };
      const results = await Promise.all([a.claimPeriod({ ...req, owner: 'a' }), b.claimPeriod({ ...req, owner: 'b' })]);
      expect(results.map((r) => r.kind).sort()).toEqual(['busy', 'claimed']);
      await a.close();
      await b.close();
    });
  },
});
