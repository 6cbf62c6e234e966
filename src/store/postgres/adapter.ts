import type pg from 'pg';
import { StoreError } from '../../errors.js';
import { applyMigrations, createPool, describeTarget, inTransaction, storeError, type PoolOptions, type Schema } from './open.js';

// The pooled connection and versioned schema that the subscriber, webhook and inbox adapters share.

/** What one adapter's tables need: its versioned schema, and a name for its errors. */
export interface AdapterSchema extends Schema {
  /** Names the store in errors, e.g. "the subscribers' database". */
  what: string;
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
    try {
      return await inTransaction(pool, fn);
    } catch (err) {
      throw fail(what, err);
    }
  };

  try {
    await applyMigrations(pool, schema);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StoreError(`cannot open ${schema.what} at ${describeTarget(opts.connectionString)}: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
      retryable: storeError('open', err).retryable,
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
