import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../../src/queue/connection.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A queue prefix no other test uses, so tests can share one Redis. */
export function uniquePrefix(name: string): string {
  return `rr-test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix. */
export async function clearPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix).finally(() => redis.disconnect());
}
