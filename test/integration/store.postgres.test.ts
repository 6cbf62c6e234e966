import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { MIGRATIONS } from '../../src/store/postgres/schema.js';
import { createPool, storeError } from '../../src/store/postgres/open.js';
import { lexeme } from '../../src/store/postgres/query.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { StoreError } from '../../src/errors.js';
import type { ArticleStore } from '../../src/store/port.js';
import { runStoreContract } from '../contract/store.contract.js';
import { shippedConfig } from '../helpers/config.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort } from '../helpers/processes.js';
import { startLocalPostgres, type LocalPostgres } from '../helpers/postgres.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);

// A private cluster for this file, started from the installed server binaries; a missing server fails the file.
let cluster: LocalPostgres;
beforeAll(async () => {
  cluster = await startLocalPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

/** A store on a database of its own, so each test starts empty. */
const open = async (opts: { poolSize?: number } = {}) => createPostgresStore({ connectionString: await cluster.createDatabase(), synonyms, ...opts });

/** A plain connection beside the store, to look at or damage what it wrote. */
async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

runStoreContract({
  name: 'PostgreSQL (private cluster)',
  create: () => open({ poolSize: 4 }),
  additionalTests: () => {
    it('migrates once when four processes open an empty database at the same time', async () => {
      const url = await cluster.createDatabase();
      const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresStore({ connectionString: url, synonyms, poolSize: 2 })));
      try {
        const versions = await withClient(url, async (c) => (await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version));
        expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1));
        // All four work on the one schema.
        const a = makeArticle({ title: 'Bioøkonomi i Trøndelag' });
        await stores[0]!.upsertBatch([a]);
        for (const s of stores) expect((await s.search({ q: 'bioøkonomi', filter: {}, limit: 5, offset: 0 })).items.map((x) => x.id)).toEqual([a.id]);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
      // And a later open finds nothing to do.
      const again = await createPostgresStore({ connectionString: url, synonyms });
      await again.close();
      expect(await withClient(url, async (c) => (await c.query('SELECT version FROM schema_migrations')).rowCount)).toBe(MIGRATIONS.length);
    });

    it('reports a server that refuses connections as a retryable StoreError naming it, without the password', async () => {
      const port = await freePort();
      const err = await createPostgresStore({ connectionString: `postgres://rr:secret@127.0.0.1:${port}/rr`, connectTimeoutMs: 2_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).retryable).toBe(true);
      expect((err as StoreError).message).toContain(`127.0.0.1:${port}`);
      expect((err as StoreError).message).not.toContain('secret');
    });

    it('fails a batch the database refuses with a StoreError that is not retried, and keeps what was stored', async () => {
      const store = await open();
      try {
        const good = makeArticle();
        await store.upsertBatch([good]);
        // NaN has no JSON form: the column receives NULL, which it does not allow (SQLSTATE 23502).
        const err = await store.upsertBatch([makeArticle(), makeArticle({ languageConfidence: Number.NaN })]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).retryable).toBe(false);
        expect((err as StoreError).message).toMatch(/23502/);
        // An article the adapter cannot even analyse is refused the same way.
        const broken = { ...makeArticle(), title: undefined } as unknown as ReturnType<typeof makeArticle>;
        const err2 = await store.upsertBatch([broken]).catch((e: unknown) => e);
        expect(err2).toBeInstanceOf(StoreError);
        expect((err2 as StoreError).retryable).toBe(false);
        expect((await store.list({}, { limit: 10 })).items.map((x) => x.id)).toEqual([good.id]);
      } finally {
        await store.close();
      }
    });

    it('cancels a statement that runs past the timeout, as a retryable StoreError', async () => {
      const pool = createPool({ connectionString: await cluster.createDatabase(), statementTimeoutMs: 100 });
      try {
        const err = await pool.query('SELECT pg_sleep(5)').then(
          () => undefined,
          (e: unknown) => storeError('sleep', e),
        );
        expect(err?.message).toMatch(/57014/);
        expect(err?.retryable).toBe(true);
      } finally {
        await pool.end();
      }
    });

    it('quotes every term of a tsquery: operators, quotes and backslashes in a term are lexemes', async () => {
      await withClient(await cluster.createDatabase(), async (c) => {
        for (const term of ["o'neil", "a\\'b", "x') | !(y", 'smart & !sykehus:*', '<-> (a | b)']) {
          const { rows } = await c.query<{ q: string }>("SELECT to_tsquery('simple', $1)::text AS q", [lexeme(term, 'AC', true)]);
          // Only the phrase operator a quoted term's parts are joined with, never & | ! or a group.
          expect(rows[0]!.q, term).not.toMatch(/[&|!()]/);
          const { rows: hit } = await c.query<{ m: boolean }>("SELECT setweight(to_tsvector('simple', $1), 'A') @@ to_tsquery('simple', $2) AS m", [term, lexeme(term, 'AC', true)]);
          expect(hit[0]!.m, term).toBe(true);
        }
      });
    });

    it('serializes concurrent ingestion of one new article from two connections: both sources are recorded', async () => {
      const url = await cluster.createDatabase();
      const [s1, s2] = await Promise.all([createPostgresStore({ connectionString: url, synonyms }), createPostgresStore({ connectionString: url, synonyms })]);
      try {
        for (let round = 0; round < 10; round++) {
          const base = makeArticle();
          const version = (sourceId: string, fromPublisher: boolean): typeof base => {
            const contentHash = `${sourceId}-${round}`;
            return { ...base, sourceId, fromPublisher, contentHash, sources: [{ sourceId, contentHash, fetchedAt: base.fetchedAt, fromPublisher }] };
          };
          await Promise.all([s1!.ingestBatch([version('kdd', true)]), s2!.ingestBatch([version('relay', false)])]);
          const stored = (await s1!.get(base.id))!;
          expect(stored.sources.map((x) => x.sourceId)).toEqual(['kdd', 'relay']);
          expect(stored.sourceId).toBe('kdd');
        }
      } finally {
        await Promise.all([s1!.close(), s2!.close()]);
      }
    });

    it('check-index names a row without a search vector and one whose text changed without it; reopening indexes the first', async () => {
      const url = await cluster.createDatabase();
      const [a, b, c] = [makeArticle({ title: 'Havbruk i Nordland' }), makeArticle(), makeArticle()];
      let store: ArticleStore = await createPostgresStore({ connectionString: url, synonyms });
      try {
        await store.upsertBatch([a!, b!, c!]);
        await withClient(url, async (raw) => {
          await raw.query('UPDATE articles SET search = NULL WHERE id = $1', [a!.id]);
          await raw.query("UPDATE articles SET title = 'Edited by hand' WHERE id = $1", [b!.id]);
        });
        expect(await store.checkIndex()).toEqual({ stored: 3, indexed: 2, onlyStored: [a!.id], onlyStoredCount: 1, onlyIndexed: [], onlyIndexedCount: 0, differing: [b!.id], differingCount: 1 });
        expect((await store.list({ q: 'havbruk' }, { limit: 5 })).items).toEqual([]);
        await store.close();
        store = await createPostgresStore({ connectionString: url, synonyms });
        expect((await store.list({ q: 'havbruk' }, { limit: 5 })).items.map((x) => x.id)).toEqual([a!.id]);
        expect((await store.checkIndex()).onlyStoredCount).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('keeps what was written across a reopen', async () => {
      const url = await cluster.createDatabase();
      const a = makeArticle({ documents: [{ url: 'https://example.org/a.pdf', title: 'Plan', pages: 2, bytes: 100, text: 'Havbruk og mineraler.' }], mailAuth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } });
      const first = await createPostgresStore({ connectionString: url, synonyms });
      await first.upsertBatch([a]);
      await first.close();
      const second = await createPostgresStore({ connectionString: url, synonyms });
      try {
        expect(await second.get(a.id)).toEqual({ ...a, storedAt: a.fetchedAt });
        // Linked documents are searched with the body.
        expect((await second.search({ q: 'mineraler', filter: {}, limit: 5, offset: 0 })).items.map((x) => x.id)).toEqual([a.id]);
      } finally {
        await second.close();
      }
    });
  },
});
