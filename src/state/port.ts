import type { Validators } from '../pipeline/fetch/index.js';
import type { SourceHealth } from '../model/source.js';
import type { RobotsCache } from '../pipeline/fetch/robots.js';

export type { RobotsCache };

export interface FetchRecord {
  at: string;
  /** 'error' and 'gone' (404/410) count as failures toward backoff and pause. */
  status: 'ok' | 'not-modified' | 'error' | 'gone';
  error?: string;
  itemCount?: number;
  /** On errors: the time the server asked us not to come back before. */
  notBefore?: string;
}

/** Validators as saved after a fetch, with the articles that fetch queued. */
export interface SavedValidators extends Validators {
  /**
   * Article id → content hash of what the fetch queued for enrichment. The validators stand for "all of
   * this is stored": until it is, the next run fetches in full instead of trusting a 304.
   */
  pending?: Record<string, string>;
}

/**
 * What every worker on every machine must share about sources: conditional-GET validators and health.
 * Adapters fail with UnavailableError when their backing service does not answer.
 */
export interface FetchState {
  getValidators(sourceId: string): Promise<SavedValidators | undefined>;
  setValidators(sourceId: string, v: SavedValidators): Promise<void>;
  recordFetch(sourceId: string, record: FetchRecord): Promise<void>;
  getHealth(sourceIds: readonly string[]): Promise<Map<string, SourceHealth>>;
  /** Operator pause (with a reason) or resume (undefined); resuming also forgets past failures. */
  setOperatorPause(sourceId: string, reason: string | undefined): Promise<void>;
}
