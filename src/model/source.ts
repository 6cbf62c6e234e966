export type { Source, ListingSelectors } from '../sources/schema.js';

/** What the operator sees about a source's recent fetches (kept in the shared state store). */
export interface SourceHealth {
  lastFetchAt?: string;
  lastStatus?: 'ok' | 'not-modified' | 'error';
  lastError?: string;
  consecutiveFailures: number;
  lastItemCount?: number;
  /** Not before this time (ISO-8601): the server's Retry-After. */
  notBefore?: string;
  /** Set when the operator paused the source, with their reason. */
  operatorPause?: string;
}
