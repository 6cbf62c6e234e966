import type { HostSlots } from '../../src/pipeline/fetch/host-gate.js';

/**
 * The host gate's slot store in memory, for tests without Redis: the Lua script of
 * src/state/redis-host-slots.ts on this process's clock. Held to the same contract.
 */
export function createMemoryHostSlots(): HostSlots {
  const hosts = new Map<string, { leases: Map<string, number>; nextStart: number }>();
  return {
    async trySlot(host, leaseId, limits) {
      const now = Date.now();
      const h = hosts.get(host) ?? { leases: new Map<string, number>(), nextStart: 0 };
      hosts.set(host, h);
      for (const [id, expires] of h.leases) if (expires <= now) h.leases.delete(id);
      if (h.leases.size >= limits.concurrency) {
        const soonest = Math.min(...h.leases.values());
        // Capped as in Redis, so that a released slot is noticed soon.
        return { granted: false, waitMs: Math.max(1, Math.min(soonest - now, 250)) };
      }
      if (now < h.nextStart) return { granted: false, waitMs: h.nextStart - now };
      h.leases.set(leaseId, now + limits.leaseMs);
      h.nextStart = now + limits.intervalMs;
      return { granted: true };
    },
    async releaseSlot(host, leaseId) {
      hosts.get(host)?.leases.delete(leaseId);
    },
  };
}
