import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';

/**
 * Opens one of Regionradar's SQLite files (`':memory:'` for a private one in tests) the way every
 * store here uses them: WAL, so readers never wait for the writer and several processes share the
 * file; synchronous NORMAL, durable across application crashes (only an OS crash can lose the last
 * commits); foreign keys on; a busy writer waited for up to 5 s. Then `prepare` creates or migrates
 * its tables. A failure is a StoreError naming `what` and the file.
 */
export function openSqlite(file: string, what: string, prepare: (db: Database.Database) => void): Database.Database {
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    prepare(db);
    return db;
  } catch (err) {
    throw new StoreError(`cannot open ${what} at ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Runs one statement (or transaction) of a store on `what`, turning a SQLite failure into a StoreError
 * that names the store and the operation; a StoreError thrown inside passes as it is.
 *
 * @example const guard = sqliteGuard('the subscribers\' database'); guard('claim', () => claimTx(req));
 */
export function sqliteGuard(store: string) {
  return <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`${store}: ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  };
}
