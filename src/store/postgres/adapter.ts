import type pg from 'pg';
import { StoreError } from '../../errors.js';
import { createPool, describeTarget, storeError, type PoolOptions } from './open.js';

// The pooled connection and versioned schema that the subscriber, webhook and inbox adapters share.

/** What one adapter's tables need: its own advisory-lock key and migrations table, so adapters sharing a database never apply each other's versions. */
export interface AdapterSchema {
  /** Names the store in errors, e.g. "the subscribers' database". */
  what: string;
  /** Key of the transaction-level advisory lock the migrations run under; a constant no other code uses. */
  lock: number;
  /** The table recording which of `migrations` are applied. */
  table: string;
  /** Numbered by position: version n is `migrations[n - 1]`. Append only. */
  migrations: readonly string[];
}

/** A pooled connection to one adapter's tables, with failures turned into StoreErrors judged by SQLSTATE class. */
export interface AdapterPool {
  query<R extends pg.QueryResultRow>(what: string, sql: string, params?: unknown[]): Promise<R[]>;
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  execute(what: string, sql: string, params?: unknown[]): Promise<number>;
  /** Runs `fn` in one transaction on one connection; a connection that failed is closed, not reused. */
  transaction<T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Four connections: these stores answer subscription pages, admin calls and one job at a time per
 * worker, each a few short statements; the article store's pool carries the heavy reads.
 */
const DEFAULT_POOL_SIZE = 4;

/**
 * Opens a pool and brings the adapter's tables to its newest migration, in one transaction under its
 * advisory lock: processes starting together apply each version once (the others wait, then find it
 * applied), and a failed migration rolls back whole.
 *
 * @example const db = await openAdapterPool({ connectionString }, { what: 'the webhook store', lock: WEBHOOK_LOCK, table: 'webhook_migrations', migrations });
 */
export async function openAdapterPool(opts: PoolOptions, schema: AdapterSchema): Promise<AdapterPool> {
  const pool = createPool({ ...opts, poolSize: opts.poolSize ?? DEFAULT_POOL_SIZE });
  const fail = (what: string, err: unknown) => storeError(`${schema.what}: ${what}`, err);
  let closed = false;

  const transaction = async <T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw fail(what, err);
    }
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      failed = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw fail(what, err);
    } finally {
      client.release(failed);
    }
  };

  try {
    await transaction('migrating', async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [schema.lock]);
      await c.query(`CREATE TABLE IF NOT EXISTS ${schema.table} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await c.query<{ v: number }>(`SELECT COALESCE(MAX(version), 0)::int AS v FROM ${schema.table}`);
      for (let v = rows[0]!.v; v < schema.migrations.length; v++) {
        await c.query(schema.migrations[v]!);
        await c.query(`INSERT INTO ${schema.table} (version) VALUES ($1)`, [v + 1]);
      }
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    const cause = err instanceof StoreError && err.cause !== undefined ? err.cause : err;
    throw new StoreError(`cannot open ${schema.what} at ${describeTarget(opts.connectionString)}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      retryable: storeError('open', cause).retryable,
    });
  }

  return {
    async query<R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []) {
      try {
        return (await pool.query<R>(sql, params)).rows;
      } catch (err) {
        throw fail(what, err);
      }
    },
    async execute(what, sql, params = []) {
      try {
        return (await pool.query(sql, params)).rowCount ?? 0;
      } catch (err) {
        throw fail(what, err);
      }
    },
    transaction,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
