import type { Redis } from 'ioredis';
import type { RobotsCache } from './port.js';

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
