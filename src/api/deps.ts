import type { ArticleStore } from '../store/port.js';
import type { FetchState } from '../state/port.js';
import type { SourceCatalogue } from '../sources/catalogue.js';
import type { SourceAdmin } from '../sources/admin.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';

/** What the HTTP app needs; it never sees a store or state adapter, only their ports. */
export interface ApiDeps {
  store: ArticleStore;
  state: FetchState;
  catalogue: Pick<SourceCatalogue, 'list'>;
  /** The admin API, present only when ADMIN_TOKEN is set. */
  admin?: { token: string; sources: SourceAdmin };
  taxonomy: Taxonomy;
  /** True when Redis answers. */
  redisReady(): Promise<boolean>;
  /** Public base URL; when absent, links are built from the request's own URL. */
  publicUrl?: string;
}
