import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookInput } from '../../src/webhooks/model.js';
import type { WebhookStore } from '../../src/webhooks/port.js';

export interface WebhookStoreContractOptions {
  name: string;
  create(): Promise<WebhookStore>;
  /** A reason to skip the whole suite, printed as the suite name. */
  skip?: string;
  additionalTests?: (get: () => WebhookStore) => void;
}

const T0 = '2026-11-30T07:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const input = (over: Partial<WebhookInput> = {}): WebhookInput => ({ url: 'https://hooks.example.org/services/T1/B2/x', filter: {}, format: 'slack', ...over });
const LEASE = 60_000;

/** The behaviour every WebhookStore adapter must have: CRUD, and a ledger that delivers each window once. */
export function runWebhookStoreContract(opts: WebhookStoreContractOptions): void {
  describe.skipIf(!!opts.skip)(`WebhookStore contract: ${opts.name}${opts.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let store: WebhookStore;
    beforeEach(async () => {
      store = await opts.create();
    });
    afterEach(async () => {
      await store.close();
    });

    // --- the admin's webhooks

    it('creates a webhook with a fresh id and secret, and gets it back whole', async () => {
      const a = await store.create(input({ filter: { themes: ['bioeconomy'], languages: ['nob'] }, description: 'Team channel' }), T0);
      const b = await store.create(input({ format: 'teams' }), T0);
      expect(a).toEqual({
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        url: 'https://hooks.example.org/services/T1/B2/x',
        filter: { themes: ['bioeconomy'], languages: ['nob'] },
        format: 'slack',
        description: 'Team channel',
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        createdAt: T0,
        failures: 0,
      });
      expect(b.id).not.toBe(a.id);
      expect(b.secret).not.toBe(a.secret);
      expect(await store.get(a.id)).toEqual(a);
      expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    });

    it('lists webhooks oldest first', async () => {
      const later = await store.create(input({ format: 'json' }), at(5));
      const earlier = await store.create(input(), at(1));
      expect((await store.list()).map((w) => w.id)).toEqual([earlier.id, later.id]);
    });

    it('updates the choices and keeps the secret and the ledger', async () => {
      const w = await store.create(input(), T0);
      const c = await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(11) });
      expect(await store.finishWindow(w.id, 'a', at(10), at(11))).toBe(true);
      expect(c.kind).toBe('claimed');
      const updated = await store.update(w.id, input({ url: 'https://other.example.org/hook', format: 'json', filter: { regions: ['NO-18'] } }));
      expect(updated).toEqual({ ...w, url: 'https://other.example.org/hook', format: 'json', filter: { regions: ['NO-18'] }, lastDeliveredUntil: at(10), lastDeliveryAt: at(11) });
      expect(await store.get(w.id)).toEqual(updated);
      expect(await store.update('AAAAAAAAAAAAAAAAAAAAAA', input())).toBeUndefined();
    });

    it('an update clears the description when the new choices have none', async () => {
      const w = await store.create(input({ description: 'x' }), T0);
      expect((await store.update(w.id, input()))!.description).toBeUndefined();
    });

    it('removes a webhook; removing again says there was none', async () => {
      const w = await store.create(input(), T0);
      expect(await store.remove(w.id)).toBe(true);
      expect(await store.get(w.id)).toBeUndefined();
      expect(await store.remove(w.id)).toBe(false);
      expect(await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) })).toEqual({ kind: 'gone' });
    });

    // --- the delivery ledger

    it('claims the window from creation to `to`, then from where the last finished window ended', async () => {
      const w = await store.create(input(), T0);
      expect(await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(11) })).toEqual({ kind: 'claimed', from: T0, to: at(10) });
      expect(await store.finishWindow(w.id, 'a', at(10))).toBe(true);
      const done = await store.get(w.id);
      expect(done).toMatchObject({ lastDeliveredUntil: at(10), failures: 0 });
      // an empty window (no deliveredAt) does not count as a delivery
      expect(done!.lastDeliveryAt).toBeUndefined();
      expect(await store.claimWindow(w.id, { to: at(20), owner: 'a', leaseMs: LEASE, now: at(21) })).toEqual({ kind: 'claimed', from: at(10), to: at(20) });
      expect(await store.finishWindow(w.id, 'a', at(20), at(21))).toBe(true);
      expect(await store.get(w.id)).toMatchObject({ lastDeliveredUntil: at(20), lastDeliveryAt: at(21) });
    });

    it('is idle when the window would end at or before its start', async () => {
      const w = await store.create(input(), at(10));
      expect(await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) })).toEqual({ kind: 'idle' });
      expect(await store.claimWindow(w.id, { to: at(5), owner: 'a', leaseMs: LEASE, now: at(10) })).toEqual({ kind: 'idle' });
      // idle claims nothing: another owner is not kept out
      expect((await store.claimWindow(w.id, { to: at(11), owner: 'b', leaseMs: LEASE, now: at(12) })).kind).toBe('claimed');
    });

    it('a held window is busy for other owners while the lease runs', async () => {
      const w = await store.create(input(), T0);
      expect((await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) })).kind).toBe('claimed');
      expect(await store.claimWindow(w.id, { to: at(10), owner: 'b', leaseMs: LEASE, now: at(10.5) })).toEqual({ kind: 'busy' });
      // the holder's own second claim is the same window, not a new one
      expect(await store.claimWindow(w.id, { to: at(30), owner: 'a', leaseMs: LEASE, now: at(10.5) })).toEqual({ kind: 'claimed', from: T0, to: at(10) });
    });

    it('concurrent claims by different owners: exactly one wins', async () => {
      const w = await store.create(input(), T0);
      const results = await Promise.all(
        ['a', 'b', 'c', 'd'].map((owner) => store.claimWindow(w.id, { to: at(10), owner, leaseMs: LEASE, now: at(10) })),
      );
      expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'busy')).toHaveLength(3);
    });

    it('a failed window is released, counted and kept: the retry claims the same window', async () => {
      const w = await store.create(input(), T0);
      await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) });
      expect(await store.failWindow(w.id, 'a', 'the receiver answered 500', at(10.5))).toBe(true);
      expect(await store.get(w.id)).toMatchObject({ failures: 1, lastError: 'the receiver answered 500', lastFailureAt: at(10.5) });
      // released: another owner may take it at once; the window's end stays where it was
      expect(await store.claimWindow(w.id, { to: at(20), owner: 'b', leaseMs: LEASE, now: at(20) })).toEqual({ kind: 'claimed', from: T0, to: at(10) });
      expect(await store.failWindow(w.id, 'b', 'timed out', at(20))).toBe(true);
      expect((await store.get(w.id))!.failures).toBe(2);
      await store.claimWindow(w.id, { to: at(30), owner: 'a', leaseMs: LEASE, now: at(30) });
      expect(await store.finishWindow(w.id, 'a', at(10), at(30))).toBe(true);
      const done = await store.get(w.id);
      expect(done).toMatchObject({ failures: 0, lastDeliveredUntil: at(10), lastDeliveryAt: at(30) });
      expect(done!.lastError).toBeUndefined();
      expect(done!.lastFailureAt).toBeUndefined();
      // the next window starts where the delivered one ended
      expect(await store.claimWindow(w.id, { to: at(40), owner: 'a', leaseMs: LEASE, now: at(40) })).toEqual({ kind: 'claimed', from: at(10), to: at(40) });
    });

    it('an expired lease lets another owner take the window over; the old owner can then neither finish nor fail it', async () => {
      const w = await store.create(input(), T0);
      await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) });
      expect(await store.claimWindow(w.id, { to: at(12), owner: 'b', leaseMs: LEASE, now: at(12) })).toEqual({ kind: 'claimed', from: T0, to: at(10) });
      expect(await store.finishWindow(w.id, 'a', at(10))).toBe(false);
      expect(await store.failWindow(w.id, 'a', 'late')).toBe(false);
      expect(await store.get(w.id)).toMatchObject({ failures: 0 });
      expect((await store.get(w.id))!.lastDeliveredUntil).toBeUndefined();
      expect(await store.finishWindow(w.id, 'b', at(10))).toBe(true);
      expect((await store.get(w.id))!.lastDeliveredUntil).toBe(at(10));
    });

    it('finishing needs the claimed window: no claim, or another window end, changes nothing', async () => {
      const w = await store.create(input(), T0);
      expect(await store.finishWindow(w.id, 'a', at(10))).toBe(false);
      expect(await store.failWindow(w.id, 'a', 'x')).toBe(false);
      await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) });
      expect(await store.finishWindow(w.id, 'a', at(20))).toBe(false);
      expect(await store.get(w.id)).toEqual(w);
    });

    it('an update resets the failure count but keeps the pending window', async () => {
      const w = await store.create(input(), T0);
      await store.claimWindow(w.id, { to: at(10), owner: 'a', leaseMs: LEASE, now: at(10) });
      await store.failWindow(w.id, 'a', 'the receiver answered 404', at(10));
      const updated = await store.update(w.id, input({ url: 'https://fixed.example.org/hook' }));
      expect(updated).toMatchObject({ failures: 0 });
      expect(updated!.lastError).toBeUndefined();
      expect(await store.claimWindow(w.id, { to: at(20), owner: 'a', leaseMs: LEASE, now: at(20) })).toEqual({ kind: 'claimed', from: T0, to: at(10) });
    });

    opts.additionalTests?.(() => store);
  });
}
