import { afterAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createRedisHostSlots } from '../../src/state/redis-host-slots.js';
import { UnavailableError } from '../../src/errors.js';
import { runHostSlotsContract } from '../contract/host-gate.contract.js';
import { createMemoryHostSlots } from '../helpers/memory-host-slots.js';
import { REDIS_URL, clearPrefix, uniquePrefix } from '../helpers/redis.js';

const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  redis.disconnect();
  await Promise.all(prefixes.map(clearPrefix));
});

runHostSlotsContract({
  name: 'Redis',
  create: async () => {
    const prefix = uniquePrefix('host-slots');
    prefixes.push(prefix);
    return createRedisHostSlots(redis, prefix);
  },
  additionalTests: () => {
    it('fails with UnavailableError when Redis does not answer, so that nobody blames the site', async () => {
      const down = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
      const slots = createRedisHostSlots(down, uniquePrefix('host-slots'));
      await expect(slots.trySlot('x.test', 'a', { concurrency: 1, intervalMs: 0, leaseMs: 1_000, maxWaitMs: 0 })).rejects.toBeInstanceOf(UnavailableError);
      down.disconnect();
    });
  },
});

// The in-memory double that unit tests use is held to the same contract.
runHostSlotsContract({ name: 'memory (test double)', create: async () => createMemoryHostSlots() });
