import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, StoreError } from '../errors.js';
import { sourceSchema, type Source } from './schema.js';

/**
 * The sources in force: config/sources.yaml plus the changes made at runtime (admin API, OPML import).
 * Every process reads it per use, so a change made through one API process is seen by every worker.
 */
export interface SourceCatalogue {
  list(): Promise<Source[]>;
  get(id: string): Promise<Source | undefined>;
  /** Adds or replaces a source; the change outlives restarts. */
  put(source: Source): Promise<'created' | 'updated'>;
  /** Removes a source from the catalogue (its stored articles stay). False when there was none. */
  remove(id: string): Promise<boolean>;
  close(): void;
}

const DURATION_UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Milliseconds → the shortest duration text the schema reads back to the same value ("90m", "2h"). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of DURATION_UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}

/** A Source as written in config (the form the schema reads): durations as text. */
export function sourceToInput(source: Source): Record<string, unknown> {
  return { ...source, schedule: { every: formatDuration(source.schedule.every), jitter: source.schedule.jitter } };
}

/** Validates runtime input with the config schema; errors name the path and reason like config errors do. */
export function parseSourceInput(input: unknown, origin: string): Source {
  const result = sourceSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(origin, issue.path.join('.'), issue.message);
}

/** An in-memory catalogue over fixed sources: tests, and one-shot commands. */
export function createStaticCatalogue(initial: readonly Source[]): SourceCatalogue {
  const sources = new Map(initial.map((s) => [s.id, s]));
  return {
    list: async () => [...sources.values()],
    get: async (id) => sources.get(id),
    async put(source) {
      const had = sources.has(source.id);
      sources.set(source.id, source);
      return had ? 'updated' : 'created';
    },
    remove: async (id) => sources.delete(id),
    close() {},
  };
}

interface ChangeRow {
  id: string;
  source_json: string | null;
  seq: number;
}

/**
 * The sources in force: config's, in config's order, each replaced or removed by its runtime change,
 * then the sources added at runtime in the order first added. `changes` in that order; `read` parses a
 * change (undefined for a removal).
 */
export function layerChanges<C extends { id: string }>(configured: readonly Source[], changes: readonly C[], read: (change: C) => Source | undefined): Source[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const fromConfig = new Set(configured.map((s) => s.id));
  const out: Source[] = [];
  for (const s of configured) {
    const change = byId.get(s.id);
    const source = change ? read(change) : s;
    if (source) out.push(source);
  }
  for (const change of byId.values()) {
    if (fromConfig.has(change.id)) continue;
    const source = read(change);
    if (source) out.push(source);
  }
  return out;
}

/**
 * Runtime changes in SQLite (`catalogue.sqlite` in DATA_DIR, shared by the API and the workers like
 * the article store): one row per changed source, the whole source as config would write it, or a
 * tombstone. Rows are re-validated on read, so a schema change can never serve an invalid source.
 */
export function openSourceCatalogue(file: string, configured: readonly Source[]): SourceCatalogue {
  let db: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS source_changes (
      id TEXT PRIMARY KEY,
      source_json TEXT,          -- NULL: removed
      seq INTEGER NOT NULL,      -- order of first runtime addition, for listing
      changed_at TEXT NOT NULL
    )`);
  } catch (err) {
    throw new StoreError(`cannot open the source catalogue at ${file}: ${(err as Error).message}`, { cause: err });
  }
  const selectAll = db.prepare<[], ChangeRow>('SELECT id, source_json, seq FROM source_changes ORDER BY seq');
  const selectOne = db.prepare<[string], ChangeRow>('SELECT id, source_json, seq FROM source_changes WHERE id = ?');
  const upsert = db.prepare<[{ id: string; json: string | null; at: string }]>(
    `INSERT INTO source_changes (id, source_json, seq, changed_at) VALUES (@id, @json, (SELECT COALESCE(MAX(seq), 0) + 1 FROM source_changes), @at)
     ON CONFLICT(id) DO UPDATE SET source_json = excluded.source_json, changed_at = excluded.changed_at`,
  );
  const fromConfig = new Map(configured.map((s) => [s.id, s]));
  const read = (row: ChangeRow) => (row.source_json === null ? undefined : parseSourceInput(JSON.parse(row.source_json), `${file} (source ${row.id})`));

  const catalogue: SourceCatalogue = {
    async list() {
      return layerChanges(configured, selectAll.all(), read);
    },
    async get(id) {
      const change = selectOne.get(id);
      return change ? read(change) : fromConfig.get(id);
    },
    async put(source) {
      const existed = (await catalogue.get(source.id)) !== undefined;
      upsert.run({ id: source.id, json: JSON.stringify(sourceToInput(source)), at: new Date().toISOString() });
      return existed ? 'updated' : 'created';
    },
    async remove(id) {
      if ((await catalogue.get(id)) === undefined) return false;
      upsert.run({ id, json: null, at: new Date().toISOString() });
      return true;
    },
    close: () => db.close(),
  };
  return catalogue;
}

/**
 * Copies the runtime changes of one catalogue into another over the same config (`regionradar migrate`):
 * sources added or changed at runtime are put, in the order listed (so additions keep their order), and
 * config's sources removed at runtime are removed. Running it again changes nothing. Returns how many
 * sources were written and removed.
 */
export async function copyCatalogueChanges(from: SourceCatalogue, to: SourceCatalogue, configured: readonly Source[]): Promise<{ put: number; removed: number }> {
  const inForce = await from.list();
  const same = (a: Source, b: Source) => JSON.stringify(sourceToInput(a)) === JSON.stringify(sourceToInput(b));
  let put = 0;
  for (const s of inForce) {
    const there = await to.get(s.id);
    if (there && same(there, s)) continue;
    await to.put(s);
    put++;
  }
  const kept = new Set(inForce.map((s) => s.id));
  let removed = 0;
  for (const s of configured) if (!kept.has(s.id) && (await to.remove(s.id))) removed++;
  return { put, removed };
}
