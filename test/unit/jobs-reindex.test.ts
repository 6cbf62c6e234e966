import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { fileCheckpoint, reindexAll } from '../../src/jobs/reindex.js';
import type { ArticleStore } from '../../src/store/port.js';
import { makeArticle } from '../helpers/factories.js';

const everything = async (store: ArticleStore) => {
  const out = [];
  for (let after: string | undefined, page; (page = await store.scan(after, 100)).length; after = page.at(-1)!.id) out.push(...page);
  return out;
};

describe('reindexAll', () => {
  it('copies every article into the target; an interrupted run resumes after the last page written, without duplicates', async () => {
    const from = createSqliteStore(':memory:');
    const articles = Array.from({ length: 23 }, (_, i) => makeArticle({ title: `Artikkel ${i} om bioøkonomi` }));
    await from.upsertBatch(articles);
    const to = createSqliteStore(':memory:');
    let writes = 0;
    const failing = {
      upsertBatch: async (batch: Parameters<ArticleStore['upsertBatch']>[0]) => {
        if (++writes === 3) throw new Error('engine went away');
        await to.upsertBatch(batch);
      },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'rr-reindex-')), 'reindex.checkpoint');
    const checkpoint = fileCheckpoint(file);
    await expect(reindexAll(from, failing, { pageSize: 5, checkpoint })).rejects.toThrow('engine went away');
    const sorted = articles.map((a) => a.id).sort();
    expect(readFileSync(file, 'utf8')).toBe(sorted[9]);
    expect((await everything(to)).length).toBe(10);

    const seen: number[] = [];
    const r = await reindexAll(from, to, { pageSize: 5, checkpoint, onProgress: (p) => seen.push(p.copied) });
    expect(r).toMatchObject({ copied: 13, total: 23, resumedAfter: sorted[9] });
    expect(seen).toEqual([5, 10, 13]);
    expect(existsSync(file)).toBe(false);
    expect(await everything(to)).toEqual(await everything(from));
    expect((await to.search({ q: 'bioøkonomi', filter: {}, limit: 50, offset: 0 })).total).toBe(23);
  });

  it('rebuilds a store in place: same articles, searchable, nothing duplicated', async () => {
    const store = createSqliteStore(':memory:');
    const articles = Array.from({ length: 7 }, () => makeArticle({ title: 'Grön omställning' }));
    await store.upsertBatch(articles);
    const before = await everything(store);
    const r = await reindexAll(store, store, { pageSize: 3 });
    expect(r.copied).toBe(7);
    expect(await everything(store)).toEqual(before);
    expect((await store.search({ q: 'omstallning', filter: {}, limit: 10, offset: 0 })).total).toBe(7);
  });
});
