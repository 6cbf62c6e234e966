import { afterAll, expect, it } from 'vitest';
import { Meilisearch } from 'meilisearch';
import { createMeiliStore } from '../../src/store/meili/index.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { StoreError } from '../../src/errors.js';
import { runStoreContract } from '../contract/store.contract.js';
import { shippedConfig } from '../helpers/config.js';
import { makeArticle } from '../helpers/factories.js';
import { startLocalMeili } from '../../bench/meili-server.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);
// The real engine, started from the pinned test binary; the suite reports itself skipped, with the reason, when it cannot run.
const meili = await startLocalMeili();
afterAll(async () => {
  if (!('skip' in meili)) await meili.stop();
});

let n = 0;
const open = (index = `contract_${++n}`) => {
  if ('skip' in meili) throw new Error(meili.skip);
  return createMeiliStore({ host: meili.host, apiKey: meili.apiKey, index, synonyms });
};

runStoreContract({
  name: 'Meilisearch 1.21 (local binary)',
  skip: 'skip' in meili ? meili.skip : undefined,
  create: () => open(),
  additionalTests: () => {
    const admin = () => {
      if ('skip' in meili) throw new Error(meili.skip);
      return new Meilisearch({ host: meili.host, apiKey: meili.apiKey });
    };

    it('puts back a setting changed behind its back when it opens, and changes nothing when all is in order', async () => {
      const uid = `settings_${++n}`;
      await (await open(uid)).close();
      const index = admin().index(uid);
      await index.updateSettings({ searchableAttributes: ['title_f'], synonyms: {} }).waitTask();
      await (await open(uid)).close();
      const settings = await index.getSettings();
      expect(settings.searchableAttributes).toEqual(['title_f', 'title_s', 'summary_f', 'summary_s', 'content_f', 'content_s']);
      expect(settings.synonyms?.['smart spesialisering']).toContain('smart specialis');
      const updates = async () => (await admin().tasks.getTasks({ indexUids: [uid], types: ['settingsUpdate'] })).results.length;
      const before = await updates();
      const store = await open(uid);
      expect(await updates()).toBe(before);
      // and the store works on it
      const a = makeArticle({ title: 'Smart spesialisering i Nordland' });
      await store.upsertBatch([a]);
      expect((await store.search({ q: 'smart specialisation', filter: {}, limit: 5, offset: 0 })).items.map((x) => x.id)).toEqual([a.id]);
      await store.close();
    });

    it('fails a batch the engine rejects with a StoreError that is not retried, and keeps what was stored', async () => {
      const store = await open();
      const good = makeArticle();
      await store.upsertBatch([good]);
      const err = await store.upsertBatch([makeArticle(), makeArticle({ id: 'not a valid id!' })]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).retryable).toBe(false);
      expect((err as StoreError).message).toMatch(/invalid_document_id/);
      expect((await store.list({}, { limit: 10 })).items.map((x) => x.id)).toEqual([good.id]);
      await store.close();
    });

    it('reports an engine that does not answer as a retryable StoreError naming the host', async () => {
      const err = await createMeiliStore({ host: 'http://127.0.0.1:9', index: 'x', synonyms }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).retryable).toBe(true);
      expect((err as StoreError).message).toContain('http://127.0.0.1:9');
    });
  },
});
