import { Redis, type RedisOptions } from 'ioredis';

/**
 * Workers must wait for Redis through a restart (maxRetriesPerRequest: null, as BullMQ requires for
 * blocking connections); producers and the API fail fast instead of hanging a request.
 */
export function createRedis(url: string, role: 'worker' | 'producer'): Redis {
  const opts: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 };
  return new Redis(url, { ...opts, lazyConnect: false });
}

/** Resolves when Redis answers PING, or rejects after `timeoutMs` with the reason. */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `<prefix>:`, a batch at a time (SCAN, never KEYS, so Redis stays responsive). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
