import type { PoolOptions } from '../../store/postgres/open.js';
import { openAdapterPool } from '../../store/postgres/adapter.js';
import type { InboxStore } from './port.js';
import { toMessage, type Row } from './rows.js';

/** Advisory-lock key of the inbox's migrations; spells "rrinbx" in ASCII. */
const INBOX_LOCK = 0x7272696e6278;

/**
 * The SQLite adapter's table: the fields the inbox filters and orders on in columns, the rest of the
 * message as JSON text (text, not jsonb, so it comes back exactly as written: jsonb refuses the
 * escaped NUL a decoded header may carry), the bytes as bytea. Ids and ISO-8601 times compare bytewise
 * (COLLATE "C"), as SQLite compares them, so ties in the listing fall by id the same way.
 */
const MIGRATIONS = [
  `CREATE TABLE inbox (
    id text COLLATE "C" PRIMARY KEY,
    received_at text COLLATE "C" NOT NULL,
    status text NOT NULL,
    source_id text,
    meta_json text NOT NULL,
    raw bytea NOT NULL
  );
  CREATE INDEX inbox_received ON inbox (received_at DESC, id);
  CREATE INDEX inbox_status_received ON inbox (status, received_at DESC, id);`,
];

const COLUMNS = 'id, received_at, status, source_id, meta_json';

/**
 * The operator's inbox in PostgreSQL (DATABASE_URL), so the inbound listener and the admin API may run
 * on different hosts: the SQLite adapter's behaviour, one row per message with its bytes beside it. A
 * message delivered twice (or to two listeners at once) is kept once: `INSERT … ON CONFLICT DO
 * NOTHING`. Opening it applies pending migrations (`inbox_migrations`).
 *
 * @example const inbox = await createPostgresInboxStore({ connectionString: env.DATABASE_URL });
 */
export async function createPostgresInboxStore(opts: PoolOptions): Promise<InboxStore> {
  const db = await openAdapterPool(opts, { what: 'the newsletter inbox', lock: INBOX_LOCK, table: 'inbox_migrations', migrations: MIGRATIONS });

  return {
    async put(entry) {
      const { id, receivedAt, status, sourceId, raw, ...meta } = entry;
      const inserted = await db.execute(
        'put',
        'INSERT INTO inbox (id, received_at, status, source_id, meta_json, raw) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING',
        [id, new Date(receivedAt).toISOString(), status, sourceId ?? null, JSON.stringify(meta), raw],
      );
      return inserted === 1;
    },
    async get(id) {
      const [r] = await db.query<Row>('get', `SELECT ${COLUMNS}, raw FROM inbox WHERE id = $1`, [id]);
      return r ? { ...toMessage(r), raw: r.raw } : undefined;
    },
    async list(o = {}) {
      // The SQLite adapter's bounds: 1 to 1000, 100 when not given.
      const limit = Math.min(Math.max(o.limit ?? 100, 1), 1000);
      const rows = o.status
        ? await db.query<Omit<Row, 'raw'>>('list', `SELECT ${COLUMNS} FROM inbox WHERE status = $1 ORDER BY received_at DESC, id LIMIT $2`, [o.status, limit])
        : await db.query<Omit<Row, 'raw'>>('list', `SELECT ${COLUMNS} FROM inbox ORDER BY received_at DESC, id LIMIT $1`, [limit]);
      return rows.map(toMessage);
    },
    async markAssigned(id, sourceId) {
      return (await db.execute('assign', "UPDATE inbox SET status = 'assigned', source_id = $2 WHERE id = $1", [id, sourceId])) === 1;
    },
    async dismiss(id) {
      return (await db.execute('dismiss', "UPDATE inbox SET status = 'dismissed' WHERE id = $1", [id])) === 1;
    },
    async prune(before) {
      return db.execute('prune', "DELETE FROM inbox WHERE received_at < $1 AND status <> 'new'", [new Date(before).toISOString()]);
    },
    close: () => db.close(),
  };
}
