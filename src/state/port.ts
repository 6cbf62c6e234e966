import type { Validators } from '../pipeline/fetch/index.js';
import type { SourceHealth } from '../model/source.js';

export interface FetchRecord {
  at: string;
  status: 'ok' | 'not-modified' | 'error';
  error?: string;
  itemCount?: number;
}

/** What every worker on every machine must share about sources: conditional-GET validators and health. */
export interface FetchState {
  getValidators(sourceId: string): Promise<Validators | undefined>;
  setValidators(sourceId: string, v: Validators): Promise<void>;
  recordFetch(sourceId: string, record: FetchRecord): Promise<void>;
  getHealth(sourceIds: readonly string[]): Promise<Map<string, SourceHealth>>;
}
