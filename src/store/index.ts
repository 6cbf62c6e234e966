import { buildSynonyms } from '../search/analyze.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../observability/log.js';
import type { ArticleStore } from './port.js';
import { createSqliteStore } from './sqlite/index.js';
import { createMeiliStore } from './meili/index.js';
import { createPostgresStore } from './postgres/index.js';
import { createPostgresOutbox } from './postgres/outbox.js';
import { createIndexedStore, openOnUse, type IndexedStore, type IndexOutbox } from './indexed/index.js';

export const STORE_ENGINES = ['sqlite', 'meili', 'postgres'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

/**
 * The single engine the environment names: PostgreSQL when DATABASE_URL is set, else Meilisearch when
 * MEILI_HOST is, else SQLite. With both set, PostgreSQL holds the records and Meilisearch follows it as
 * the search index (see `indexedConfigured` and `openStore`); this names the engine of the records.
 */
export const configuredEngine = (config: Config): StoreEngine => (config.env.DATABASE_URL ? 'postgres' : config.env.MEILI_HOST ? 'meili' : 'sqlite');

/** True when DATABASE_URL and MEILI_HOST are both set: PostgreSQL records with a Meilisearch index that follows them. */
export const indexedConfigured = (config: Config): boolean => !!config.env.DATABASE_URL && !!config.env.MEILI_HOST;

/**
 * The configured store, or the single engine named. Configured with both DATABASE_URL and MEILI_HOST it
 * is the indexed store (PostgreSQL records, Meilisearch index, the outbox between them); otherwise the
 * engine `configuredEngine` names.
 */
export async function openStore(config: Config, engine: 'configured' | StoreEngine = 'configured', opts: { log?: Logger } = {}): Promise<ArticleStore> {
  if (engine === 'configured' && indexedConfigured(config)) return (await openStores(config, opts))!.store;
  const synonyms = buildSynonyms(config.taxonomy);
  const chosen = engine === 'configured' ? configuredEngine(config) : engine;
  if (chosen === 'postgres') {
    if (!config.env.DATABASE_URL) throw new ConfigError('environment', 'DATABASE_URL', 'is required to use the PostgreSQL store (e.g. postgres://regionradar@127.0.0.1:5432/regionradar)');
    return createPostgresStore({ connectionString: config.env.DATABASE_URL, poolSize: config.env.DATABASE_POOL_SIZE, synonyms });
  }
  if (chosen === 'meili') {
    if (!config.env.MEILI_HOST) throw new ConfigError('environment', 'MEILI_HOST', 'is required to use the Meilisearch store (e.g. http://127.0.0.1:7700)');
    return createMeiliStore({ host: config.env.MEILI_HOST, apiKey: config.env.MEILI_API_KEY, index: config.env.MEILI_INDEX, synonyms });
  }
  return createSqliteStore(config.databaseFile, { synonyms });
}

/** The parts of the indexed store, for maintenance (`regionradar reindex` rebuilds `index` from `records`). */
export interface IndexedStores {
  /** The indexed store over the three below; closing it closes them. */
  store: IndexedStore;
  records: ArticleStore;
  index: ArticleStore;
  outbox: IndexOutbox;
}

/** The indexed store and its parts when DATABASE_URL and MEILI_HOST are both set, else undefined. */
export async function openStores(config: Config, opts: { log?: Logger } = {}): Promise<IndexedStores | undefined> {
  const { DATABASE_URL, MEILI_HOST } = config.env;
  if (!DATABASE_URL || !MEILI_HOST) return undefined;
  const synonyms = buildSynonyms(config.taxonomy);
  const records = await createPostgresStore({ connectionString: DATABASE_URL, poolSize: config.env.DATABASE_POOL_SIZE, synonyms });
  const opened: Array<{ close(): Promise<void> }> = [records];
  try {
    const outbox = await createPostgresOutbox({ connectionString: DATABASE_URL });
    opened.push(outbox);
    // Opened on first use (and again after a failed opening): a process starts, and its writes are queued for
    // the index, while Meilisearch is down.
    const index = openOnUse(() => createMeiliStore({ host: MEILI_HOST, apiKey: config.env.MEILI_API_KEY, index: config.env.MEILI_INDEX, synonyms }));
    return { store: createIndexedStore({ records, index, outbox, log: opts.log }), records, index, outbox };
  } catch (err) {
    await Promise.allSettled(opened.map((s) => s.close()));
    throw err;
  }
}
