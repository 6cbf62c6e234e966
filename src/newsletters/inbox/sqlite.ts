import { openSqlite, sqliteGuard } from '../../store/sqlite/open.js';
import type { InboxStore } from './port.js';
import { toMessage, type Row } from './rows.js';

// CREATE IF NOT EXISTS, no user_version: the file is shared with the subscriber and webhook stores.
const SCHEMA = `CREATE TABLE IF NOT EXISTS inbox (
  id TEXT PRIMARY KEY,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL,
  source_id TEXT,
  meta_json TEXT NOT NULL,   -- the InboxMessage fields not in columns
  raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_received ON inbox (received_at DESC, id)`;

/** The operator's inbox in SQLite (the subscribers' file): one row per message, its bytes beside it. */
export function createSqliteInboxStore(file: string): InboxStore {
  const db = openSqlite(file, 'the newsletter inbox', (d) => d.exec(SCHEMA));
  const guard = sqliteGuard(`the newsletter inbox (${file})`);
  const insert = db.prepare('INSERT OR IGNORE INTO inbox (id, received_at, status, source_id, meta_json, raw) VALUES (?, ?, ?, ?, ?, ?)');
  const getOne = db.prepare('SELECT * FROM inbox WHERE id = ?');
  const listAll = db.prepare('SELECT id, received_at, status, source_id, meta_json FROM inbox ORDER BY received_at DESC, id LIMIT ?');
  const listBy = db.prepare('SELECT id, received_at, status, source_id, meta_json FROM inbox WHERE status = ? ORDER BY received_at DESC, id LIMIT ?');
  const assign = db.prepare("UPDATE inbox SET status = 'assigned', source_id = ? WHERE id = ?");
  const setAside = db.prepare("UPDATE inbox SET status = 'dismissed' WHERE id = ?");
  const prune = db.prepare("DELETE FROM inbox WHERE received_at < ? AND status <> 'new'");

  return {
    async put(entry) {
      const { id, receivedAt, status, sourceId, raw, ...meta } = entry;
      return guard('put', () => insert.run(id, new Date(receivedAt).toISOString(), status, sourceId ?? null, JSON.stringify(meta), raw).changes === 1);
    },
    async get(id) {
      const r = guard('get', () => getOne.get(id) as Row | undefined);
      return r ? { ...toMessage(r), raw: Buffer.from(r.raw) } : undefined;
    },
    async list(opts = {}) {
      const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
      const rows = guard('list', () => (opts.status ? listBy.all(opts.status, limit) : listAll.all(limit)) as Array<Omit<Row, 'raw'>>);
      return rows.map(toMessage);
    },
    async markAssigned(id, sourceId) {
      return guard('assign', () => assign.run(sourceId, id).changes === 1);
    },
    async dismiss(id) {
      return guard('dismiss', () => setAside.run(id).changes === 1);
    },
    async prune(before) {
      return guard('prune', () => prune.run(new Date(before).toISOString()).changes);
    },
    async close() {
      db.close();
    },
  };
}

