import { afterAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createRedisRobotsCache } from '../../src/state/redis-robots.js';
import { UnavailableError } from '../../src/errors.js';
import { runRobotsCacheContract } from '../contract/robots-cache.contract.js';
import { createMemoryRobotsCache } from '../helpers/memory-robots-cache.js';
import { REDIS_URL, clearPrefix, uniquePrefix } from '../helpers/redis.js';

const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  redis.disconnect();
  await Promise.all(prefixes.map(clearPrefix));
});

runRobotsCacheContract({
  name: 'Redis',
  create: async () => {
    const prefix = uniquePrefix('robots-cache');
    prefixes.push(prefix);
    return createRedisRobotsCache(redis, prefix);
  },
  additionalTests: () => {
    it('lets Redis expire the record and the lock, so that nothing outlives a dead worker', async () => {
      const prefix = uniquePrefix('robots-cache');
      prefixes.push(prefix);
      const cache = createRedisRobotsCache(redis, prefix);
      await cache.set('https://x.test', { kind: 'disallow-all', reason: 'robots.txt answered 503', fetchedAt: 'x' }, 300);
      await cache.tryLock('https://x.test', 5_000);
      const ttls = await Promise.all([redis.pttl(`${prefix}:robots:https://x.test`), redis.pttl(`${prefix}:robots-lock:https://x.test`)]);
      expect(ttls[0]).toBeGreaterThan(290_000);
      expect(ttls[0]).toBeLessThanOrEqual(300_000);
      expect(ttls[1]).toBeGreaterThan(0);
      expect(ttls[1]).toBeLessThanOrEqual(5_000);
    });

    it('fails with UnavailableError when Redis does not answer, so that nobody blames the site', async () => {
      const down = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
      const cache = createRedisRobotsCache(down, uniquePrefix('robots-cache'));
      await expect(cache.get('https://x.test')).rejects.toBeInstanceOf(UnavailableError);
      await expect(cache.tryLock('https://x.test', 1_000)).rejects.toBeInstanceOf(UnavailableError);
      down.disconnect();
    });
  },
});

// The in-memory double that unit tests use is held to the same contract.
runRobotsCacheContract({ name: 'memory (test double)', create: async () => createMemoryRobotsCache() });
