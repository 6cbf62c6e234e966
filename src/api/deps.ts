import type { ArticleStore } from '../store/port.js';
import type { FetchState } from '../state/port.js';
import type { Source } from '../sources/schema.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';

/** What the HTTP app needs; it never sees a store or state adapter, only their ports. */
export interface ApiDeps {
  store: ArticleStore;
  state: FetchState;
  sources: readonly Source[];
  taxonomy: Taxonomy;
  /** True when Redis answers. */
  redisReady(): Promise<boolean>;
  /** Public base URL; when absent, links are built from the request's own URL. */
  publicUrl?: string;
}
