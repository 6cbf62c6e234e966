import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../observability/log.js';

/**
 * A producer command waits at most this long for its reply. Redis answers in well under a
 * millisecond here; a second without an answer means it is not answering, and the API (which must
 * answer within a second during an outage) and jobs should say so rather than wait.
 */
export const PRODUCER_COMMAND_TIMEOUT_MS = 1_000;
/** Producers retry the connection at least this often, so an answering Redis is noticed within a second. */
const PRODUCER_MAX_RECONNECT_DELAY_MS = 1_000;

/** Told every error of a connection; `repeated` is true for each one after the first since it was last ready (one per reconnect attempt). */
export type RedisErrorHandler = (err: Error, info: { repeated: boolean }) => void;

/**
 * Workers must wait for Redis through a restart (maxRetriesPerRequest: null, as BullMQ requires for
 * blocking connections). Producers and the API fail fast instead of hanging a request: once they have
 * been connected, a command issued while Redis is down fails at once, and any command fails after
 * PRODUCER_COMMAND_TIMEOUT_MS. Before the first connection commands wait for it, so a command issued
 * right after start-up (the demo's clean-up, the CLI's pause) is not refused.
 *
 * An 'error' listener is always attached: without one ioredis prints "[ioredis] Unhandled error
 * event" and a stack to stderr, outside the JSON log. Pass `onError` to log them.
 *
 * @example
 * const redis = createRedis(env.REDIS_URL, 'producer', { onError: redisErrorLogger(log, 'state').onError });
 */
export function createRedis(url: string, role: 'worker' | 'producer', opts: { onError?: RedisErrorHandler } = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: true,
          commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS,
          connectTimeout: 5_000,
          retryStrategy: (times) => Math.min(50 * 2 ** times, PRODUCER_MAX_RECONNECT_DELAY_MS),
        };
  const redis = new Redis(url, { ...options, lazyConnect: false });
  let repeated = false;
  redis.on('error', (err: Error) => {
    opts.onError?.(err, { repeated });
    repeated = true;
  });
  redis.on('ready', () => {
    repeated = false;
    // ioredis reads this option per command: from now on an outage refuses commands instead of queueing them.
    if (role === 'producer') redis.options.enableOfflineQueue = false;
  });
  return redis;
}

/**
 * A BullMQ object's own errors this soon after its connection reported one belong to the same outage
 * (a Worker's blocking connection, which BullMQ duplicates, fails on each of its reconnect attempts;
 * ioredis retries at least every ~5 s).
 */
const OUTAGE_WINDOW_MS = 10_000;

/**
 * Logs a connection's errors as JSON through `log`, stack included: the first of an outage at error
 * level, its repeats (one per reconnect attempt) at debug. `onEmitterError` is for the BullMQ Queue or
 * Worker on that connection, which re-emits the connection's errors (not logged twice) and reports its
 * own connections' (at debug while the outage lasts).
 *
 * @example
 * const errors = redisErrorLogger(log, 'queues');
 * const queue = new Queue('ingest', { connection: createRedis(url, 'producer', { onError: errors.onError }) });
 * queue.on('error', errors.onEmitterError);
 */
export function redisErrorLogger(log: Logger, connection: string): { onError: RedisErrorHandler; onEmitterError: (err: Error) => void } {
  const reported = new WeakSet<Error>();
  let lastReportedAt = Number.NEGATIVE_INFINITY;
  return {
    onError(err, { repeated }) {
      reported.add(err);
      lastReportedAt = Date.now();
      if (repeated) log.debug({ err, connection }, 'redis connection error (repeated)');
      else log.error({ err, connection }, 'redis connection error');
    },
    onEmitterError(err) {
      if (reported.has(err)) return;
      if (Date.now() - lastReportedAt < OUTAGE_WINDOW_MS) log.debug({ err, connection }, 'redis client error during an outage');
      else log.error({ err, connection }, 'redis client error');
    },
  };
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
