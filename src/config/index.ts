import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { packageRoot } from './paths.js';
import { envSchema, type Env } from './env.js';
import { loadYamlFile, validate } from './load.js';
import { sourcesFileSchema, type Source } from '../sources/schema.js';
import { taxonomySchema, type Taxonomy } from '../pipeline/themes/schema.js';
import { languageProfilesSchema, type LanguageProfiles } from '../pipeline/language/schema.js';
import { gazetteerSchema, type Gazetteer } from '../pipeline/regions/schema.js';

export interface Config {
  env: Env;
  sources: Source[];
  taxonomy: Taxonomy;
  languageProfiles: LanguageProfiles;
  gazetteer: Gazetteer;
  /** Version of the tagging rules: the taxonomy's and the gazetteer's together. */
  tagVersion: number;
  /** Absolute path of the SQLite database file. */
  databaseFile: string;
  /** Absolute path of the SQLite file holding runtime changes to the source catalogue. */
  catalogueFile: string;
  /** Absolute path of the SQLite file holding subscribers, the digest ledger and webhooks. */
  subscribersFile: string;
}

/**
 * Reads and validates the environment and the files in CONFIG_DIR once, into one frozen object.
 * The only reader of process.env; everything else receives Config.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset, as docker-compose's `VAR=` and `${VAR:-}` leave them.
  const env = validate('environment', envSchema, Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== '')));
  const dir = env.CONFIG_DIR ? resolve(env.CONFIG_DIR) : join(packageRoot(), 'config');
  const { sources } = loadYamlFile(join(dir, 'sources.yaml'), sourcesFileSchema);
  const taxonomy = loadYamlFile(join(dir, 'themes.yaml'), taxonomySchema);
  const { languages } = loadYamlFile(join(dir, 'languages.yaml'), languageProfilesSchema);
  const { regions, version: gazetteerVersion } = loadYamlFile(join(dir, 'regions.yaml'), gazetteerSchema);
  if (!!env.SECRET_KEY !== !!env.SMTP_URL) {
    throw new ConfigError('environment', env.SECRET_KEY ? 'SMTP_URL' : 'SECRET_KEY', `is not set but ${env.SECRET_KEY ? 'SECRET_KEY' : 'SMTP_URL'} is: subscriptions need both`);
  }
  if (!!env.INBOUND_TLS_CERT !== !!env.INBOUND_TLS_KEY) {
    const [missing, given] = env.INBOUND_TLS_CERT ? ['INBOUND_TLS_KEY', 'INBOUND_TLS_CERT'] : ['INBOUND_TLS_CERT', 'INBOUND_TLS_KEY'];
    throw new ConfigError('environment', missing, `is not set but ${given} is: STARTTLS needs both`);
  }
  for (const name of ['INBOUND_TLS_CERT', 'INBOUND_TLS_KEY'] as const) {
    const file = env[name];
    if (file && !existsSync(file)) throw new ConfigError('environment', name, `no such file: ${file}`);
  }
  if (env.MEILI_API_KEY && !env.MEILI_HOST) {
    throw new ConfigError('environment', 'MEILI_API_KEY', 'is set but MEILI_HOST is not');
  }
  return deepFreeze({
    env,
    sources,
    taxonomy,
    languageProfiles: languages,
    gazetteer: regions,
    // Either file's version raised changes this number, and `regionradar retag` brings stored articles up to it.
    tagVersion: taxonomy.version * 1000 + gazetteerVersion,
    databaseFile: resolve(env.DATA_DIR, 'regionradar.sqlite'),
    catalogueFile: resolve(env.DATA_DIR, 'catalogue.sqlite'),
    subscribersFile: resolve(env.DATA_DIR, 'subscribers.sqlite'),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
