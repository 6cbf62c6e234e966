import { buildSynonyms } from '../search/analyze.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../errors.js';
import type { ArticleStore } from './port.js';
import { createSqliteStore } from './sqlite/index.js';
import { createMeiliStore } from './meili/index.js';
import { createPostgresStore } from './postgres/index.js';

export const STORE_ENGINES = ['sqlite', 'meili', 'postgres'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

/** The engine the environment names: PostgreSQL when DATABASE_URL is set, else Meilisearch when MEILI_HOST is, else SQLite. */
export const configuredEngine = (config: Config): StoreEngine => (config.env.DATABASE_URL ? 'postgres' : config.env.MEILI_HOST ? 'meili' : 'sqlite');

/** The configured store (configuredEngine), or the one named. */
export async function openStore(config: Config, engine: 'configured' | StoreEngine = 'configured'): Promise<ArticleStore> {
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
