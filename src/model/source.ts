export type { Source, ListingSelectors } from '../sources/schema.js';

/** What the operator sees about a source's recent fetches (kept in the shared state store). */
export interface SourceHealth {
  lastFetchAt?: string;
  lastStatus?: 'ok' | 'not-modified' | 'error';
  lastError?: string;
  consecutiveFailures: number;
  lastItemCount?: number;
}
