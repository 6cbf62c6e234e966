import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { runFetchStateContract } from '../contract/fetch-state.contract.js';
import { createRedisFetchState } from '../../src/state/redis.js';
import { UnavailableError } from '../../src/errors.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());

runFetchStateContract({
  name: 'Redis',
  create: async () => {
    const prefix = uniquePrefix('fetch-state');
    return { state: createRedisFetchState(redis, prefix), cleanup: () => clearPrefix(prefix) };
  },
});

describe('FetchState on Redis, when Redis does not answer', () => {
  it('fails with UnavailableError naming redis, so callers never blame the source', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    dead.on('error', () => {});
    const state = createRedisFetchState(dead, uniquePrefix('dead'));
    const err = await state.getHealth(['s1']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).component).toBe('redis');
    dead.disconnect();
  });
});
