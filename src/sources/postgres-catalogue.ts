import type pg from 'pg';
import { StoreError } from '../errors.js';
import { applyMigrations, createPool, describeTarget, isRetryable } from '../store/postgres/open.js';
import { layerChanges, parseSourceInput, sourceToInput, type SourceCatalogue } from './catalogue.js';
import type { Source } from './schema.js';

/** Advisory-lock key of the catalogue's migrations, so processes starting together create its table once. */
const CATALOGUE_LOCK = 0x727263617461; // "rrcata"

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS source_changes (
    id TEXT PRIMARY KEY,
    source_json TEXT,
    seq BIGSERIAL NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`,
];

interface ChangeRow {
  id: string;
  source_json: string | null;
}

/**
 * Runtime changes to the catalogue in PostgreSQL (DATABASE_URL), for processes on several hosts: the
 * same rows as the SQLite catalogue (one per changed source, the whole source as config would write
 * it, or a tombstone; listed in the order first added), read per use, so a change made through any API
 * process is what every worker's next fetch reads. Rows are re-validated on read.
 */
export function openPostgresCatalogue(connectionString: string, configured: readonly Source[], opts: { poolSize?: number } = {}): SourceCatalogue {
  const pool = createPool({ connectionString, poolSize: opts.poolSize ?? 2, statementTimeoutMs: 10_000, connectTimeoutMs: 10_000 });
  const where = describeTarget(connectionString);
  const failed = (what: string, err: unknown) =>
    err instanceof StoreError
      ? err
      : new StoreError(`the source catalogue at ${where}: ${what} failed: ${(err as Error)?.message ?? String(err)}`, {
          cause: err,
          // Judged as the PostgreSQL store judges its own: by SQLSTATE class, or the connection's trouble.
          retryable: isRetryable(err),
        });
  let ready: Promise<void> | undefined;
  // Created on first use, so a process starts while PostgreSQL is still coming up; a failed try is tried again.
  const ensure = () =>
    (ready ??= applyMigrations(pool, { lock: CATALOGUE_LOCK, table: 'catalogue_migrations', migrations: MIGRATIONS }).catch((err) => {
      ready = undefined;
      throw failed('opening', err);
    }));
  const query = async <R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []) => {
    await ensure();
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw failed(what, err);
    }
  };
  const fromConfig = new Map(configured.map((s) => [s.id, s]));
  const read = (row: ChangeRow) => (row.source_json === null ? undefined : parseSourceInput(JSON.parse(row.source_json), `${where} (source ${row.id})`));
  // The first runtime change of a source fixes its place in the list; later changes keep it.
  const write = (id: string, json: string | null) =>
    query('write', 'INSERT INTO source_changes (id, source_json) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET source_json = EXCLUDED.source_json, changed_at = now()', [id, json]);

  const catalogue: SourceCatalogue = {
    async list() {
      return layerChanges(configured, await query<ChangeRow>('list', 'SELECT id, source_json FROM source_changes ORDER BY seq'), read);
    },
    async get(id) {
      const [change] = await query<ChangeRow>('get', 'SELECT id, source_json FROM source_changes WHERE id = $1', [id]);
      return change ? read(change) : fromConfig.get(id);
    },
    async put(source) {
      const existed = (await catalogue.get(source.id)) !== undefined;
      await write(source.id, JSON.stringify(sourceToInput(source)));
      return existed ? 'updated' : 'created';
    },
    async remove(id) {
      if ((await catalogue.get(id)) === undefined) return false;
      await write(id, null);
      return true;
    },
    close: () => void pool.end().catch(() => undefined),
  };
  return catalogue;
}
