import type { Redis } from 'ioredis';
import type { FetchRecord, FetchState, SavedValidators } from './port.js';
import { UnavailableError } from '../errors.js';
import type { SourceHealth } from '../model/source.js';

/** FetchState in one Redis hash per source: `<prefix>:source:<id>`. */
export function createRedisFetchState(redis: Redis, prefix: string): FetchState {
  const key = (id: string) => `${prefix}:source:${id}`;
  const state: FetchState = {
    async getValidators(sourceId) {
      const [etag, lastModified, fullFetchAt, pending] = await redis.hmget(key(sourceId), 'etag', 'lastModified', 'fullFetchAt', 'pending');
      if (!etag && !lastModified && !fullFetchAt) return undefined;
      return {
        etag: etag ?? undefined,
        lastModified: lastModified ?? undefined,
        fullFetchAt: fullFetchAt ?? undefined,
        ...(pending ? { pending: JSON.parse(pending) as Record<string, string> } : {}),
      };
    },
    async setValidators(sourceId, v: SavedValidators) {
      const fields: Record<string, string> = {};
      for (const k of ['etag', 'lastModified', 'fullFetchAt'] as const) if (v[k]) fields[k] = v[k];
      if (v.pending && Object.keys(v.pending).length) fields.pending = JSON.stringify(v.pending);
      const tx = redis.multi().hdel(key(sourceId), 'etag', 'lastModified', 'pending');
      if (Object.keys(fields).length) tx.hset(key(sourceId), fields);
      await tx.exec();
    },
    async recordFetch(sourceId, r: FetchRecord) {
      const tx = redis.multi().hset(key(sourceId), { lastFetchAt: r.at, lastStatus: r.status });
      if (r.status === 'error' || r.status === 'gone') {
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
      // A pipeline reports each command's error beside its result instead of rejecting: an empty
      // record here would pass a Redis that did not answer off as sources never fetched.
      const failed = results.find(([err]) => err);
      if (failed) throw failed[0];
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
  return withUnavailable('redis', state);
}

/**
 * The same adapter whose every method fails with UnavailableError when the service does not answer,
 * so callers decide by type that the trouble is ours, not a source's.
 */
export function withUnavailable<T extends object>(component: string, adapter: T): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(adapter)) {
    wrapped[name] =
      typeof fn !== 'function'
        ? fn
        : async (...args: unknown[]) => {
            try {
              return await (fn as (...a: unknown[]) => Promise<unknown>).apply(adapter, args);
            } catch (err) {
              throw err instanceof UnavailableError ? err : new UnavailableError(component, (err as Error)?.message ?? String(err), { cause: err });
            }
          };
  }
  return wrapped as T;
}
