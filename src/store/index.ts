import { buildSynonyms } from '../search/analyze.js';
import type { Config } from '../config/index.js';
import { StoreError } from '../errors.js';
import type { ArticleStore } from './port.js';
import { createSqliteStore } from './sqlite/index.js';

/** The configured store: the embedded SQLite store; Meilisearch when MEILI_HOST is set. */
export async function openStore(config: Config): Promise<ArticleStore> {
  if (config.env.MEILI_HOST) {
    throw new StoreError(`MEILI_HOST is set (${config.env.MEILI_HOST}) but this build has no Meilisearch adapter yet; unset it to use the embedded store`);
  }
  return createSqliteStore(config.databaseFile, { synonyms: buildSynonyms(config.taxonomy) });
}
