import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHostGate, type HostLimits, type HostSlots } from '../../src/pipeline/fetch/host-gate.js';
import { HostBusyError } from '../../src/errors.js';

export interface HostSlotsContractOptions {
  name: string;
  /** A slot store holding no leases yet. */
  create(): Promise<HostSlots>;
  /** A reason to skip the whole suite, printed as the suite name. */
  skip?: string;
  additionalTests?: (get: () => HostSlots) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A host no other test touches. */
const host = () => `h-${randomBytes(4).toString('hex')}.test`;
const limits = (l: Partial<HostLimits>): HostLimits => ({ concurrency: 1, intervalMs: 0, leaseMs: 10_000, maxWaitMs: 1_000, ...l });
// Redis's clock (TIME) and ours round differently by a millisecond or two.
const CLOCK_SLACK_MS = 5;

/** The behaviour every slot store behind createHostGate must have. */
export function runHostSlotsContract(opts: HostSlotsContractOptions): void {
  describe.skipIf(!!opts.skip)(`HostSlots contract: ${opts.name}${opts.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let slots: HostSlots;
    beforeEach(async () => {
      slots = await opts.create();
    });

    // concurrency

    it('grants up to `concurrency` leases at once, then answers a wait no longer than a lease', async () => {
      const h = host();
      const l = limits({ concurrency: 2 });
      expect(await slots.trySlot(h, 'a', l)).toEqual({ granted: true });
      expect(await slots.trySlot(h, 'b', l)).toEqual({ granted: true });
      const refused = await slots.trySlot(h, 'c', l);
      expect(refused.granted).toBe(false);
      if (refused.granted) return;
      expect(refused.waitMs).toBeGreaterThan(0);
      expect(refused.waitMs).toBeLessThanOrEqual(l.leaseMs);
    });

    it('keeps hosts apart', async () => {
      const [h1, h2] = [host(), host()];
      const l = limits({ intervalMs: 60_000 });
      expect(await slots.trySlot(h1, 'a', l)).toEqual({ granted: true });
      expect(await slots.trySlot(h2, 'b', l)).toEqual({ granted: true });
    });

    // spacing

    it('spaces starts by `intervalMs` even with slots free, and says how long to wait', async () => {
      const h = host();
      const l = limits({ concurrency: 5, intervalMs: 300 });
      expect(await slots.trySlot(h, 'a', l)).toEqual({ granted: true });
      const refused = await slots.trySlot(h, 'b', l);
      expect(refused.granted).toBe(false);
      if (refused.granted) return;
      expect(refused.waitMs).toBeGreaterThan(300 - 100);
      expect(refused.waitMs).toBeLessThanOrEqual(300 + CLOCK_SLACK_MS);
      await sleep(refused.waitMs + CLOCK_SLACK_MS);
      expect(await slots.trySlot(h, 'b', l)).toEqual({ granted: true });
    });

    // release and expiry

    it('frees a slot at once when its lease is released', async () => {
      const h = host();
      const l = limits({});
      expect(await slots.trySlot(h, 'a', l)).toEqual({ granted: true });
      expect((await slots.trySlot(h, 'b', l)).granted).toBe(false);
      await slots.releaseSlot(h, 'a');
      expect(await slots.trySlot(h, 'b', l)).toEqual({ granted: true });
    });

    it('frees nothing when an unknown lease, or the same lease on another host, is released', async () => {
      const [h, other] = [host(), host()];
      const l = limits({});
      expect(await slots.trySlot(h, 'a', l)).toEqual({ granted: true });
      await slots.releaseSlot(h, 'nobody');
      await slots.releaseSlot(other, 'a');
      expect((await slots.trySlot(h, 'b', l)).granted).toBe(false);
    });

    it('frees the slot of a lease never released (a dead worker) after `leaseMs`', async () => {
      const h = host();
      const l = limits({ leaseMs: 200 });
      expect(await slots.trySlot(h, 'dead', l)).toEqual({ granted: true });
      const refused = await slots.trySlot(h, 'b', l);
      expect(refused.granted).toBe(false);
      if (!refused.granted) expect(refused.waitMs).toBeLessThanOrEqual(200 + CLOCK_SLACK_MS);
      await sleep(250);
      expect(await slots.trySlot(h, 'b', l)).toEqual({ granted: true });
    });

    // the gate over this store

    it('under createHostGate: concurrent acquires start one at a time, `intervalMs` apart', async () => {
      const h = host();
      const gate = createHostGate(slots.trySlot, slots.releaseSlot, limits({ intervalMs: 80, maxWaitMs: 5_000 }));
      const starts: number[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          const release = await gate.acquire(h);
          starts.push(Date.now());
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await sleep(20);
          inFlight--;
          await release();
        }),
      );
      expect(maxInFlight).toBe(1);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(80 - CLOCK_SLACK_MS);
    });

    it('under createHostGate: a host that stays busy past `maxWaitMs` gives HostBusyError (retryable)', async () => {
      const h = host();
      const l = limits({ maxWaitMs: 200 });
      expect(await slots.trySlot(h, 'holder', l)).toEqual({ granted: true });
      const started = Date.now();
      const err = await createHostGate(slots.trySlot, slots.releaseSlot, l).acquire(h, { url: `http://${h}/feed` }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostBusyError);
      expect((err as HostBusyError).retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    opts.additionalTests?.(() => slots);
  });
}
