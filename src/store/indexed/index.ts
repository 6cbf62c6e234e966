import type { Article } from '../../model/article.js';
import type { Logger } from '../../observability/log.js';
import { StoreError } from '../../errors.js';
import { CHECK_LIST_MAX, type ArticleStore, type IndexCheck } from '../port.js';
import type { ArticleFilter } from '../filter.js';
import type { IndexOutbox, OutboxClaim } from './outbox.js';

export type { IndexOutbox, OutboxClaim, OutboxEntry } from './outbox.js';

export interface IndexedStoreOptions {
  /** The store of record (PostgreSQL): every write is decided here, every read but full-text search is answered here. */
  records: ArticleStore;
  /** The search index (Meilisearch): written only with what the records hold, read for full-text queries. */
  index: ArticleStore;
  /** Ids whose index documents may lag their records; in the records' database. */
  outbox: IndexOutbox;
  log?: Logger;
}

/** What one replay of the outbox did. */
export interface IndexSync {
  /** Documents written from the records. */
  indexed: number;
  /** Documents deleted because their article is no longer stored. */
  removed: number;
  /** Ids still queued afterwards. */
  pending: number;
}

/** The indexed store: an ArticleStore, plus the replay of its outbox that the worker runs periodically. */
export interface IndexedStore extends ArticleStore {
  /**
   * Brings the index up to date with the records for every queued id, a batch at a time, and returns what it
   * did. Throws the index's (or the outbox's) StoreError when a batch fails; its ids stay queued for the next run.
   */
  syncIndex(opts?: { batchSize?: number; maxBatches?: number }): Promise<IndexSync>;
}

/** Ids per replayed batch: one Meilisearch task, and records read a handful at a time. */
const SYNC_BATCH = 500;
/** Records read at once while a batch is synced (the records' pool has ten connections by default). */
const READ_CONCURRENCY = 8;
/**
 * After the index fails, writes leave their ids in the outbox without trying the index for this long, and
 * full-text reads go to the records' own search: an engine that hangs costs each request its 10 s timeout,
 * and would otherwise hold every write that long. The periodic replay tries regardless and ends the pause.
 */
const INDEX_PAUSE_MS = 30_000;
/** Articles per page when the records and the index are compared. */
const CHECK_PAGE = 1_000;

/**
 * PostgreSQL as the store of record with Meilisearch as a search index that follows it. A write goes to
 * the records first (a failure there fails the call); its ids are queued in the outbox before and after
 * it (before: a crash between the records' commit and the queueing cannot leave the change unqueued, unless a
 * replay took the early entry in that instant; after: a replay that read the records before the commit
 * cannot remove the entry); then the index is brought up to date for those ids at once. An index that
 * fails does not fail the write: the ids stay queued and `syncIndex` replays them later.
 *
 * @example const store = createIndexedStore({ records: await createPostgresStore(pg), index: await createMeiliStore(meili), outbox });
 */
export function createIndexedStore(opts: IndexedStoreOptions): IndexedStore {
  const { records, index, outbox, log } = opts;
  let pausedUntil = 0;
  const indexPaused = () => Date.now() < pausedUntil;

  const readRecords = async (ids: readonly string[]): Promise<Map<string, Article>> => {
    const out = new Map<string, Article>();
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      const chunk = ids.slice(i, i + READ_CONCURRENCY);
      const got = await Promise.all(chunk.map((id) => records.get(id)));
      got.forEach((a, j) => a && out.set(chunk[j]!, a));
    }
    return out;
  };

  /** Writes what the records hold for the claimed ids into the index, then removes the entries it saw. */
  const apply = async (claim: OutboxClaim): Promise<{ indexed: number; removed: number }> => {
    const ids = claim.entries.map((e) => e.id);
    if (!ids.length) return { indexed: 0, removed: 0 };
    const stored = await readRecords(ids);
    const gone = ids.filter((id) => !stored.has(id));
    if (stored.size) await index.upsertBatch([...stored.values()]);
    if (gone.length) await index.remove(gone);
    await claim.done(claim.entries);
    return { indexed: stored.size, removed: gone.length };
  };

  const syncBatch = async (limit: number, only?: readonly string[]) => {
    const claim = await outbox.take(limit, only);
    try {
      return { ...(await apply(claim)), taken: claim.entries.length };
    } finally {
      await claim.release();
    }
  };

  /** A write's records are stored: queue its ids for good and try the index for them now. */
  const afterWrite = async (ids: readonly string[]) => {
    await outbox.enqueue(ids);
    if (indexPaused()) return;
    try {
      await syncBatch(ids.length, ids);
    } catch (err) {
      pausedUntil = Date.now() + INDEX_PAUSE_MS;
      log?.warn({ err, ids: ids.length }, 'search index not updated; the ids stay in the outbox for the next replay');
    }
  };

  /** Runs a write on the records with its ids queued around it. */
  const write = async <T>(ids: readonly string[], fn: () => Promise<T>): Promise<T> => {
    const unique = [...new Set(ids)];
    if (!unique.length) return fn();
    await outbox.enqueue(unique);
    const out = await fn();
    await afterWrite(unique);
    return out;
  };

  /**
   * A full-text read from the index; while the index is paused or when it fails for a reason that may pass,
   * from the records' own search (the same analysis and filters; ranking within a tier may differ).
   */
  const fullText = async <T>(what: string, fromIndex: () => Promise<T>, fromRecords: () => Promise<T>): Promise<T> => {
    if (indexPaused()) return fromRecords();
    try {
      return await fromIndex();
    } catch (err) {
      if (!(err instanceof StoreError) || !err.retryable) throw err;
      pausedUntil = Date.now() + INDEX_PAUSE_MS;
      log?.warn({ err }, `search index unavailable; ${what} answered from the records`);
      return fromRecords();
    }
  };
  const hasQuery = (filter?: ArticleFilter) => filter?.q !== undefined;

  return {
    ingestBatch: (articles) => write(articles.map((a) => a.id), () => records.ingestBatch(articles)),
    upsertBatch: (articles) => write(articles.map((a) => a.id), () => records.upsertBatch(articles)),
    setStories: (assignments) => write(assignments.map((s) => s.id), () => records.setStories(assignments)),
    remove: (ids) => write(ids, () => records.remove(ids)),
    get: (id) => records.get(id),
    list: (filter, page) => (hasQuery(filter) ? fullText('list', () => index.list(filter, page), () => records.list(filter, page)) : records.list(filter, page)),
    search: (req) => fullText('search', () => index.search(req), () => records.search(req)),
    knownHashes: (sourceId, ids) => records.knownHashes(sourceId, ids),
    scan: (afterId, limit) => records.scan(afterId, limit),
    countBySource: () => records.countBySource(),
    countByTheme: () => records.countByTheme(),
    count: (filter) => (hasQuery(filter) ? fullText('count', () => index.count(filter), () => records.count(filter)) : records.count(filter)),
    checkIndex: () => compareIndex(records, index),
    // Ready when the records answer: without the index, writes queue and search falls back to the records.
    ping: () => records.ping(),
    async syncIndex({ batchSize = SYNC_BATCH, maxBatches = Number.POSITIVE_INFINITY } = {}) {
      let indexed = 0;
      let removed = 0;
      for (let n = 0; n < maxBatches; n++) {
        const r = await syncBatch(batchSize);
        indexed += r.indexed;
        removed += r.removed;
        if (r.taken < batchSize) break;
      }
      pausedUntil = 0;
      return { indexed, removed, pending: await outbox.count() };
    },
    async close() {
      const results = await Promise.allSettled([outbox.close(), index.close(), records.close()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** The article as a comparable string: keys sorted at every depth, so key order never counts as a difference. */
function fingerprint(a: Article): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canonical(x)]));
    return v;
  };
  return JSON.stringify(canonical(a));
}

/** Every article of a store in id order, a page at a time. */
async function* inIdOrder(store: Pick<ArticleStore, 'scan'>): AsyncGenerator<Article> {
  for (let after: string | undefined; ; ) {
    const page = await store.scan(after, CHECK_PAGE);
    yield* page;
    if (page.length < CHECK_PAGE) return;
    after = page.at(-1)!.id;
  }
}

/**
 * Walks the records and the index side by side in id order (both scan in code-unit order of the id) and
 * calls `visit` with each id that is only stored, only indexed, or indexed as another version of the
 * article (any field: content, tags, story, sources).
 */
export async function diffIndex(
  records: Pick<ArticleStore, 'scan'>,
  index: Pick<ArticleStore, 'scan'>,
  visit: (kind: 'onlyStored' | 'onlyIndexed' | 'differing', id: string) => void,
): Promise<{ stored: number; indexed: number }> {
  const left = inIdOrder(records);
  const right = inIdOrder(index);
  let a = await left.next();
  let b = await right.next();
  let stored = 0;
  let indexed = 0;
  while (!a.done || !b.done) {
    if (!a.done && (b.done || a.value.id < b.value.id)) {
      stored++;
      visit('onlyStored', a.value.id);
      a = await left.next();
    } else if (!b.done && (a.done || b.value.id < a.value.id)) {
      indexed++;
      visit('onlyIndexed', b.value.id);
      b = await right.next();
    } else if (!a.done && !b.done) {
      stored++;
      indexed++;
      if (a.value.contentHash !== b.value.contentHash || fingerprint(a.value) !== fingerprint(b.value)) visit('differing', a.value.id);
      a = await left.next();
      b = await right.next();
    }
  }
  return { stored, indexed };
}

/** `checkIndex` of the indexed store: the records against the index, counts exact, CHECK_LIST_MAX ids of each kind. */
export async function compareIndex(records: Pick<ArticleStore, 'scan'>, index: Pick<ArticleStore, 'scan'>): Promise<IndexCheck> {
  const found = { onlyStored: [] as string[], onlyIndexed: [] as string[], differing: [] as string[] };
  const counts = { onlyStored: 0, onlyIndexed: 0, differing: 0 };
  const { stored, indexed } = await diffIndex(records, index, (kind, id) => {
    counts[kind]++;
    if (found[kind].length < CHECK_LIST_MAX) found[kind].push(id);
  });
  return {
    stored,
    indexed,
    onlyStored: found.onlyStored,
    onlyStoredCount: counts.onlyStored,
    onlyIndexed: found.onlyIndexed,
    onlyIndexedCount: counts.onlyIndexed,
    differing: found.differing,
    differingCount: counts.differing,
  };
}

/**
 * Deletes the index's documents of articles the records do not hold, a thousand per call; returns how many.
 * Only for an index that follows the records: a Meilisearch index that was the store of record holds
 * articles that must be copied into the records first (`regionradar migrate --from meili --to postgres`).
 */
export async function pruneIndex(records: Pick<ArticleStore, 'scan'>, index: Pick<ArticleStore, 'scan' | 'remove'>): Promise<number> {
  const extra: string[] = [];
  await diffIndex(records, index, (kind, id) => kind === 'onlyIndexed' && extra.push(id));
  for (let i = 0; i < extra.length; i += CHECK_PAGE) await index.remove(extra.slice(i, i + CHECK_PAGE));
  return extra.length;
}

/**
 * A store opened on first use, and opened again on the next use after opening failed: the search index of
 * the indexed store, so that processes start (and write, queueing for the index) while Meilisearch is down.
 */
export function openOnUse(open: () => Promise<ArticleStore>): ArticleStore {
  let opening: Promise<ArticleStore> | undefined;
  const store = (): Promise<ArticleStore> =>
    (opening ??= open().catch((err: unknown) => {
      opening = undefined;
      throw err;
    }));
  return {
    ingestBatch: async (articles) => (await store()).ingestBatch(articles),
    upsertBatch: async (articles) => (await store()).upsertBatch(articles),
    setStories: async (assignments) => (await store()).setStories(assignments),
    remove: async (ids) => (await store()).remove(ids),
    get: async (id) => (await store()).get(id),
    list: async (filter, page) => (await store()).list(filter, page),
    search: async (req) => (await store()).search(req),
    knownHashes: async (sourceId, ids) => (await store()).knownHashes(sourceId, ids),
    scan: async (afterId, limit) => (await store()).scan(afterId, limit),
    countBySource: async () => (await store()).countBySource(),
    countByTheme: async () => (await store()).countByTheme(),
    count: async (filter) => (await store()).count(filter),
    checkIndex: async () => (await store()).checkIndex(),
    ping: async () => (await store().catch(() => undefined))?.ping() ?? false,
    async close() {
      const opened = await opening?.catch(() => undefined);
      await opened?.close();
    },
  };
}
