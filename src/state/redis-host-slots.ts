import type { Redis } from 'ioredis';
import type { HostSlots } from '../pipeline/fetch/host-gate.js';
import { withUnavailable } from './redis.js';

/**
 * One slot request, atomic in Redis so that workers on several machines share the gate. The clock
 * is Redis's own (TIME), so machines with skewed clocks agree. Leases expire: a worker that dies
 * mid-request frees its slot after `leaseMs`.
 *
 * KEYS: active (sorted set lease → expiry ms), next (earliest next start ms)
 * ARGV: leaseId, concurrency, intervalMs, leaseMs
 * Returns 0 when granted, else the milliseconds to wait.
 */
const TRY_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local concurrency = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= concurrency then
  local soonest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.min(tonumber(soonest[2]) - now, 250))
end
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextStart then return nextStart - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', math.max(tonumber(ARGV[3]), 1))
return 0
`;

/**
 * The per-host gate's slot store in Redis: `<prefix>:host:<host>:active|next`. Fails with
 * UnavailableError when Redis does not answer, so that a job can tell our trouble from the site's.
 */
export function createRedisHostSlots(redis: Redis, prefix: string): HostSlots {
  const keys = (host: string) => [`${prefix}:host:${host}:active`, `${prefix}:host:${host}:next`] as const;
  return withUnavailable('redis', {
    async trySlot(host, leaseId, limits) {
      const [active, next] = keys(host);
      const wait = Number(await redis.eval(TRY_SLOT, 2, active, next, leaseId, limits.concurrency, limits.intervalMs, limits.leaseMs));
      return wait === 0 ? { granted: true } : { granted: false, waitMs: wait };
    },
    async releaseSlot(host, leaseId) {
      await redis.zrem(keys(host)[0], leaseId);
    },
  } satisfies HostSlots);
}
