import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscriptionInputSchema } from '../../src/subscriptions/model.js';
import type { ClaimRequest, SubscriptionStore } from '../../src/subscriptions/port.js';

export interface SubscriptionStoreContractOptions {
  name: string;
  create(): Promise<SubscriptionStore>;
  additionalTests?: (get: () => SubscriptionStore) => void;
}

const T0 = '2026-11-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const input = (over: Record<string, unknown> = {}) =>
  subscriptionInputSchema.parse({ email: 'Radgiver@Example.NO', filter: { themes: ['bioeconomy'], regions: ['NO-18'] }, frequency: 'weekly', ...over });

/** The behaviour every SubscriptionStore adapter must have. */
export function runSubscriptionStoreContract(opts: SubscriptionStoreContractOptions): void {
  describe(`SubscriptionStore contract: ${opts.name}`, () => {
    let store: SubscriptionStore;
    beforeEach(async () => {
      store = await opts.create();
    });
    afterEach(async () => {
      await store.close();
    });
    const claim = (id: string, over: Partial<ClaimRequest> = {}) =>
      store.claimPeriod({ subscriptionId: id, period: 'w2026-11-09', periodAt: at(60 * 24 * 8), to: at(60 * 24 * 8), owner: 'a', leaseMs: 60_000, now: at(60 * 24 * 8), ...over });
    const active = async (over: Record<string, unknown> = {}) => {
      const s = await store.create(input(over), T0);
      return (await store.confirm(s.id, at(10)))!;
    };

    it('creates a pending subscription with the choices, a random id and feed token, and finds it by id, token and address', async () => {
      const s = await store.create(input(), T0);
      expect(s).toMatchObject({ email: 'radgiver@example.no', status: 'pending', frequency: 'weekly', sendAt: { weekday: 1, hour: 7 }, timeZone: 'Europe/Oslo', locale: 'en', bounces: 0, createdAt: T0 });
      expect(s.filter).toEqual({ themes: ['bioeconomy'], regions: ['NO-18'] });
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(s.feedToken.length).toBeGreaterThanOrEqual(32);
      const other = await store.create(input(), T0);
      expect(other.id).not.toBe(s.id);
      expect(other.feedToken).not.toBe(s.feedToken);
      expect(await store.get(s.id)).toEqual(s);
      expect(await store.getByFeedToken(s.feedToken)).toEqual(s);
      expect(await store.getByFeedToken('nope')).toBeUndefined();
      expect((await store.findByEmail(' RADGIVER@example.no')).map((x) => x.id).sort()).toEqual([s.id, other.id].sort());
    });

    it('confirms once; only active subscriptions are listed for the scheduler, per frequency, in id order', async () => {
      const pending = await store.create(input(), T0);
      const weekly = await active();
      const daily = await active({ frequency: 'daily', sendAt: { hour: 6 } });
      expect((await store.confirm(weekly.id, at(99)))!.confirmedAt).toBe(at(10));
      expect((await store.listActive('weekly', undefined, 10)).map((s) => s.id)).toEqual([weekly.id]);
      expect((await store.listActive('daily', undefined, 10)).map((s) => s.id)).toEqual([daily.id]);
      expect(await store.listActive('weekly', weekly.id, 10)).toEqual([]);
      expect(await store.confirm('AAAAAAAAAAAAAAAAAAAAAA', at(1))).toBeUndefined();
      expect((await store.get(pending.id))!.status).toBe('pending');
    });

    it('changes choices, pauses with a reason and resumes; a pending subscription cannot be paused into activity', async () => {
      const s = await active();
      const changed = await store.update(s.id, { filter: { q: 'kiertotalous' }, frequency: 'daily', sendAt: { hour: 18 }, timeZone: 'Europe/Helsinki', locale: 'fi' });
      expect(changed).toMatchObject({ filter: { q: 'kiertotalous' }, frequency: 'daily', sendAt: { hour: 18 }, timeZone: 'Europe/Helsinki', locale: 'fi', email: s.email });
      expect(await store.setPaused(s.id, true, 'holiday')).toMatchObject({ status: 'paused', pausedReason: 'holiday' });
      expect(await store.listActive('daily', undefined, 10)).toEqual([]);
      const resumed = (await store.setPaused(s.id, false))!;
      expect(resumed.status).toBe('active');
      expect(resumed.pausedReason).toBeUndefined();
      const pending = await store.create(input(), T0);
      await store.setPaused(pending.id, false);
      expect((await store.get(pending.id))!.status).toBe('pending');
    });

    it('deletes a subscription with its ledger, and every subscription of an address', async () => {
      const s = await active();
      await claim(s.id);
      expect(await store.remove(s.id)).toBe(true);
      expect(await store.remove(s.id)).toBe(false);
      expect(await store.get(s.id)).toBeUndefined();
      expect(await store.ledger(s.id, 10)).toEqual([]);
      await active();
      await store.create(input(), T0);
      await active({ email: 'other@example.no' });
      expect(await store.removeByEmail('RADGIVER@example.no')).toBe(2);
      expect(await store.findByEmail('radgiver@example.no')).toEqual([]);
      expect(await store.findByEmail('other@example.no')).toHaveLength(1);
    });

    it('claims a period once: a second claimant is told it is busy, and after sending it is done', async () => {
      const s = await active();
      const first = await claim(s.id);
      expect(first.kind).toBe('claimed');
      if (first.kind !== 'claimed') return;
      // The first window starts at confirmation.
      expect(first.claim).toMatchObject({ from: at(10), to: at(60 * 24 * 8), state: 'claimed', owner: 'a' });
      expect((await claim(s.id, { owner: 'b' })).kind).toBe('busy');
      expect(await store.markSending(s.id, 'w2026-11-09', 'b')).toBe(false);
      expect(await store.markSending(s.id, 'w2026-11-09', 'a')).toBe(true);
      const after = (await store.finish(s.id, 'w2026-11-09', 'a', { state: 'sent', articles: 4 }))!;
      expect(after.lastDigestUntil).toBe(at(60 * 24 * 8));
      expect(after.lastPeriodAt).toBe(at(60 * 24 * 8));
      expect((await claim(s.id, { owner: 'b' })).kind).toBe('done');
      expect((await claim(s.id, { owner: 'a' })).kind).toBe('done');
      expect((await store.ledger(s.id, 5))[0]).toMatchObject({ period: 'w2026-11-09', state: 'sent', articles: 4 });
      // The next period's window starts where this one ended.
      const next = await claim(s.id, { period: 'w2026-11-16', periodAt: at(60 * 24 * 15), to: at(60 * 24 * 15), now: at(60 * 24 * 15) });
      expect(next.kind === 'claimed' && next.claim.from).toBe(at(60 * 24 * 8));
    });

    it('lets another worker take over a claim whose lease ran out before sending, with the same window', async () => {
      const s = await active();
      const first = await claim(s.id, { leaseMs: 1_000 });
      const late = at(60 * 24 * 8 + 1);
      const second = await claim(s.id, { owner: 'b', now: late, to: late });
      expect(second.kind).toBe('claimed');
      if (first.kind !== 'claimed' || second.kind !== 'claimed') return;
      expect(second.claim).toMatchObject({ owner: 'b', from: first.claim.from, to: first.claim.to });
      // The first worker no longer holds it.
      expect(await store.markSending(s.id, 'w2026-11-09', 'a')).toBe(false);
      expect((await store.finish(s.id, 'w2026-11-09', 'a', { state: 'sent', articles: 1 }))!.lastPeriodAt).toBeUndefined();
    });

    it('records a period whose worker stopped while sending as uncertain, never to be sent again, and moves the window on', async () => {
      const s = await active();
      await claim(s.id, { leaseMs: 1_000 });
      expect(await store.markSending(s.id, 'w2026-11-09', 'a')).toBe(true);
      // While the lease runs, the period is busy.
      expect((await claim(s.id, { owner: 'b', leaseMs: 1_000 })).kind).toBe('busy');
      const r = await claim(s.id, { owner: 'b', now: at(60 * 24 * 8 + 5) });
      expect(r.kind).toBe('uncertain');
      expect((await claim(s.id, { owner: 'c', now: at(60 * 24 * 8 + 6) })).kind).toBe('done');
      expect((await store.get(s.id))!.lastDigestUntil).toBe(at(60 * 24 * 8));
    });

    it('gives a released period back, and finishes empty periods without counting them as sent', async () => {
      const s = await active();
      await claim(s.id);
      await store.markSending(s.id, 'w2026-11-09', 'a');
      await store.release(s.id, 'w2026-11-09', 'a');
      const again = await claim(s.id, { owner: 'b' });
      expect(again.kind).toBe('claimed');
      const after = (await store.finish(s.id, 'w2026-11-09', 'b', { state: 'empty' }))!;
      expect(after.lastPeriodAt).toBe(at(60 * 24 * 8));
      expect((await store.ledger(s.id, 1))[0]!.state).toBe('empty');
    });

    it('counts bounces and pauses the subscription after three in a row, with the reason; a sent digest resets the count', async () => {
      const s = await active();
      const period = (n: number) => ({ period: `w-${n}`, periodAt: at(60 * 24 * 7 * n), to: at(60 * 24 * 7 * n), now: at(60 * 24 * 7 * n) });
      await claim(s.id, period(1));
      expect((await store.finish(s.id, 'w-1', 'a', { state: 'bounced', reason: '550 no such user' }))!).toMatchObject({ bounces: 1, status: 'active' });
      await claim(s.id, period(2));
      await store.finish(s.id, 'w-2', 'a', { state: 'sent', articles: 2 });
      expect((await store.get(s.id))!.bounces).toBe(0);
      for (const n of [3, 4]) {
        await claim(s.id, period(n));
        await store.finish(s.id, `w-${n}`, 'a', { state: 'bounced', reason: '550 no such user' });
      }
      expect((await store.get(s.id))!.status).toBe('active');
      await claim(s.id, period(5));
      const paused = (await store.finish(s.id, 'w-5', 'a', { state: 'bounced', reason: '550 no such user' }))!;
      expect(paused).toMatchObject({ status: 'paused', bounces: 3 });
      expect(paused.pausedReason).toContain('550 no such user');
      expect((await claim(s.id, period(6))).kind).toBe('inactive');
    });

    it('prunes finished ledger entries of old periods and pending subscriptions never confirmed, and nothing else', async () => {
      const s = await active();
      const old = { period: 'i-old', periodAt: at(60), to: at(60), now: at(60) };
      await claim(s.id, old);
      await store.finish(s.id, 'i-old', 'a', { state: 'empty' });
      await claim(s.id, { period: 'i-held', periodAt: at(61), to: at(61), now: at(61) });
      await claim(s.id, { period: 'i-new', periodAt: at(600), to: at(600), now: at(600) });
      await store.finish(s.id, 'i-new', 'a', { state: 'sent', articles: 1 });
      const stale = await store.create(input({ email: 'stale@example.no' }), T0);
      const fresh = await store.create(input({ email: 'fresh@example.no' }), at(500));
      expect(await store.prune({ ledgerBefore: at(300), pendingBefore: at(100) })).toEqual({ ledger: 1, pending: 1 });
      expect((await store.ledger(s.id, 10)).map((c) => c.period).sort()).toEqual(['i-held', 'i-new']);
      expect(await store.get(stale.id)).toBeUndefined();
      expect(await store.get(fresh.id)).toBeDefined();
      expect(await store.get(s.id)).toBeDefined();
    });

    it('claims nothing for pending or unknown subscriptions', async () => {
      const pending = await store.create(input(), T0);
      expect((await claim(pending.id)).kind).toBe('inactive');
      expect((await claim('AAAAAAAAAAAAAAAAAAAAAA')).kind).toBe('inactive');
    });

    opts.additionalTests?.(() => store);
  });
}
