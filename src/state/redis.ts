import type { Redis } from 'ioredis';
import type { FetchRecord, FetchState } from './port.js';
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
