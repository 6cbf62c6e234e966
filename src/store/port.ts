import type { Article } from '../model/article.js';
import type { ArticleFilter, Cursor, PageRequest } from './filter.js';

export interface Page<T> {
  items: T[];
  /** Present when more items follow. */
  nextCursor?: Cursor;
}

/**
 * Everything the app asks of article storage, and no more. Two adapters implement it: SQLite
 * (embedded default) and Meilisearch; one contract suite (test/contract/store.contract.ts) holds both to it.
 */
export interface ArticleStore {
  /** Inserts or replaces articles by id, atomically per batch. Re-running a batch changes nothing. */
  upsertBatch(articles: readonly Article[]): Promise<void>;
  get(id: string): Promise<Article | undefined>;
  /** Newest first (or soonest deadline first with sort 'deadline'), then id; keyset pagination. */
  list(filter: ArticleFilter, page: PageRequest): Promise<Page<Article>>;
  /** Stored content hash per id, for the ids that exist. */
  knownHashes(ids: readonly string[]): Promise<Map<string, string>>;
  /** Every article in id order, a page at a time after `afterId`: for maintenance (re-tagging, re-indexing). */
  scan(afterId: string | undefined, limit: number): Promise<Article[]>;
  countBySource(): Promise<Map<string, number>>;
  countByTheme(): Promise<Map<string, number>>;
  /** True when the store answers; for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
