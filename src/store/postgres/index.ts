import type pg from 'pg';
import { documentsText, type Article, type ArticleSighting } from '../../model/article.js';
import { firstSeenAt, mergeArticle, sightingsOf } from '../../pipeline/dedupe/merge.js';
import { StoreError } from '../../errors.js';
import { CHECK_LIST_MAX, noHits, type ArticleStore, type IndexCheck, type Page, type SearchFacets, type SearchRequest, type SearchResult } from '../port.js';
import { cursorAfter, type ArticleFilter, type PageRequest } from '../filter.js';
import { analyzeQuery, foldedText, stemmedText, type SynonymIndex } from '../../search/analyze.js';
import { createPool, describeTarget, inTransaction, migrate, storeError, type PoolOptions } from './open.js';
import { buildCountQuery, buildListQuery, buildSearchQuery, searchDigest, searchVector, toTitleTsQuery, toTsQuery } from './query.js';

export interface PostgresStoreOptions extends PoolOptions {
  synonyms?: SynonymIndex;
}

/** The article columns, read by every query that returns articles (never the search vector, which is large). */
const COLUMNS = [
  'id', 'source_id', 'url', 'title', 'summary', 'content_html', 'content_text', 'author', 'published_at', 'published_original',
  'fetched_at', 'declared_language', 'content_hash', 'language', 'language_confidence', 'themes', 'regions', 'countries', 'country',
  'region_hint', 'tag_version', 'document_type', 'deadline', 'departments', 'from_publisher', 'sources', 'stored_at', 'documents',
  'mail_auth', 'story', 'duplicate_of',
] as const;
const SELECT_COLUMNS = COLUMNS.map((c) => `a.${c}`).join(', ');

interface Row {
  id: string;
  source_id: string;
  url: string;
  title: string;
  summary: string;
  content_html: string;
  content_text: string;
  author: string | null;
  published_at: string;
  published_original: string | null;
  fetched_at: string;
  declared_language: string | null;
  content_hash: string;
  language: string;
  language_confidence: number;
  themes: Article['themes'];
  regions: Article['regions'];
  countries: string[];
  country: string | null;
  region_hint: string | null;
  tag_version: number;
  document_type: 'consultation' | null;
  deadline: string | null;
  departments: string[] | null;
  from_publisher: boolean;
  sources: ArticleSighting[];
  stored_at: string;
  documents: Article['documents'] | null;
  mail_auth: Article['mailAuth'] | null;
  story: string | null;
  duplicate_of: string | null;
}

function toArticle(r: Row): Article {
  const article: Article = {
    id: r.id,
    sourceId: r.source_id,
    url: r.url,
    title: r.title,
    summary: r.summary,
    contentHtml: r.content_html,
    contentText: r.content_text,
    ...(r.author ? { author: r.author } : {}),
    publishedAt: r.published_at,
    fetchedAt: r.fetched_at,
    ...(r.declared_language ? { declaredLanguage: r.declared_language } : {}),
    contentHash: r.content_hash,
    language: r.language,
    languageConfidence: r.language_confidence,
    themes: r.themes,
    regions: r.regions,
    countries: r.countries,
    ...(r.country ? { country: r.country } : {}),
    ...(r.region_hint ? { regionHint: r.region_hint } : {}),
    tagVersion: r.tag_version,
    ...(r.document_type ? { documentType: r.document_type } : {}),
    ...(r.deadline ? { deadline: r.deadline } : {}),
    ...(r.departments?.length ? { departments: r.departments } : {}),
    ...(r.published_original ? { publishedAtOriginal: r.published_original } : {}),
    fromPublisher: r.from_publisher,
    sources: r.sources,
    storedAt: r.stored_at,
    ...(r.documents?.length ? { documents: r.documents } : {}),
    ...(r.mail_auth ? { mailAuth: r.mail_auth } : {}),
    ...(r.story ? { story: r.story } : {}),
    ...(r.duplicate_of ? { duplicateOf: r.duplicate_of } : {}),
  };
  if (!article.sources.length) article.sources = sightingsOf(article);
  return article;
}

/**
 * The longest analysed text (UTF-8 bytes) indexed per form. A tsvector holds at most 1 MB of lexemes, and
 * the vector has four forms: two bodies capped here and two titles capped at a tenth of it stay below that
 * even if every word were distinct. A body this long is several full PDF documents (each capped at
 * 200,000 characters by extract.ts); words past the cap are not searchable, the article is stored whole.
 */
const MAX_BODY_BYTES = 450_000;
const MAX_TITLE_BYTES = 45_000;

function capBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const cut = Buffer.from(text).subarray(0, max).toString('utf8');
  // Drop the word the cut went through (and a split character at the end).
  return cut.slice(0, Math.max(0, cut.lastIndexOf(' ')));
}

/** The four analysed texts of an article's search vector (weights A–D, see schema.ts). */
function searchTexts(title: string, body: string, language: string) {
  return {
    title_f: capBytes(foldedText(title), MAX_TITLE_BYTES),
    title_s: capBytes(stemmedText(title, language), MAX_TITLE_BYTES),
    body_f: capBytes(foldedText(body), MAX_BODY_BYTES),
    body_s: capBytes(stemmedText(body, language), MAX_BODY_BYTES),
  };
}

const bodyOf = (a: Pick<Article, 'summary' | 'contentText' | 'documents'>) => `${a.summary}\n${a.contentText}\n${documentsText(a)}`;

/**
 * A batch as one JSON parameter, read back by jsonb_to_recordset: one statement per batch instead of one
 * per article. PostgreSQL text cannot hold U+0000, which no article text means; it is dropped.
 */
const asJson = (records: unknown[]): string => JSON.stringify(records, (_key, v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '') : v));

/** The record columns of one article as writeArticles binds them (names match the articles columns). */
const RECORD_TYPES = `
  id text, source_id text, url text, title text, summary text, content_html text, content_text text, author text,
  published_at text, published_original text, fetched_at text, declared_language text, content_hash text, language text,
  language_confidence double precision, themes jsonb, theme_ids text[], regions jsonb, region_codes text[], countries text[],
  country text, region_hint text, tag_version integer, document_type text, deadline text, departments text[],
  from_publisher boolean, sources jsonb, stored_at text, fallback_stored_at text, documents jsonb, mail_auth jsonb,
  story text, duplicate_of text, title_f text, title_s text, body_f text, body_s text`;
const WRITTEN = [...COLUMNS.filter((c) => c !== 'stored_at'), 'theme_ids', 'region_codes'];

/**
 * Inserts or replaces rows by id; stored_at is the article's own, else the stored row's, else the fallback.
 * The search vector and its digest are written in the same statement as the row, so they cannot part.
 */
const UPSERT_SQL = `
  WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD_TYPES}))
  INSERT INTO articles (${WRITTEN.join(', ')}, stored_at, search, search_digest)
  SELECT ${WRITTEN.map((c) => `r.${c}`).join(', ')}, COALESCE(r.stored_at, old.stored_at, r.fallback_stored_at),
    ${searchVector('r.title_f', 'r.title_s', 'r.body_f', 'r.body_s')}, ${searchDigest('r')}
  FROM r LEFT JOIN articles old ON old.id = r.id
  ORDER BY r.id
  ON CONFLICT (id) DO UPDATE SET ${[...WRITTEN.filter((c) => c !== 'id'), 'stored_at', 'search', 'search_digest'].map((c) => `${c} = excluded.${c}`).join(', ')}`;

/** Each article's sightings replace its rows in article_sources. */
const SIGHTINGS_SQL = `
  WITH s AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(source_id text, article_id text, content_hash text, fetched_at text)),
  gone AS (
    DELETE FROM article_sources o WHERE o.article_id = ANY($2::text[])
      AND NOT EXISTS (SELECT 1 FROM s WHERE s.article_id = o.article_id AND s.source_id = o.source_id)
  )
  INSERT INTO article_sources (source_id, article_id, content_hash, fetched_at)
  SELECT source_id, article_id, content_hash, fetched_at FROM s ORDER BY article_id, source_id
  ON CONFLICT (source_id, article_id) DO UPDATE SET content_hash = excluded.content_hash, fetched_at = excluded.fetched_at`;

/**
 * Key space of the per-article advisory locks ingestBatch takes (the two-key form, apart from the
 * single-key migration lock). A row lock (FOR UPDATE) cannot lock an article not yet stored, and two
 * processes ingesting the same new article would each merge with nothing and the second would drop the
 * first one's source; the advisory lock on the id's hash serializes them whether or not the row exists.
 */
const INGEST_LOCK_SPACE = 0x7272;

/** Rows indexed per statement when vectors are built at open for rows that have none. */
const BACKFILL_CHUNK = 500;

/** How long /readyz waits for an answer: a server that takes longer is not ready. */
const PING_TIMEOUT_MS = 2_000;

const byCount = (pairs: Array<[string, number]>): Record<string, number> =>
  Object.fromEntries(pairs.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)));

/**
 * The PostgreSQL ArticleStore, for deployments that run several API and worker processes against one
 * database: the SQLite store's behaviour (same merge, filters, order, search analysis and ranking) over a
 * pooled connection. Opening it applies any pending migrations under an advisory lock.
 *
 * @example const store = await createPostgresStore({ connectionString: 'postgres://rr@db/regionradar', poolSize: 10, synonyms });
 */
export async function createPostgresStore(opts: PostgresStoreOptions): Promise<ArticleStore> {
  const synonyms = opts.synonyms ?? { byTerm: new Map() };
  const target = describeTarget(opts.connectionString);
  const pool = createPool(opts);
  let closed = false;

  const run = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw storeError(what, err);
    }
  };
  /** Runs `fn` in one transaction on one pooled connection; a connection that failed is closed, not reused. */
  const transaction = <T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => run(what, () => inTransaction(pool, fn));
  const query = async <R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []): Promise<R[]> =>
    run(what, async () => (await pool.query<R>(sql, params)).rows);

  const backfill = async () => {
    for (;;) {
      const done = await transaction('indexing stored articles for search', async (c) => {
        const { rows } = await c.query<{ id: string; title: string; summary: string; content_text: string; documents: Article['documents'] | null; language: string }>(
          'SELECT id, title, summary, content_text, documents, language FROM articles WHERE search IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
          [BACKFILL_CHUNK],
        );
        if (!rows.length) return true;
        const records = rows.map((r) => ({ id: r.id, ...searchTexts(r.title, bodyOf({ summary: r.summary, contentText: r.content_text, documents: r.documents ?? undefined }), r.language) }));
        await c.query(
          `UPDATE articles a SET search = ${searchVector('v.title_f', 'v.title_s', 'v.body_f', 'v.body_s')}, search_digest = ${searchDigest('a')}
           FROM jsonb_to_recordset($1::jsonb) AS v(id text, title_f text, title_s text, body_f text, body_s text) WHERE a.id = v.id`,
          [asJson(records)],
        );
        return false;
      });
      if (done) return;
    }
  };

  try {
    await migrate(pool);
    // Rows without a vector (written before a migration that added them, or by hand) become searchable.
    await backfill();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const cause = err instanceof StoreError ? err.cause : err;
    throw new StoreError(`cannot open the PostgreSQL store at ${target}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      retryable: storeError('open', cause).retryable,
    });
  }

  /** Writes articles as given, within the caller's transaction; an article without storedAt keeps the stored one, else `fallback(a)`. */
  const writeArticles = async (c: pg.PoolClient, articles: readonly Article[], fallback: (a: Article) => string) => {
    // One row per id, the last version given (as writing them one after another would leave it); rows in id
    // order, so that concurrent writers lock them in the same order and cannot deadlock.
    const last = new Map<string, Article>();
    const first = new Map<string, Article>();
    for (const a of articles) {
      if (!first.has(a.id)) first.set(a.id, a);
      const before = last.get(a.id);
      last.set(a.id, before?.storedAt && !a.storedAt ? { ...a, storedAt: before.storedAt } : a);
    }
    const batch = [...last.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const records = batch.map((a) => ({
      id: a.id,
      source_id: a.sourceId,
      url: a.url,
      title: a.title,
      summary: a.summary,
      content_html: a.contentHtml,
      content_text: a.contentText,
      author: a.author ?? null,
      published_at: a.publishedAt,
      published_original: a.publishedAtOriginal ?? null,
      fetched_at: a.fetchedAt,
      declared_language: a.declaredLanguage ?? null,
      content_hash: a.contentHash,
      language: a.language,
      language_confidence: a.languageConfidence,
      themes: a.themes,
      theme_ids: [...new Set(a.themes.map((t) => t.id))],
      regions: a.regions,
      region_codes: [...new Set(a.regions.map((r) => r.code))],
      countries: a.countries,
      country: a.country ?? null,
      region_hint: a.regionHint ?? null,
      tag_version: a.tagVersion,
      document_type: a.documentType ?? null,
      deadline: a.deadline ?? null,
      departments: a.departments?.length ? a.departments : null,
      from_publisher: a.fromPublisher,
      sources: sightingsOf(a),
      stored_at: a.storedAt ?? null,
      fallback_stored_at: fallback(first.get(a.id)!),
      documents: a.documents?.length ? a.documents : null,
      mail_auth: a.mailAuth ?? null,
      story: a.story ?? null,
      duplicate_of: a.duplicateOf ?? null,
      ...searchTexts(a.title, bodyOf(a), a.language),
    }));
    await c.query(UPSERT_SQL, [asJson(records)]);
    // One row per source and article: the last sighting of a source wins, as in the stored list.
    const sightings = new Map<string, { source_id: string; article_id: string; content_hash: string; fetched_at: string }>();
    for (const a of batch) {
      for (const s of sightingsOf(a)) sightings.set(`${a.id}\u0000${s.sourceId}`, { source_id: s.sourceId, article_id: a.id, content_hash: s.contentHash, fetched_at: s.fetchedAt });
    }
    await c.query(SIGHTINGS_SQL, [asJson([...sightings.values()]), batch.map((a) => a.id)]);
  };

  const matchOf = (q: string | undefined) => (q === undefined ? undefined : toTsQuery(analyzeQuery(q, synonyms)));

  return {
    async ingestBatch(articles) {
      if (!articles.length) return;
      const ids = [...new Set(articles.map((a) => a.id))];
      // Lock, read, merge and write in one transaction: enrich workers in other processes wait for the
      // articles' locks, so none slips a version in between this one's read and write.
      await transaction('ingest', async (c) => {
        await c.query(
          'SELECT pg_advisory_xact_lock($1, k) FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) id ORDER BY 1) keys',
          [INGEST_LOCK_SPACE, ids],
        );
        const { rows } = await c.query<Row>(`SELECT ${SELECT_COLUMNS} FROM articles a WHERE a.id = ANY($1::text[]) ORDER BY a.id FOR UPDATE`, [ids]);
        const current = new Map(rows.map((r) => [r.id, toArticle(r)]));
        const changed = new Map<string, Article>();
        const now = new Date().toISOString();
        for (const a of articles) {
          const merged = mergeArticle(current.get(a.id), a, now);
          if (!merged) continue;
          current.set(a.id, merged);
          changed.set(a.id, merged);
        }
        if (changed.size) await writeArticles(c, [...changed.values()], () => now);
      });
    },
    async upsertBatch(articles) {
      if (articles.length) await transaction('upsert', (c) => writeArticles(c, articles, firstSeenAt));
    },
    async setStories(assignments) {
      if (!assignments.length) return 0;
      // The last decision per article stands, as if they were applied one after another.
      const last = new Map(assignments.map((s) => [s.id, { id: s.id, story: s.story, duplicate_of: s.duplicateOf ?? null }]));
      return run('set stories', async () => {
        const r = await pool.query(
          `UPDATE articles a SET story = v.story, duplicate_of = v.duplicate_of
           FROM jsonb_to_recordset($1::jsonb) AS v(id text, story text, duplicate_of text)
           WHERE a.id = v.id AND (a.story IS DISTINCT FROM v.story OR a.duplicate_of IS DISTINCT FROM v.duplicate_of)`,
          [asJson([...last.values()])],
        );
        return r.rowCount ?? 0;
      });
    },
    async remove(ids) {
      // Sightings go with the article (ON DELETE CASCADE); the search vector is in the row.
      if (ids.length) await query('delete', 'DELETE FROM articles WHERE id = ANY($1::text[])', [[...ids]]);
    },
    async get(id) {
      const rows = await query<Row>('get', `SELECT ${SELECT_COLUMNS} FROM articles a WHERE a.id = $1`, [id]);
      return rows[0] ? toArticle(rows[0]) : undefined;
    },
    async list(filter: ArticleFilter, page: PageRequest): Promise<Page<Article>> {
      const { sql, params } = buildListQuery(filter, page, SELECT_COLUMNS, matchOf(filter.q));
      const rows = await query<Row>('list', sql, params);
      const items = rows.slice(0, page.limit).map(toArticle);
      const last = items[items.length - 1];
      return rows.length > page.limit && last ? { items, nextCursor: cursorAfter(last, page.sort ?? 'published') } : { items };
    },
    async search(req: SearchRequest): Promise<SearchResult> {
      const analysed = analyzeQuery(req.q, synonyms, req.languages);
      const match = toTsQuery(analysed);
      const titleMatch = toTitleTsQuery(analysed);
      if (!match || !titleMatch) return noHits(analysed);
      const { sql, params } = buildSearchQuery(req, match, titleMatch, SELECT_COLUMNS);
      type SearchRow = Row & { hit_total: number } & Record<`facet_${keyof SearchFacets}`, Array<[string, number]>>;
      const rows = await query<SearchRow>('search', sql, params);
      const head = rows[0];
      if (!head) throw new StoreError('PostgreSQL store: search returned no row', { retryable: false });
      return {
        items: rows.filter((r) => r.id !== null).map(toArticle),
        total: head.hit_total,
        facets: {
          themes: byCount(head.facet_themes),
          languages: byCount(head.facet_languages),
          sources: byCount(head.facet_sources),
          countries: byCount(head.facet_countries),
        },
        query: analysed,
      };
    },
    async knownHashes(sourceId, ids) {
      if (!ids.length) return new Map();
      const rows = await query<{ article_id: string; content_hash: string }>(
        'knownHashes',
        'SELECT article_id, content_hash FROM article_sources WHERE source_id = $1 AND article_id = ANY($2::text[])',
        [sourceId, [...ids]],
      );
      return new Map(rows.map((r) => [r.article_id, r.content_hash]));
    },
    async scan(afterId, limit) {
      const rows = await query<Row>('scan', `SELECT ${SELECT_COLUMNS} FROM articles a WHERE a.id > $1 ORDER BY a.id LIMIT $2`, [afterId ?? '', limit]);
      return rows.map(toArticle);
    },
    async countBySource() {
      const rows = await query<{ k: string; n: number }>('count', 'SELECT source_id AS k, COUNT(*)::int AS n FROM article_sources GROUP BY source_id');
      return new Map(rows.map((r) => [r.k, r.n]));
    },
    async countByTheme() {
      const rows = await query<{ k: string; n: number }>('count', 'SELECT t AS k, COUNT(*)::int AS n FROM articles, unnest(theme_ids) t GROUP BY t');
      return new Map(rows.map((r) => [r.k, r.n]));
    },
    async count(filter?: ArticleFilter) {
      if (!filter) return (await query<{ n: number }>('count', 'SELECT COUNT(*)::int AS n FROM articles'))[0]!.n;
      const { sql, params } = buildCountQuery(filter, matchOf(filter.q));
      return (await query<{ n: number }>('count', sql, params))[0]!.n;
    },
    async checkIndex(): Promise<IndexCheck> {
      // The vector lives in the article's row, so no vector can outlive its article (onlyIndexed is always
      // empty); what can go wrong is a row without one, or whose text changed without it.
      const onlyStored = 'FROM articles a WHERE a.search IS NULL';
      const differing = `FROM articles a WHERE a.search IS NOT NULL AND a.search_digest IS DISTINCT FROM ${searchDigest('a')}`;
      return transaction('check', async (c) => {
        await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const one = async (sql: string) => (await c.query<{ n: number }>(sql)).rows[0]!.n;
        const ids = async (from: string) => (await c.query<{ id: string }>(`SELECT a.id ${from} ORDER BY a.id LIMIT ${CHECK_LIST_MAX}`)).rows.map((r) => r.id);
        return {
          stored: await one('SELECT COUNT(*)::int AS n FROM articles'),
          indexed: await one('SELECT COUNT(*)::int AS n FROM articles WHERE search IS NOT NULL'),
          onlyStored: await ids(onlyStored),
          onlyStoredCount: await one(`SELECT COUNT(*)::int AS n ${onlyStored}`),
          onlyIndexed: [],
          onlyIndexedCount: 0,
          differing: await ids(differing),
          differingCount: await one(`SELECT COUNT(*)::int AS n ${differing}`),
        };
      });
    },
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS)));
        await Promise.race([pool.query('SELECT 1'), timeout]);
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
