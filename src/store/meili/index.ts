import { Meilisearch, type Index } from 'meilisearch';
import type { Article } from '../../model/article.js';
import { firstSeenAt, mergeArticle } from '../../pipeline/dedupe/merge.js';
import { StoreError } from '../../errors.js';
import { CHECK_LIST_MAX, emptyFacets, MAX_SEARCH_HITS, noHits, type ArticleStore, type IndexCheck, type Page, type SearchFacets, type SearchRequest, type SearchResult } from '../port.js';
import { cursorAfter, type ArticleFilter, type PageRequest } from '../filter.js';
import { analyzeQuery, type SynonymIndex } from '../../search/analyze.js';
import { toDocument, type MeiliDocument } from './document.js';
import { afterIdFilter, idsFilter, toMeiliFilter, toMeiliPage } from './filter.js';
import { createMeiliHttpClient, responseError } from './http.js';
import { FACET_FIELDS, indexSettings, settingsDiff } from './settings.js';

export interface MeiliStoreOptions {
  host: string;
  apiKey?: string;
  /** Index uid; one Regionradar instance per index. */
  index?: string;
  synonyms?: SynonymIndex;
  /** Longest wait for one indexing task (a batch of articles, a settings change). */
  taskTimeoutMs?: number;
}

/** Documents per addition task: Meilisearch indexes one task at a time, and bigger payloads index faster than many small ones. */
const ADD_CHUNK = 5_000;
const ID_CHUNK = 500;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Federation weight of the title-only queries. A ranking score is at most 1, and a title holding every
 * word of the query scores well above 0.5 (words and attribute rules met in full), so doubling it puts
 * every such hit above every body-only hit.
 */
const TITLE_WEIGHT = 2;
/** Documents per page when reading the whole index (check-index). */
const SCAN_PAGE = 1_000;

/** A Meilisearch failure as a StoreError: 4xx answers (the engine refused the request) are not worth retrying; the rest are. */
function storeError(what: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const answer = responseError(err);
  if (answer) {
    return new StoreError(`Meilisearch ${what} failed: ${answer.code ?? `HTTP ${answer.status}`}: ${answer.message}`, { cause: err, retryable: answer.status >= 500 || answer.status === 429 });
  }
  return new StoreError(`Meilisearch ${what} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/**
 * The Meilisearch ArticleStore, for deployments that run the engine beside Regionradar
 * (docker-compose). The index holds the articles whole; it is the store of record there. Opening it
 * creates the index if needed and brings its settings to what config asks for, verifying the result.
 */
export async function createMeiliStore(opts: MeiliStoreOptions): Promise<ArticleStore> {
  const synonyms = opts.synonyms ?? { byTerm: new Map() };
  const http = createMeiliHttpClient();
  // An engine that hangs must not hold an API request or a job for ever: each request gives up after this
  // (a search over a million documents answers in well under a second; indexing runs as tasks, waited for apart).
  const client = new Meilisearch({ host: opts.host, apiKey: opts.apiKey, httpClient: http, timeout: REQUEST_TIMEOUT_MS });
  const uid = opts.index ?? 'articles';
  const index: Index<MeiliDocument> = client.index<MeiliDocument>(uid);
  const timeout = opts.taskTimeoutMs ?? 120_000;

  /** Waits for a task and fails unless it succeeded: the client's wait resolves on failed tasks too. */
  const settled = async (what: string, taskUid: number): Promise<void> => {
    const task = await client.tasks.waitForTask(taskUid, { timeout, interval: 25 });
    if (task.status !== 'succeeded') {
      const e = task.error;
      // A task the engine rejected (bad document, bad setting) fails the same way again.
      throw new StoreError(`Meilisearch ${what} task ${taskUid} ${task.status}${e ? `: ${e.code}: ${e.message}` : ''}`, { retryable: task.status === 'canceled' });
    }
  };
  const run = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw storeError(what, err);
    }
  };

  await run(`opening index ${uid} at ${opts.host}`, async () => {
    try {
      await index.getRawInfo();
    } catch (err) {
      if (responseError(err)?.code !== 'index_not_found') throw err;
      await settled(`creating index ${uid}`, (await client.createIndex(uid, { primaryKey: 'id' })).taskUid);
    }
    const wanted = indexSettings(synonyms);
    if (settingsDiff(wanted, await index.getSettings()).length) {
      // A settings task re-indexes in the background while searches keep using the old settings.
      await settled(`updating settings of ${uid}`, (await index.updateSettings(wanted)).taskUid);
      const left = settingsDiff(wanted, await index.getSettings());
      if (left.length) throw new StoreError(`Meilisearch index ${uid} did not take the settings ${left.join(', ')}`, { retryable: false });
    }
  });

  const toArticles = (hits: Array<{ article?: Article }>) => hits.map((h) => h.article!);
  const phrasingQueries = (phrasings: string[], common: Record<string, unknown>) =>
    phrasings.map((q) => ({ indexUid: uid, q, matchingStrategy: 'all' as const, attributesToRetrieve: ['article'], ...common }));
  /**
   * Ranked search: each phrasing over every field, and again over the title alone with TITLE_WEIGHT. The
   * federation keeps a document's best weighted score, so a title that holds the query outranks any body
   * match (the embedded store's title tier): the synonyms that expand a theme term otherwise score as
   * high as the query's own words, and a body full of them won.
   */
  const rankedQueries = (phrasings: string[], common: Record<string, unknown>) => [
    ...phrasingQueries(phrasings, common),
    ...phrasingQueries(phrasings, { ...common, attributesToSearchOn: ['title_f', 'title_s'], federationOptions: { weight: TITLE_WEIGHT } }),
  ];

  const write = async (articles: readonly Article[]) => {
    // Later chunks wait for earlier ones, so a failure stops the batch there.
    for (let i = 0; i < articles.length; i += ADD_CHUNK) {
      const docs = articles.slice(i, i + ADD_CHUNK).map(toDocument);
      await settled('document addition', (await index.addDocuments(docs, { primaryKey: 'id' })).taskUid);
    }
  };
  const storedArticles = async (ids: readonly string[]): Promise<Map<string, Article>> => {
    const out = new Map<string, Article>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      const r = await index.getDocuments({ filter: idsFilter(chunk), fields: ['id', 'article'], limit: chunk.length });
      for (const d of r.results) out.set(d.id, d.article);
    }
    return out;
  };

  return {
    async ingestBatch(articles) {
      if (!articles.length) return;
      // Meilisearch has no read-modify-write: the merge reads, then writes. Within a process the batch writer
      // serialises batches; enrich workers in several processes could interleave on the same article, which
      // at worst drops one source's sighting until that source delivers the article again.
      await run('ingest', async () => {
        const current = await storedArticles([...new Set(articles.map((a) => a.id))]);
        const changed = new Map<string, Article>();
        const now = new Date().toISOString();
        for (const a of articles) {
          const merged = mergeArticle(current.get(a.id), a, now);
          if (!merged) continue;
          current.set(a.id, merged);
          changed.set(a.id, merged);
        }
        if (changed.size) await write([...changed.values()]);
      });
    },
    async upsertBatch(articles) {
      if (!articles.length) return;
      await run('upsert', async () => {
        // An article given without storedAt keeps the stored one, else counts from its first sighting (as in the embedded store).
        const missing = articles.filter((a) => !a.storedAt).map((a) => a.id);
        const stored = missing.length ? await storedArticles([...new Set(missing)]) : new Map<string, Article>();
        await write(articles.map((a) => (a.storedAt ? a : { ...a, storedAt: stored.get(a.id)?.storedAt ?? firstSeenAt(a) })));
      });
    },
    async setStories(assignments) {
      if (!assignments.length) return 0;
      // Read, change the two fields, write back whole: the document holds the article as one field, and an
      // update of an id no longer stored would create a stub, so only stored articles are written.
      return run('set stories', async () => {
        const stored = await storedArticles([...new Set(assignments.map((s) => s.id))]);
        const changed = new Map<string, Article>();
        for (const s of assignments) {
          const a = changed.get(s.id) ?? stored.get(s.id);
          if (!a || (a.story === s.story && a.duplicateOf === s.duplicateOf)) continue;
          const { story: _story, duplicateOf: _dup, ...rest } = a;
          changed.set(s.id, { ...rest, story: s.story, ...(s.duplicateOf ? { duplicateOf: s.duplicateOf } : {}) });
        }
        if (changed.size) await write([...changed.values()]);
        return changed.size;
      });
    },
    async remove(ids) {
      if (!ids.length) return;
      await run('delete', async () => settled('document deletion', (await index.deleteDocuments([...ids])).taskUid));
    },
    async get(id) {
      try {
        return (await index.getDocument(id, { fields: ['article'] })).article;
      } catch (err) {
        if (responseError(err)?.code === 'document_not_found') return undefined;
        throw storeError('get', err);
      }
    },
    async list(filter: ArticleFilter, page: PageRequest): Promise<Page<Article>> {
      const { sort, filter: position } = toMeiliPage(page);
      const where = [...toMeiliFilter(filter), ...position];
      const items = await run('list', async () => {
        if (filter.q === undefined) {
          const r = await index.search('', { filter: where, sort, limit: page.limit + 1, attributesToRetrieve: ['article'] });
          return toArticles(r.hits);
        }
        const { phrasings } = analyzeQuery(filter.q, synonyms);
        if (!phrasings.length) return [];
        const r = await client.multiSearch({ federation: { limit: page.limit + 1, offset: 0 }, queries: phrasingQueries(phrasings, { filter: where, sort }) });
        return toArticles(r.hits as Array<{ article?: Article }>);
      });
      const shown = items.slice(0, page.limit);
      const last = shown[shown.length - 1];
      return items.length > page.limit && last ? { items: shown, nextCursor: cursorAfter(last, page.sort ?? 'published') } : { items: shown };
    },
    async search(req: SearchRequest): Promise<SearchResult> {
      const query = analyzeQuery(req.q, synonyms, req.languages);
      if (!query.phrasings.length) return noHits(query);
      return run('search', async () => {
        // One query per phrasing (folded words; stems per language), merged: a hit of several counts once, with its best score.
        const r = await client.multiSearch({
          federation: { limit: req.limit, offset: req.offset, facetsByIndex: { [uid]: Object.values(FACET_FIELDS) }, mergeFacets: {} },
          queries: rankedQueries(query.phrasings, { filter: toMeiliFilter(req.filter) }),
        });
        const dist = (r as { facetDistribution?: Record<string, Record<string, number>> }).facetDistribution ?? {};
        const facets = emptyFacets();
        for (const [name, field] of Object.entries(FACET_FIELDS)) facets[name as keyof SearchFacets] = dist[field] ?? {};
        return { items: toArticles(r.hits as Array<{ article?: Article }>), total: r.estimatedTotalHits ?? r.hits.length, facets, query };
      });
    },
    async knownHashes(sourceId, ids) {
      const out = new Map<string, string>();
      await run('knownHashes', async () => {
        for (let i = 0; i < ids.length; i += ID_CHUNK) {
          const chunk = ids.slice(i, i + ID_CHUNK);
          const r = await index.getDocuments({ filter: idsFilter(chunk), fields: ['id', 'seen'], limit: chunk.length });
          for (const d of r.results) {
            const hash = d.seen?.[sourceId];
            if (hash !== undefined) out.set(d.id, hash);
          }
        }
      });
      return out;
    },
    async scan(afterId, limit) {
      return run('scan', async () => {
        const r = await index.search('', {
          filter: afterId === undefined ? undefined : afterIdFilter(afterId),
          sort: ['key:asc'],
          limit: Math.min(limit, MAX_SEARCH_HITS),
          attributesToRetrieve: ['article'],
        });
        return toArticles(r.hits);
      });
    },
    async countBySource() {
      return run('count', async () => counts(await index.search('', { limit: 0, facets: ['sourceIds'] }), 'sourceIds'));
    },
    async countByTheme() {
      return run('count', async () => counts(await index.search('', { limit: 0, facets: ['themeIds'] }), 'themeIds'));
    },
    async count(filter?: ArticleFilter) {
      if (!filter) return run('count', async () => (await index.getStats()).numberOfDocuments);
      return run('count', async () => {
        if (filter.q === undefined) return (await index.search('', { filter: toMeiliFilter(filter), hitsPerPage: 0, page: 1 })).totalHits ?? 0;
        const { phrasings } = analyzeQuery(filter.q, synonyms);
        if (!phrasings.length) return 0;
        // A hit of several phrasings counts once; the count is exact up to the index's maxTotalHits.
        const r = await client.multiSearch({ federation: { limit: 0, offset: 0 }, queries: phrasingQueries(phrasings, { filter: toMeiliFilter(filter) }) });
        return r.estimatedTotalHits ?? 0;
      });
    },
    async checkIndex(): Promise<IndexCheck> {
      return run('check', async () => {
        // The documents API reads the documents as stored; search reads the index built from them.
        const stored = new Map<string, string>();
        for (let offset = 0; ; offset += SCAN_PAGE) {
          const r = await index.getDocuments({ fields: ['id', 'contentHash'], limit: SCAN_PAGE, offset });
          for (const d of r.results) stored.set(d.id, d.contentHash);
          if (r.results.length < SCAN_PAGE) break;
        }
        const indexed = new Map<string, string>();
        for (let after: string | undefined; ; ) {
          const r = await index.search<{ id: string; contentHash: string }>('', {
            filter: after === undefined ? undefined : afterIdFilter(after),
            sort: ['key:asc'],
            limit: SCAN_PAGE,
            attributesToRetrieve: ['id', 'contentHash'],
          });
          for (const h of r.hits) indexed.set(h.id, h.contentHash);
          if (r.hits.length < SCAN_PAGE) break;
          after = r.hits[r.hits.length - 1]!.id;
        }
        const onlyStored = [...stored.keys()].filter((id) => !indexed.has(id));
        const onlyIndexed = [...indexed.keys()].filter((id) => !stored.has(id));
        const differing = [...stored].filter(([id, hash]) => indexed.has(id) && indexed.get(id) !== hash).map(([id]) => id);
        return {
          stored: stored.size,
          indexed: indexed.size,
          onlyStored: onlyStored.slice(0, CHECK_LIST_MAX),
          onlyStoredCount: onlyStored.length,
          onlyIndexed: onlyIndexed.slice(0, CHECK_LIST_MAX),
          onlyIndexedCount: onlyIndexed.length,
          differing: differing.slice(0, CHECK_LIST_MAX),
          differingCount: differing.length,
        };
      });
    },
    async ping() {
      // Straight through the HTTP client: the meilisearch client's health() takes no abort signal, and an
      // engine that hangs would hold /readyz. /health answers in milliseconds; a second is an engine not there.
      try {
        const health = (await http(new URL('health', opts.host.endsWith('/') ? opts.host : `${opts.host}/`), { signal: AbortSignal.timeout(1_000) })) as { status?: string } | undefined;
        return health?.status === 'available';
      } catch {
        return false;
      }
    },
    async close() {
      http.close();
    },
  };
}

function counts(r: { facetDistribution?: Record<string, Record<string, number>> }, field: string): Map<string, number> {
  return new Map(Object.entries(r.facetDistribution?.[field] ?? {}));
}
