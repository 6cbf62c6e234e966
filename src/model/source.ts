export type { Source, ListingSelectors } from '../sources/schema.js';

/** What the operator sees about a source's recent fetches (kept in the shared state store). */
export interface SourceHealth {
  lastFetchAt?: string;
  /** 'gone': the source's URL answered 404 or 410. */
  lastStatus?: 'ok' | 'not-modified' | 'error' | 'gone';
  lastError?: string;
  consecutiveFailures: number;
  lastItemCount?: number;
  /** Not before this time (ISO-8601): the server's Retry-After. */
  notBefore?: string;
  /** Set when the operator paused the source, with their reason. */
  operatorPause?: string;
}
