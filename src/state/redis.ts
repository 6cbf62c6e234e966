import type { Redis } from 'ioredis';
import type { HostLimits, SlotAnswer } from '../pipeline/fetch/host-gate.js';
import type { FetchRecord, FetchState, RobotsCache } from './port.js';
import type { SourceHealth } from '../model/source.js';
import type { Validators } from '../pipeline/fetch/index.js';

/** FetchState in one Redis hash per source: `<prefix>:source:<id>`. */
export function createRedisFetchState(redis: Redis, prefix: string): FetchState {
  const key = (id: string) => `${prefix}:source:${id}`;
  return {
    async getValidators(sourceId) {
      const [etag, lastModified, fullFetchAt] = await redis.hmget(key(sourceId), 'etag', 'lastModified', 'fullFetchAt');
      if (!etag && !lastModified && !fullFetchAt) return undefined;
      return { etag: etag ?? undefined, lastModified: lastModified ?? undefined, fullFetchAt: fullFetchAt ?? undefined };
    },
    async setValidators(sourceId, v: Validators) {
      const fields: Record<string, string> = {};
      for (const [k, val] of Object.entries(v)) if (val) fields[k] = val;
      const tx = redis.multi().hdel(key(sourceId), 'etag', 'lastModified');
      if (Object.keys(fields).length) tx.hset(key(sourceId), fields);
      await tx.exec();
    },
    async recordFetch(sourceId, r: FetchRecord) {
      const tx = redis.multi().hset(key(sourceId), { lastFetchAt: r.at, lastStatus: r.status });
      if (r.status === 'error') {
        tx.hset(key(sourceId), 'lastError', r.error ?? 'unknown error').hincrby(key(sourceId), 'consecutiveFailures', 1);
        if (r.notBefore) tx.hset(key(sourceId), 'notBefore', r.notBefore);
      } else {
        tx.hset(key(sourceId), 'consecutiveFailures', 0).hdel(key(sourceId), 'lastError', 'notBefore');
        if (r.itemCount !== undefined) tx.hset(key(sourceId), 'lastItemCount', r.itemCount);
      }
      await tx.exec();
    },
    async getHealth(sourceIds) {
      const pipeline = redis.pipeline();
      for (const id of sourceIds) pipeline.hgetall(key(id));
      const results = (await pipeline.exec()) ?? [];
      const out = new Map<string, SourceHealth>();
      sourceIds.forEach((id, i) => {
        const h = (results[i]?.[1] ?? {}) as Record<string, string>;
        out.set(id, {
          lastFetchAt: h.lastFetchAt,
          lastStatus: h.lastStatus as SourceHealth['lastStatus'],
          lastError: h.lastError,
          consecutiveFailures: Number(h.consecutiveFailures ?? 0),
          lastItemCount: h.lastItemCount === undefined ? undefined : Number(h.lastItemCount),
          notBefore: h.notBefore,
          operatorPause: h.operatorPause,
        });
      });
      return out;
    },
    async setOperatorPause(sourceId, reason) {
      if (reason) await redis.hset(key(sourceId), 'operatorPause', reason);
      else await redis.multi().hdel(key(sourceId), 'operatorPause', 'notBefore').hset(key(sourceId), 'consecutiveFailures', 0).exec();
    },
  };
}

/** robots.txt records per origin, expiring on their own (RFC 9309's 24 hours). */
export function createRedisRobotsCache(redis: Redis, prefix: string): RobotsCache {
  const key = (origin: string) => `${prefix}:robots:${origin}`;
  return {
    async get(origin) {
      const v = await redis.get(key(origin));
      return v ? JSON.parse(v) : undefined;
    },
    async set(origin, record, ttlSeconds) {
      await redis.set(key(origin), JSON.stringify(record), 'EX', ttlSeconds);
    },
  };
}

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

/** The per-host gate's slot store in Redis: `<prefix>:host:<host>:active|next`. */
export function createRedisHostSlots(redis: Redis, prefix: string) {
  const keys = (host: string) => [`${prefix}:host:${host}:active`, `${prefix}:host:${host}:next`] as const;
  return {
    async trySlot(host: string, leaseId: string, limits: HostLimits): Promise<SlotAnswer> {
      const [active, next] = keys(host);
      const wait = Number(await redis.eval(TRY_SLOT, 2, active, next, leaseId, limits.concurrency, limits.intervalMs, limits.leaseMs));
      return wait === 0 ? { granted: true } : { granted: false, waitMs: wait };
    },
    async releaseSlot(host: string, leaseId: string): Promise<void> {
      await redis.zrem(keys(host)[0], leaseId);
    },
  };
}
