import pg from 'pg';
import { StoreError } from '../../errors.js';
import { MIGRATIONS } from './schema.js';

/**
 * Key of the transaction-level advisory lock that migrations run under, so that several processes
 * opening the store at once (API and workers at deploy time) apply each migration exactly once: the
 * others wait, then find it applied. Any constant no other code uses; this one spells "rradar" in ASCII.
 */
export const MIGRATION_LOCK = 0x727261646172;

/**
 * SQLSTATE classes worth retrying: the server or the connection was in trouble, not the data.
 * 08 connection exception, 40 transaction rollback (serialization failure, deadlock), 53 insufficient
 * resources, 55 object not in prerequisite state (lock not available), 57 operator intervention
 * (statement timeout, server shutting down or starting), 58 system error (I/O).
 * Every other class — 22 data exception, 23 integrity constraint violation, 42 syntax error or access
 * rule, 54 program limit, 28 invalid authorization … — fails the same way again.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const RETRYABLE_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);

/**
 * Whether the same call may succeed later. The server's answers are judged by SQLSTATE class. Without
 * one, the failure is the connection's (refused, reset, timed out, closed by the server: Node's system
 * errors and pg's own) and retryable — except JavaScript's own TypeError, RangeError and the like, which
 * mean the data given could not be written at all.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return typeof err.code === 'string' && RETRYABLE_CLASSES.has(err.code.slice(0, 2));
  return !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError);
}

/** A PostgreSQL failure as a StoreError naming the operation (and the SQLSTATE, when the server answered). */
export function storeError(what: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = err instanceof pg.DatabaseError && err.code ? `${err.code}: ` : '';
  return new StoreError(`PostgreSQL store: ${what} failed: ${code}${(err as Error)?.message ?? String(err)}`, { cause: err, retryable: isRetryable(err) });
}

/** Where the store connects, for messages: host, port and database, never the password. */
export function describeTarget(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
}

export interface PoolOptions {
  connectionString: string;
  /** Connections at most; each worker process has its own pool. */
  poolSize?: number;
  /** The server cancels a statement that runs longer (SQLSTATE 57014, retryable). */
  statementTimeoutMs?: number;
  /** Longest wait for a connection from the pool or the server. */
  connectTimeoutMs?: number;
}

/** Ten connections serve an API process's concurrent requests; the server's default max_connections is 100. */
const DEFAULT_POOL_SIZE = 10;
/** A search over a million articles answers within a second; a statement still running after this is stuck. */
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function createPool(opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    statement_timeout: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    // A transaction left open by a crashed caller must not hold row and advisory locks for ever.
    idle_in_transaction_session_timeout: 60_000,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: 'regionradar',
  });
  // An idle connection the server dropped (restart, failover) is reported here and removed from the pool;
  // without a listener the pool's 'error' event would crash the process. The next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `fn` in one transaction on one pooled connection. A connection that failed mid-transaction is
 * closed rather than handed to the next caller. Errors are passed on as they are, for the caller to
 * turn into its StoreError.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    failed = err as Error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(failed);
  }
}

/** One set of tables' versioned schema: its own advisory-lock key and migrations table, so stores sharing a database never apply each other's versions. */
export interface Schema {
  /** Key of the transaction-level advisory lock the migrations run under; a constant no other code uses. */
  lock: number;
  /** The table recording which of `migrations` are applied. */
  table: string;
  /** Numbered by position: version n is `migrations[n - 1]`. Append only. */
  migrations: readonly string[];
}

/**
 * Brings a schema to its newest migration in one transaction under its advisory lock: the first
 * process applies what is missing, the others wait for the lock and then find nothing to do. A failed
 * migration rolls back whole.
 */
export function applyMigrations(pool: pg.Pool, schema: Schema): Promise<void> {
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [schema.lock]);
    await c.query(`CREATE TABLE IF NOT EXISTS ${schema.table} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await c.query<{ v: number }>(`SELECT COALESCE(MAX(version), 0)::int AS v FROM ${schema.table}`);
    for (let v = rows[0]!.v; v < schema.migrations.length; v++) {
      await c.query(schema.migrations[v]!);
      await c.query(`INSERT INTO ${schema.table} (version) VALUES ($1)`, [v + 1]);
    }
  });
}

/** The article store's schema (schema.ts) brought up to date under MIGRATION_LOCK. */
export const migrate = (pool: pg.Pool): Promise<void> => applyMigrations(pool, { lock: MIGRATION_LOCK, table: 'schema_migrations', migrations: MIGRATIONS });
