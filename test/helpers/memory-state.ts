import type { FetchRecord, FetchState, SavedValidators } from '../../src/state/port.js';
import type { SourceHealth } from '../../src/model/source.js';

/**
 * FetchState in memory, for tests that need no Redis. It keeps one record per source as the Redis
 * adapter keeps one hash, so the two answer alike; test/contract/fetch-state.contract.ts holds both to it.
 */
export function createMemoryFetchState(): FetchState {
  const validators = new Map<string, SavedValidators>();
  const health = new Map<string, SourceHealth>();
  const of = (id: string): SourceHealth => health.get(id) ?? { consecutiveFailures: 0 };
  return {
    async getValidators(id) {
      const v = validators.get(id);
      return v && (v.etag || v.lastModified || v.fullFetchAt) ? structuredClone(v) : undefined;
    },
    async setValidators(id, v) {
      const kept: SavedValidators = { fullFetchAt: validators.get(id)?.fullFetchAt };
      for (const k of ['etag', 'lastModified', 'fullFetchAt'] as const) if (v[k]) kept[k] = v[k];
      if (v.pending && Object.keys(v.pending).length) kept.pending = { ...v.pending };
      if (!kept.fullFetchAt) delete kept.fullFetchAt;
      validators.set(id, kept);
    },
    async recordFetch(id, r: FetchRecord) {
      const h = { ...of(id), lastFetchAt: r.at, lastStatus: r.status };
      if (r.status === 'error' || r.status === 'gone') {
        h.lastError = r.error ?? 'unknown error';
        h.consecutiveFailures++;
        if (r.notBefore) h.notBefore = r.notBefore;
      } else {
        h.consecutiveFailures = 0;
        delete h.lastError;
        delete h.notBefore;
        if (r.itemCount !== undefined) h.lastItemCount = r.itemCount;
      }
      health.set(id, h);
    },
    async getHealth(ids) {
      return new Map(ids.map((id) => [id, { ...of(id) }]));
    },
    async setOperatorPause(id, reason) {
      const h = { ...of(id) };
      if (reason) h.operatorPause = reason;
      else {
        delete h.operatorPause;
        delete h.notBefore;
        h.consecutiveFailures = 0;
      }
      health.set(id, h);
    },
  };
}
