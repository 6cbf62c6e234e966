import { HostBusyError } from '../../errors.js';
import type { HttpClient } from './client.js';

/**
 * Per-host politeness shared by every worker: at most `concurrency` requests in flight to one host,
 * and at least `intervalMs` between the starts of two requests to it. Sources on one host (the
 * regjeringen.no feeds and listings, say) are scheduled independently; without a shared gate a
 * burst of due jobs on several workers would hit the host all at once.
 */
export interface HostGate {
  /** Waits for a slot on `host`; returns the release. Throws HostBusyError (retryable) after `maxWaitMs`. */
  acquire(host: string, ctx?: { sourceId?: string; url?: string }): Promise<() => Promise<void>>;
}

export interface HostLimits {
  concurrency: number;
  intervalMs: number;
  /** A lease not released within this (a worker died mid-request) frees its slot. */
  leaseMs: number;
  /** Longest a request waits for its host before the job gives up and is retried later. */
  maxWaitMs: number;
}

/** An HttpClient whose every request first takes a slot on its host. */
export function gatedHttpClient(client: HttpClient, gate: HostGate): HttpClient {
  return {
    async get(url, headers, ctx) {
      const release = await gate.acquire(new URL(url).host.toLowerCase(), { ...ctx, url });
      try {
        return await client.get(url, headers, ctx);
      } finally {
        await release();
      }
    },
    close: () => client.close(),
  };
}

/** What one attempt at a slot answers: granted, or how long to wait before asking again. */
export type SlotAnswer = { granted: true } | { granted: false; waitMs: number };

/**
 * The slot store behind the gate, shared by every worker (Redis; memory in tests). Both adapters pass
 * test/contract/host-gate.contract.ts.
 */
export interface HostSlots {
  /** Takes a slot for `leaseId` when fewer than `concurrency` leases are live and `intervalMs` has passed since the last start. */
  trySlot(host: string, leaseId: string, limits: HostLimits): Promise<SlotAnswer>;
  /** Frees `leaseId`'s slot; unknown or expired leases are ignored. */
  releaseSlot(host: string, leaseId: string): Promise<void>;
}

/** The waiting loop over a store that answers slot requests (Redis, or memory in tests). */
export function createHostGate(
  trySlot: HostSlots['trySlot'],
  releaseSlot: HostSlots['releaseSlot'],
  limits: HostLimits,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): HostGate {
  let counter = 0;
  return {
    async acquire(host, ctx = {}) {
      const leaseId = `${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
      const started = Date.now();
      for (;;) {
        const answer = await trySlot(host, leaseId, limits);
        if (answer.granted) return () => releaseSlot(host, leaseId);
        if (Date.now() - started + answer.waitMs > limits.maxWaitMs) {
          throw new HostBusyError(`host ${host} is busy: no request slot within ${limits.maxWaitMs} ms`, ctx);
        }
        // Small random spread so that waiting workers do not ask again in the same millisecond.
        await sleep(answer.waitMs + Math.floor(Math.random() * 25));
      }
    },
  };
}
