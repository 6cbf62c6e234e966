import type { Article, StoryAssignment } from '../model/article.js';
import type { ArticleFilter, Cursor, PageRequest } from './filter.js';
import type { AnalyzedQuery } from '../search/analyze.js';

export interface Page<T> {
  items: T[];
  /** Present when more items follow. */
  nextCursor?: Cursor;
}

/**
 * Search pages reach this many hits deep at most, in both engines: Meilisearch bounds every query by
 * its `maxTotalHits`, and nobody pages through ten thousand ranked hits.
 */
export const MAX_SEARCH_HITS = 10_000;

export interface SearchRequest {
  q: string;
  filter: ArticleFilter;
  limit: number;
  offset: number;
  /** Languages to stem the query in; all written languages when unknown. */
  languages?: readonly string[];
}

/** Hit counts per value of each facet, over all hits of the query and filters. */
export interface SearchFacets {
  themes: Record<string, number>;
  languages: Record<string, number>;
  sources: Record<string, number>;
  countries: Record<string, number>;
}

export interface SearchResult {
  /** Best match first. */
  items: Article[];
  total: number;
  facets: SearchFacets;
  /** The query as it was analysed, for highlighting. */
  query: AnalyzedQuery;
}

export const emptyFacets = (): SearchFacets => ({ themes: {}, languages: {}, sources: {}, countries: {} });

/** The answer to a query with nothing to match (only punctuation): no hits, empty facets. */
export const noHits = (query: AnalyzedQuery): SearchResult => ({ items: [], total: 0, facets: emptyFacets(), query });

/** What `checkIndex` found: the articles as stored against what the search index holds. */
export interface IndexCheck {
  stored: number;
  indexed: number;
  /** Stored but not found by search (at most CHECK_LIST_MAX ids; the counts are exact). */
  onlyStored: string[];
  onlyStoredCount: number;
  /** In the index but not stored. */
  onlyIndexed: string[];
  onlyIndexedCount: number;
  /** In both, but the index holds another version (or other facet fields). */
  differing: string[];
  differingCount: number;
}

/** How many ids of each kind an IndexCheck lists. */
export const CHECK_LIST_MAX = 20;

export const indexConsistent = (c: IndexCheck): boolean => c.onlyStoredCount + c.onlyIndexedCount + c.differingCount === 0;

/**
 * Everything the app asks of article storage, and no more. Two adapters implement it: SQLite
 * (embedded default) and Meilisearch; one contract suite (test/contract/store.contract.ts) holds both to it.
 */
export interface ArticleStore {
  /**
   * Writes what ingestion delivered: each article merged with the stored one by `mergeArticle`
   * (pipeline/dedupe/merge.ts) — every source recorded, the publisher's version kept, stale versions
   * ignored — in order within the batch, atomically per batch. Re-running a batch changes nothing. A new
   * article gets `storedAt` (now); a stored one keeps its own.
   */
  ingestBatch(articles: readonly Article[]): Promise<void>;
  /**
   * Inserts or replaces articles by id as given, atomically per batch (re-tagging, re-indexing). Re-running a
   * batch changes nothing. An article given without `storedAt` keeps the stored one, else counts from its first sighting.
   */
  upsertBatch(articles: readonly Article[]): Promise<void>;
  /**
   * Records the stories pass's decisions (story, duplicateOf) on stored articles, touching nothing else of
   * them; ids not stored are ignored. Returns how many articles changed.
   */
  setStories(assignments: readonly StoryAssignment[]): Promise<number>;
  /** Deletes articles by id; ids not stored are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  get(id: string): Promise<Article | undefined>;
  /** Newest first (or soonest deadline first with sort 'deadline'), then id; keyset pagination. */
  list(filter: ArticleFilter, page: PageRequest): Promise<Page<Article>>;
  /** Ranked full-text search (title over summary over body) with the list's filters and facet counts. */
  search(req: SearchRequest): Promise<SearchResult>;
  /** The content hash `sourceId` last delivered, per id, for the ids it has delivered. */
  knownHashes(sourceId: string, ids: readonly string[]): Promise<Map<string, string>>;
  /** Every article in id order, a page at a time after `afterId`: for maintenance (re-tagging, re-indexing). */
  scan(afterId: string | undefined, limit: number): Promise<Article[]>;
  /** Articles per source that carried them (an article relayed by two sources counts for both). */
  countBySource(): Promise<Map<string, number>>;
  countByTheme(): Promise<Map<string, number>>;
  /** How many articles the store holds, each once; with a filter, how many match it (as `list` would page through). */
  count(filter?: ArticleFilter): Promise<number>;
  /** Compares the stored articles with the search index, for `regionradar check-index` after a crash. */
  checkIndex(): Promise<IndexCheck>;
  /**
   * For a store whose search index follows its records (PostgreSQL with Meilisearch, store/indexed/):
   * replays the writes the index missed. Absent where records and index are one.
   */
  syncIndex?(): Promise<unknown>;
  /** True when the store answers; for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
