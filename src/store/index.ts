import { buildSynonyms } from '../search/analyze.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../errors.js';
import type { ArticleStore } from './port.js';
import { createSqliteStore } from './sqlite/index.js';
import { createMeiliStore } from './meili/index.js';

/** The configured store: Meilisearch when MEILI_HOST is set, else the embedded SQLite store. */
export async function openStore(config: Config, engine: 'configured' | 'sqlite' | 'meili' = 'configured'): Promise<ArticleStore> {
  const synonyms = buildSynonyms(config.taxonomy);
  const meili = engine === 'meili' || (engine === 'configured' && config.env.MEILI_HOST);
  if (meili) {
    if (!config.env.MEILI_HOST) throw new ConfigError('environment', 'MEILI_HOST', 'is required to use the Meilisearch store (e.g. http://127.0.0.1:7700)');
    return createMeiliStore({ host: config.env.MEILI_HOST, apiKey: config.env.MEILI_API_KEY, index: config.env.MEILI_INDEX, synonyms });
  }
  return createSqliteStore(config.databaseFile, { synonyms });
}
