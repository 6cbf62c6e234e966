import type { Validators } from '../pipeline/fetch/index.js';
import type { SourceHealth } from '../model/source.js';
import type { RobotsCache } from '../pipeline/fetch/robots.js';

export type { RobotsCache };

export interface FetchRecord {
  at: string;
  status: 'ok' | 'not-modified' | 'error';
  error?: string;
  itemCount?: number;
  /** On errors: the time the server asked us not to come back before. */
  notBefore?: string;
}

/** What every worker on every machine must share about sources: conditional-GET validators and health. */
export interface FetchState {
  getValidators(sourceId: string): Promise<Validators | undefined>;
  setValidators(sourceId: string, v: Validators): Promise<void>;
  recordFetch(sourceId: string, record: FetchRecord): Promise<void>;
  getHealth(sourceIds: readonly string[]): Promise<Map<string, SourceHealth>>;
  /** Operator pause (with a reason) or resume (undefined); resuming also forgets past failures. */
  setOperatorPause(sourceId: string, reason: string | undefined): Promise<void>;
}
