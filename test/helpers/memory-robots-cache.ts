import type { RobotsCache } from '../../src/state/port.js';
import type { RobotsRecord } from '../../src/pipeline/fetch/robots.js';

/** RobotsCache in memory, for tests that need no Redis; held to the same contract as the Redis adapter. */
export function createMemoryRobotsCache(): RobotsCache {
  const records = new Map<string, { record: RobotsRecord; expires: number }>();
  const locks = new Map<string, { token: string; expires: number }>();
  let counter = 0;
  return {
    async get(origin) {
      const e = records.get(origin);
      // A copy, as Redis hands back: callers cannot change what is stored.
      return e && e.expires > Date.now() ? structuredClone(e.record) : undefined;
    },
    async set(origin, record, ttlSeconds) {
      records.set(origin, { record: structuredClone(record), expires: Date.now() + ttlSeconds * 1000 });
    },
    async tryLock(origin, ttlMs) {
      const held = locks.get(origin);
      if (held && held.expires > Date.now()) return undefined;
      const token = `lock-${++counter}`;
      locks.set(origin, { token, expires: Date.now() + ttlMs });
      return token;
    },
    async unlock(origin, token) {
      if (locks.get(origin)?.token === token) locks.delete(origin);
    },
  };
}

/** What the policy asked a cache to store, and for how long. */
export interface RobotsSet {
  origin: string;
  record: RobotsRecord;
  ttlSeconds: number;
}

/** Wraps a cache, recording every `set` and lock attempt, so that tests can read the TTL the policy chose and count who asked. */
export function recordingRobotsCache(inner: RobotsCache): RobotsCache & { sets: RobotsSet[]; lockAttempts: string[] } {
  const sets: RobotsSet[] = [];
  const lockAttempts: string[] = [];
  return {
    sets,
    lockAttempts,
    get: (origin) => inner.get(origin),
    async set(origin, record, ttlSeconds) {
      sets.push({ origin, record, ttlSeconds });
      await inner.set(origin, record, ttlSeconds);
    },
    tryLock(origin, ttlMs) {
      lockAttempts.push(origin);
      return inner.tryLock(origin, ttlMs);
    },
    unlock: (origin, token) => inner.unlock(origin, token),
  };
}
