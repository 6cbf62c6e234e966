import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { runStoreContract } from '../contract/store.contract.js';
import { makeArticle } from '../helpers/factories.js';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { shippedConfig } from '../helpers/config.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);

runStoreContract({
  name: 'SQLite (in memory)',
  create: async () => createSqliteStore(':memory:', { synonyms }),
});

runStoreContract({
  name: 'SQLite (file, WAL)',
  create: async () => createSqliteStore(join(mkdtempSync(join(tmpdir(), 'rr-store-')), 'db.sqlite'), { synonyms }),
  additionalTests: () => {
    it('migrates a database written by the first schema, keeping its articles', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'rr-store-')), 'db.sqlite');
      const old = new Database(file);
      old.exec(MIGRATIONS[0]!);
      old.pragma('user_version = 1');
      old.prepare(`INSERT INTO articles (id, source_id, url, title, summary, content_html, content_text, published_at, fetched_at, content_hash, language, language_confidence, themes_json, regions_json, countries_json, tag_version)
        VALUES ('AAAAAAAAAAAAAAAAAAAAAA', 's', 'https://x.test/', 'Old', '', '', '', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 'h', 'nob', 1, '[]', '[]', '[]', 1)`).run();
      old.close();
      const store = createSqliteStore(file);
      expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ title: 'Old' });
      // articles written before the search table existed are indexed at open
      expect((await store.list({ q: 'old' }, { limit: 5 })).items.map((a) => a.id)).toEqual(['AAAAAAAAAAAAAAAAAAAAAA']);
      const c = makeArticle({ documentType: 'consultation', deadline: '2026-08-14T12:00:00.000Z' });
      await store.upsertBatch([c]);
      expect(await store.get(c.id)).toMatchObject({ documentType: 'consultation', deadline: '2026-08-14T12:00:00.000Z' });
      // the old article stands for its own source: found under it, counted, deduped against
      expect((await store.get('AAAAAAAAAAAAAAAAAAAAAA'))!.sources).toEqual([{ sourceId: 's', contentHash: 'h', fetchedAt: '2020-01-01T00:00:00.000Z', fromPublisher: false }]);
      expect((await store.list({ sources: ['s'] }, { limit: 5 })).items.map((a) => a.id)).toEqual(['AAAAAAAAAAAAAAAAAAAAAA']);
      expect(await store.knownHashes('s', ['AAAAAAAAAAAAAAAAAAAAAA'])).toEqual(new Map([['AAAAAAAAAAAAAAAAAAAAAA', 'h']]));
      expect((await store.search({ q: 'old', filter: {}, limit: 5, offset: 0 })).facets.sources).toEqual({ s: 1 });
      await store.close();
    });

    it('check-index names an article the search index lost, and one whose facet row is out of step', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'rr-store-')), 'db.sqlite');
      const [a, b, c] = [makeArticle(), makeArticle(), makeArticle()];
      const store = createSqliteStore(file);
      await store.upsertBatch([a!, b!, c!]);
      // Damage as a write cut short would leave it, through a second connection (the store re-indexes at open).
      const raw = new Database(file);
      raw.prepare('DELETE FROM articles_search WHERE rowid = (SELECT rowid FROM articles WHERE id = ?)').run(a!.id);
      raw.prepare("UPDATE article_facets SET language = 'swe' WHERE rid = (SELECT rowid FROM articles WHERE id = ?)").run(b!.id);
      raw.close();
      expect(await store.checkIndex()).toEqual({ stored: 3, indexed: 2, onlyStored: [a!.id], onlyStoredCount: 1, onlyIndexed: [], onlyIndexedCount: 0, differing: [b!.id], differingCount: 1 });
      await store.close();
    });

    it('keeps what was written across a reopen', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'rr-store-')), 'db.sqlite');
      const a = makeArticle();
      const first = createSqliteStore(file);
      await first.upsertBatch([a]);
      await first.close();
      const second = createSqliteStore(file);
      expect(await second.get(a.id)).toEqual({ ...a, storedAt: a.fetchedAt });
      await second.close();
    });
  },
});
