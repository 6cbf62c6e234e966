import type { Config } from '../config/index.js';
import { openSourceCatalogue, type SourceCatalogue } from './catalogue.js';
import { openPostgresCatalogue } from './postgres-catalogue.js';

/**
 * The catalogue config names: in PostgreSQL when DATABASE_URL is set (processes on several hosts share
 * it), else in DATA_DIR's SQLite file (processes sharing that directory share it).
 */
export function openCatalogue(config: Pick<Config, 'env' | 'catalogueFile' | 'sources'>): SourceCatalogue {
  return config.env.DATABASE_URL ? openPostgresCatalogue(config.env.DATABASE_URL, config.sources) : openSourceCatalogue(config.catalogueFile, config.sources);
}
