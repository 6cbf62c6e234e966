import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { createPostgresOutbox } from '../../src/store/postgres/outbox.js';
import { createMeiliStore } from '../../src/store/meili/index.js';
import { createIndexedStore, type IndexedStore } from '../../src/store/indexed/index.js';
import type { IndexOutbox } from '../../src/store/indexed/outbox.js';
import type { ArticleStore } from '../../src/store/port.js';
import { reindexAll } from '../../src/jobs/reindex.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { runStoreContract } from '../contract/store.contract.js';
import { shippedConfig } from '../helpers/config.js';
import { makeArticle } from '../helpers/factories.js';
import { startLocalPostgres, type LocalPostgres } from '../helpers/postgres.js';
import { startLocalMeili, startRestartableMeili, type RestartableMeili } from '../../bench/meili-server.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);

// A private PostgreSQL cluster and a private Meilisearch for this file; the suite reports itself skipped,
// with the reason, when the Meilisearch test binary cannot run here (a missing PostgreSQL fails the file).
const meili = await startLocalMeili();
const skip = 'skip' in meili ? meili.skip : undefined;
let cluster: LocalPostgres;
beforeAll(async () => {
  cluster = await startLocalPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  if (!('skip' in meili)) await meili.stop();
});

let n = 0;
const openIndex = (host: string, apiKey: string, uid = `indexed_${++n}`) => createMeiliStore({ host, apiKey, index: uid, synonyms });

/** Records on a fresh database, with its outbox. */
async function openRecords(): Promise<{ url: string; records: ArticleStore; outbox: IndexOutbox }> {
  const url = await cluster.createDatabase();
  const records = await createPostgresStore({ connectionString: url, synonyms, poolSize: 4 });
  return { url, records, outbox: await createPostgresOutbox({ connectionString: url, poolSize: 2 }) };
}

/** The ids queued in the outbox, read beside it. */
async function queued(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ id: string }>('SELECT id FROM index_outbox ORDER BY id')).rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}

const clean = (stored: number) => ({ stored, indexed: stored, onlyStored: [], onlyStoredCount: 0, onlyIndexed: [], onlyIndexedCount: 0, differing: [], differingCount: 0 });
const ids = (items: Array<{ id: string }>) => items.map((a) => a.id).sort();

runStoreContract({
  name: 'PostgreSQL records with a Meilisearch index (private cluster, local binary)',
  skip,
  async create() {
    if ('skip' in meili) throw new Error(meili.skip);
    const { records, outbox } = await openRecords();
    return createIndexedStore({ records, outbox, index: await openIndex(meili.host, meili.apiKey) });
  },
});

describe.skipIf(!!skip)(`the index follows the records through a Meilisearch outage and a lost index${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let engine: RestartableMeili;
  beforeAll(async () => {
    const started = await startRestartableMeili();
    if ('skip' in started) throw new Error(started.skip);
    engine = started;
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  });

  it('keeps writing while Meilisearch is down, queues the ids, and replays them when it is back', async () => {
    const { url, records, outbox } = await openRecords();
    const index = await openIndex(engine.host, engine.apiKey);
    const store: IndexedStore = createIndexedStore({ records, index, outbox });
    try {
      const gone = makeArticle({ title: 'Havbruk i Nordland' });
      await store.ingestBatch([gone]);
      expect(await outbox.count()).toBe(0);
      expect(ids((await index.search({ q: 'havbruk', filter: {}, limit: 5, offset: 0 })).items)).toEqual([gone.id]);

      await engine.kill();
      const a = makeArticle({ title: 'Bioøkonomi i Trøndelag', sourceId: 'kdd' });
      await store.ingestBatch([a]);
      await store.remove([gone.id]);
      const stored = await store.get(a.id);
      expect(stored?.title).toBe(a.title);
      expect(await store.get(gone.id)).toBeUndefined();
      expect(await queued(url)).toEqual([a.id, gone.id].sort());
      // Search answers from the records' own search while the index is away.
      expect(ids((await store.search({ q: 'bioøkonomi', filter: {}, limit: 5, offset: 0 })).items)).toEqual([a.id]);
      await expect(store.syncIndex()).rejects.toMatchObject({ retryable: true });
      expect(await outbox.count()).toBe(2);

      await engine.restart();
      expect(await store.syncIndex()).toEqual({ indexed: 1, removed: 1, pending: 0 });
      expect(await outbox.count()).toBe(0);
      expect(ids((await index.search({ q: 'bioøkonomi', filter: {}, limit: 5, offset: 0 })).items)).toEqual([a.id]);
      expect((await index.search({ q: 'havbruk', filter: {}, limit: 5, offset: 0 })).total).toBe(0);
      expect(ids((await store.search({ q: 'bioøkonomi', filter: {}, limit: 5, offset: 0 })).items)).toEqual([a.id]);
      expect(await index.get(a.id)).toEqual(stored);
      expect(await store.checkIndex()).toEqual(clean(1));
    } finally {
      await store.close();
    }
  }, 60_000);

  it('finds every stored article missing from an index whose data was deleted, and reindexAll restores them', async () => {
    const { records, outbox } = await openRecords();
    const uid = `lost_${++n}`;
    const before = createIndexedStore({ records, outbox, index: await openIndex(engine.host, engine.apiKey, uid) });
    const all = Array.from({ length: 30 }, (_, i) => makeArticle({ title: `Regional plan ${i} for Nordland` }));
    await before.upsertBatch(all);
    expect(await before.checkIndex()).toEqual(clean(30));

    await engine.kill();
    rmSync(join(engine.dir, 'data'), { recursive: true, force: true });
    await engine.restart();
    // As a restarted process does: the index store opens on the new engine, creating the index and its settings.
    const index = await openIndex(engine.host, engine.apiKey, uid);
    const store = createIndexedStore({ records, outbox, index });
    try {
      const lost = await store.checkIndex();
      expect([lost.stored, lost.indexed, lost.onlyStoredCount, lost.onlyIndexedCount, lost.differingCount]).toEqual([30, 0, 30, 0, 0]);
      expect(lost.onlyStored).toEqual(ids(all).slice(0, 20));

      const r = await reindexAll(records, index, { pageSize: 7 });
      expect(r.copied).toBe(30);
      expect(await store.checkIndex()).toEqual(clean(30));
      expect((await store.search({ q: 'nordland', filter: {}, limit: 50, offset: 0 })).total).toBe(30);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('lists an article the index holds in another version as differing', async () => {
    const { records, outbox } = await openRecords();
    const store = createIndexedStore({ records, outbox, index: await openIndex(engine.host, engine.apiKey) });
    try {
      const [a, b] = [makeArticle(), makeArticle()];
      await store.upsertBatch([a!, b!]);
      // Written to the records behind the indexed store's back, as a process without the index would.
      await records.upsertBatch([{ ...a!, title: 'Changed', contentHash: 'changed' }]);
      await records.setStories([{ id: b!.id, story: 'S1' }]);
      const c = await store.checkIndex();
      expect([c.differing, c.differingCount]).toEqual([[a!.id, b!.id].sort(), 2]);
      expect(await store.syncIndex()).toEqual({ indexed: 0, removed: 0, pending: 0 });
    } finally {
      await store.close();
    }
  });

  it('leaves an id queued again while a sync held it: the sync removes only the entry it saw', async () => {
    const { records, outbox } = await openRecords();
    try {
      await outbox.enqueue(['A', 'B']);
      const claim = await outbox.take(10);
      expect(claim.entries.map((e) => e.id)).toEqual(['A', 'B']);
      await outbox.enqueue(['B']);
      await claim.done(claim.entries);
      await claim.release();
      expect(await outbox.count()).toBe(1);
      const again = await outbox.take(10, ['A', 'B']);
      expect(again.entries.map((e) => e.id)).toEqual(['B']);
      await again.release();
    } finally {
      await outbox.close();
      await records.close();
    }
  });
});
