import type { FetchRecord, FetchState } from '../../src/state/port.js';
import type { SourceHealth } from '../../src/model/source.js';
import type { Validators } from '../../src/pipeline/fetch/index.js';

/** FetchState in memory, for tests that need no Redis. */
export function createMemoryFetchState(): FetchState & { records: Map<string, FetchRecord[]> } {
  const validators = new Map<string, Validators>();
  const pauses = new Map<string, string>();
  const records = new Map<string, FetchRecord[]>();
  return {
    records,
    async getValidators(id) {
      return validators.get(id);
    },
    async setValidators(id, v) {
      validators.set(id, v);
    },
    async recordFetch(id, r) {
      records.set(id, [...(records.get(id) ?? []), r]);
    },
    async getHealth(ids) {
      const out = new Map<string, SourceHealth>();
      for (const id of ids) {
        const rs = records.get(id) ?? [];
        const last = rs[rs.length - 1];
        let failures = 0;
        for (let i = rs.length - 1; i >= 0 && rs[i]!.status === 'error'; i--) failures++;
        out.set(id, {
          lastFetchAt: last?.at,
          lastStatus: last?.status,
          lastError: last?.status === 'error' ? last.error : undefined,
          consecutiveFailures: failures,
          lastItemCount: last?.itemCount,
          notBefore: last?.notBefore,
          operatorPause: pauses.get(id),
        });
      }
      return out;
    },
    async setOperatorPause(id, reason) {
      if (reason) pauses.set(id, reason);
      else {
        pauses.delete(id);
        records.set(id, []);
      }
    },
  };
}
