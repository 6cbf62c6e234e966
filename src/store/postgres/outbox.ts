import type pg from 'pg';
import { StoreError } from '../../errors.js';
import type { IndexOutbox, OutboxClaim, OutboxEntry } from '../indexed/outbox.js';
import { createPool, describeTarget, migrate, storeError, type PoolOptions } from './open.js';

/**
 * Key space of the per-article advisory locks a sync holds while it reads records and writes the index
 * (the two-key form; the ingest locks of index.ts use 0x7272, the migration lock the one-key form).
 */
const SYNC_LOCK_SPACE = 0x7273;

/**
 * Connections of the outbox's own pool: each sync in flight holds one (its locks are session locks), and
 * a process runs few at once (the batch writer's inline syncs one after another, plus the periodic replay).
 */
const DEFAULT_POOL_SIZE = 4;

/**
 * The PostgreSQL IndexOutbox: the `index_outbox` table (schema.ts, V2) in the records' database. Opening
 * it applies pending migrations, as the store does.
 *
 * @example const outbox = await createPostgresOutbox({ connectionString: process.env.DATABASE_URL! });
 */
export async function createPostgresOutbox(opts: PoolOptions): Promise<IndexOutbox> {
  const pool = createPool({ ...opts, poolSize: opts.poolSize ?? DEFAULT_POOL_SIZE });
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const e = storeError('open', err);
    throw new StoreError(`cannot open the index outbox at ${describeTarget(opts.connectionString)}: ${e.message}`, { cause: err, retryable: e.retryable });
  }
  let closed = false;

  const query = async <R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []): Promise<R[]> => {
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw storeError(`index outbox: ${what}`, err);
    }
  };

  return {
    async enqueue(ids) {
      if (!ids.length) return;
      // Ids in order, so that two writers renewing overlapping ids lock the rows in the same order.
      await query(
        'enqueue',
        `INSERT INTO index_outbox (id) SELECT DISTINCT id FROM unnest($1::text[]) id ORDER BY id
         ON CONFLICT (id) DO UPDATE SET seq = nextval('index_outbox_seq'), queued_at = now()`,
        [[...ids]],
      );
    },
    async take(limit, only) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw storeError('index outbox: take', err);
      }
      let failed: Error | undefined;
      let released = false;
      const release = async () => {
        if (released) return;
        released = true;
        // Session locks end with the session; a connection that failed is closed, which frees them too.
        if (!failed) await client.query('SELECT pg_advisory_unlock_all()').catch((err: Error) => (failed = err));
        client.release(failed);
      };
      try {
        const filter = only ? 'WHERE id = ANY($2::text[])' : '';
        const params: unknown[] = only ? [limit, [...only]] : [limit];
        const peeked = (await client.query<{ id: string }>(`SELECT id FROM index_outbox ${filter} ORDER BY queued_at, id LIMIT $1`, params)).rows.map((r) => r.id);
        if (!peeked.length) {
          await release();
          return { entries: [], done: async () => undefined, release };
        }
        // Locks in key order, so that two syncs claiming overlapping ids cannot deadlock. Waiting is bounded
        // by the pool's statement timeout; a sync of the same article elsewhere takes well under a second.
        await client.query('SELECT pg_advisory_lock($1, k) FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) id ORDER BY 1) keys', [SYNC_LOCK_SPACE, peeked]);
        // Read again under the locks: another sync may have finished these ids, or a writer queued them anew.
        const entries = (await client.query<OutboxEntry>('SELECT id, seq::text AS seq FROM index_outbox WHERE id = ANY($1::text[]) ORDER BY id', [peeked])).rows;
        const claim: OutboxClaim = {
          entries,
          async done(list) {
            if (!list.length) return;
            try {
              await client.query(
                `DELETE FROM index_outbox o USING jsonb_to_recordset($1::jsonb) AS d(id text, seq bigint) WHERE o.id = d.id AND o.seq = d.seq`,
                [JSON.stringify(list.map((e) => ({ id: e.id, seq: e.seq })))],
              );
            } catch (err) {
              failed = err as Error;
              throw storeError('index outbox: done', err);
            }
          },
          release,
        };
        return claim;
      } catch (err) {
        failed = err as Error;
        await release();
        throw storeError('index outbox: take', err);
      }
    },
    async count() {
      return (await query<{ n: number }>('count', 'SELECT COUNT(*)::int AS n FROM index_outbox'))[0]!.n;
    },
    async now() {
      return (await query<{ t: Date }>('clock', 'SELECT now() AS t'))[0]!.t;
    },
    async clear({ queuedBefore, afterId }) {
      const rows = await query<{ n: number }>(
        'clear',
        'WITH gone AS (DELETE FROM index_outbox WHERE queued_at < $1 AND id > $2 RETURNING 1) SELECT COUNT(*)::int AS n FROM gone',
        [queuedBefore, afterId ?? ''],
      );
      return rows[0]!.n;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
