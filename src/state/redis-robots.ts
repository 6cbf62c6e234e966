import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RobotsCache } from './port.js';
import { withUnavailable } from './redis.js';

/** Deletes the lock only while it still holds our token, in one step. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * robots.txt records per origin (`<prefix>:robots:<origin>`), expiring on their own, and the
 * per-origin fetch lock (`<prefix>:robots-lock:<origin>`, SET NX PX: it frees itself if its holder dies).
 * Fails with UnavailableError when Redis does not answer: our trouble, never the site's.
 */
export function createRedisRobotsCache(redis: Redis, prefix: string): RobotsCache {
  const key = (origin: string) => `${prefix}:robots:${origin}`;
  const lockKey = (origin: string) => `${prefix}:robots-lock:${origin}`;
  return withUnavailable('redis', {
    async get(origin) {
      const v = await redis.get(key(origin));
      return v ? JSON.parse(v) : undefined;
    },
    async set(origin, record, ttlSeconds) {
      await redis.set(key(origin), JSON.stringify(record), 'EX', ttlSeconds);
    },
    async tryLock(origin, ttlMs) {
      const token = randomBytes(12).toString('base64url');
      return (await redis.set(lockKey(origin), token, 'PX', ttlMs, 'NX')) === 'OK' ? token : undefined;
    },
    async unlock(origin, token) {
      await redis.eval(UNLOCK, 1, lockKey(origin), token);
    },
  } satisfies RobotsCache);
}
