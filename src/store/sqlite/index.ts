import Database from 'better-sqlite3';
import { documentsText, type Article, type ArticleSighting, type StoryAssignment } from '../../model/article.js';
import { firstSeenAt, mergeArticle, sightingsOf } from '../../pipeline/dedupe/merge.js';
import { StoreError } from '../../errors.js';
import { CHECK_LIST_MAX, noHits, type ArticleStore, type IndexCheck, type Page, type SearchRequest, type SearchResult } from '../port.js';
import { cursorAfter, type ArticleFilter, type PageRequest } from '../filter.js';
import { MIGRATIONS } from './schema.js';
import { openSqlite, sqliteGuard } from './open.js';
import { buildCountQuery, buildListQuery, filterClauses, toSearchMatch, toTitleMatch } from './query.js';
import { analyzeQuery, foldedText, stemmedText, type SynonymIndex } from '../../search/analyze.js';

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
  fetched_at: string;
  declared_language: string | null;
  content_hash: string;
  language: string;
  language_confidence: number;
  themes_json: string;
  regions_json: string;
  countries_json: string;
  country: string | null;
  region_hint: string | null;
  tag_version: number;
  document_type: 'consultation' | null;
  deadline: string | null;
  departments_json: string;
  from_publisher: number;
  published_original: string | null;
  sources_json: string;
  stored_at: string | null;
  documents_json: string | null;
  mail_auth_json: string | null;
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
    themes: JSON.parse(r.themes_json),
    regions: JSON.parse(r.regions_json),
    countries: JSON.parse(r.countries_json),
    ...(r.country ? { country: r.country } : {}),
    ...(r.region_hint ? { regionHint: r.region_hint } : {}),
    tagVersion: r.tag_version,
    ...(r.document_type ? { documentType: r.document_type } : {}),
    ...(r.deadline ? { deadline: r.deadline } : {}),
    ...(r.departments_json !== '[]' ? { departments: JSON.parse(r.departments_json) } : {}),
    ...(r.published_original ? { publishedAtOriginal: r.published_original } : {}),
    fromPublisher: r.from_publisher === 1,
    sources: JSON.parse(r.sources_json) as ArticleSighting[],
    ...(r.stored_at ? { storedAt: r.stored_at } : {}),
    ...(r.documents_json ? { documents: JSON.parse(r.documents_json) } : {}),
    ...(r.mail_auth_json ? { mailAuth: JSON.parse(r.mail_auth_json) } : {}),
    ...(r.story ? { story: r.story } : {}),
    ...(r.duplicate_of ? { duplicateOf: r.duplicate_of } : {}),
  };
  if (!article.sources.length) article.sources = sightingsOf(article);
  return article;
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (let v = applied; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Added to the rank of a hit whose title holds the query: far beyond any bm25 score, which stays within tens. */
const TITLE_TIER = 1e6;

/** SQLite can bind at most 32,766 parameters; id lookups are chunked well below that. */
const ID_CHUNK = 500;

/**
 * The embedded ArticleStore: better-sqlite3 in WAL mode (readers never wait for the writer) with an
 * FTS5 index. `':memory:'` gives a private store for tests.
 */
export function createSqliteStore(file: string, opts: { synonyms?: SynonymIndex } = {}): ArticleStore {
  const synonyms = opts.synonyms ?? { byTerm: new Map() };
  const db = openSqlite(file, 'the SQLite store', (d) => {
    // Search's per-request table of hits stays in memory rather than in a temporary file.
    d.pragma('temp_store = MEMORY');
    migrate(d);
  });

  const upsert = db.prepare(`
    INSERT INTO articles (id, source_id, url, title, summary, content_html, content_text, author, published_at, fetched_at,
      declared_language, content_hash, language, language_confidence, themes_json, regions_json, countries_json, country, region_hint, tag_version,
      document_type, deadline, departments_json, from_publisher, published_original, sources_json, stored_at, documents_json, mail_auth_json, story, duplicate_of)
    VALUES (@id, @sourceId, @url, @title, @summary, @contentHtml, @contentText, @author, @publishedAt, @fetchedAt,
      @declaredLanguage, @contentHash, @language, @languageConfidence, @themes, @regions, @countries, @country, @regionHint, @tagVersion,
      @documentType, @deadline, @departments, @fromPublisher, @publishedOriginal, @sources, COALESCE(@storedAt, @now), @documents, @mailAuth, @story, @duplicateOf)
    ON CONFLICT (id) DO UPDATE SET
      source_id = excluded.source_id, url = excluded.url, title = excluded.title, summary = excluded.summary,
      content_html = excluded.content_html, content_text = excluded.content_text, author = excluded.author,
      published_at = excluded.published_at, fetched_at = excluded.fetched_at, declared_language = excluded.declared_language,
      content_hash = excluded.content_hash, language = excluded.language, language_confidence = excluded.language_confidence,
      themes_json = excluded.themes_json, regions_json = excluded.regions_json, countries_json = excluded.countries_json,
      country = excluded.country, region_hint = excluded.region_hint, tag_version = excluded.tag_version,
      document_type = excluded.document_type, deadline = excluded.deadline, departments_json = excluded.departments_json,
      from_publisher = excluded.from_publisher, published_original = excluded.published_original, sources_json = excluded.sources_json,
      documents_json = excluded.documents_json, mail_auth_json = excluded.mail_auth_json,
      story = excluded.story, duplicate_of = excluded.duplicate_of,
      stored_at = COALESCE(@storedAt, articles.stored_at, @now)`);
  const deleteThemes = db.prepare('DELETE FROM article_themes WHERE article_id = ?');
  const insertTheme = db.prepare('INSERT OR IGNORE INTO article_themes (theme_id, article_id) VALUES (?, ?)');
  const getOne = db.prepare('SELECT * FROM articles WHERE id = ?');
  const deleteOne = db.prepare('DELETE FROM articles WHERE id = ?');
  const scanFrom = db.prepare('SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?');
  const bySource = db.prepare('SELECT source_id AS k, COUNT(*) AS n FROM article_sources GROUP BY source_id');
  const countAll = db.prepare('SELECT COUNT(*) FROM articles').pluck();
  const deleteSightings = db.prepare('DELETE FROM article_sources WHERE article_id = ?');
  const insertSighting = db.prepare('INSERT INTO article_sources (source_id, article_id, content_hash, fetched_at) VALUES (?, ?, ?, ?)');
  const byTheme = db.prepare('SELECT theme_id AS k, COUNT(*) AS n FROM article_themes GROUP BY theme_id');

  const rowidOf = db.prepare('SELECT rowid FROM articles WHERE id = ?').pluck();
  const deleteSearch = db.prepare('DELETE FROM articles_search WHERE rowid = ?');
  const writeFacets = db.prepare('INSERT OR REPLACE INTO article_facets (rid, language, source_id, countries_json, themes_json, sources_json, duplicate) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const setStory = db.prepare('UPDATE articles SET story = @story, duplicate_of = @duplicateOf WHERE id = @id AND (story IS NOT @story OR duplicate_of IS NOT @duplicateOf)');
  const setDuplicateFacet = db.prepare('UPDATE article_facets SET duplicate = ? WHERE rid = (SELECT rowid FROM articles WHERE id = ?)');
  const deleteFacets = db.prepare('DELETE FROM article_facets WHERE rid = ?');
  const insertSearch = db.prepare('INSERT INTO articles_search (rowid, title_f, title_s, body_f, body_s) VALUES (?, ?, ?, ?, ?)');
  const indexForSearch = (rowid: unknown, title: string, body: string, language: string) => {
    deleteSearch.run(rowid);
    insertSearch.run(rowid, foldedText(title), stemmedText(title, language), foldedText(body), stemmedText(body, language));
  };
  // Articles stored before the search table existed (or by an older build) are indexed at open.
  const unindexed = db.prepare('SELECT a.rowid AS rowid, a.title, a.summary, a.content_text, a.language FROM articles a WHERE a.rowid NOT IN (SELECT rowid FROM articles_search) LIMIT 1000');
  const backfill = db.transaction(() => {
    const rows = unindexed.all() as Array<{ rowid: number; title: string; summary: string; content_text: string; language: string }>;
    for (const r of rows) indexForSearch(r.rowid, r.title, `${r.summary}\n${r.content_text}`, r.language);
    return rows.length;
  });
  try {
    while (backfill() > 0);
  } catch (err) {
    throw new StoreError(`cannot index stored articles for search in ${file}: ${(err as Error).message}`, { cause: err });
  }

  // An article written without storedAt keeps the stored one, else takes `fallbackStoredAt`.
  const writeOne = (a: Article, fallbackStoredAt: string) => {
    const sources = sightingsOf(a);
    upsert.run({
      id: a.id,
      sourceId: a.sourceId,
      url: a.url,
      title: a.title,
      summary: a.summary,
      contentHtml: a.contentHtml,
      contentText: a.contentText,
      author: a.author ?? null,
      publishedAt: a.publishedAt,
      fetchedAt: a.fetchedAt,
      declaredLanguage: a.declaredLanguage ?? null,
      contentHash: a.contentHash,
      language: a.language,
      languageConfidence: a.languageConfidence,
      themes: JSON.stringify(a.themes),
      regions: JSON.stringify(a.regions),
      countries: JSON.stringify(a.countries),
      country: a.country ?? null,
      regionHint: a.regionHint ?? null,
      tagVersion: a.tagVersion,
      documentType: a.documentType ?? null,
      deadline: a.deadline ?? null,
      departments: JSON.stringify(a.departments ?? []),
      fromPublisher: a.fromPublisher ? 1 : 0,
      publishedOriginal: a.publishedAtOriginal ?? null,
      sources: JSON.stringify(sources),
      storedAt: a.storedAt ?? null,
      now: fallbackStoredAt,
      documents: a.documents?.length ? JSON.stringify(a.documents) : null,
      mailAuth: a.mailAuth ? JSON.stringify(a.mailAuth) : null,
      story: a.story ?? null,
      duplicateOf: a.duplicateOf ?? null,
    });
    deleteSightings.run(a.id);
    for (const seen of sources) insertSighting.run(seen.sourceId, a.id, seen.contentHash, seen.fetchedAt);
    deleteThemes.run(a.id);
    for (const t of a.themes) insertTheme.run(t.id, a.id);
    const rowid = rowidOf.get(a.id);
    indexForSearch(rowid, a.title, `${a.summary}\n${a.contentText}\n${documentsText(a)}`, a.language);
    writeFacets.run(rowid, a.language, a.sourceId, JSON.stringify(a.countries), JSON.stringify([...new Set(a.themes.map((t) => t.id))]), JSON.stringify(sources.map((x) => x.sourceId)), a.duplicateOf ? 1 : 0);
  };

  const writeBatch = db.transaction((articles: readonly Article[]) => {
    for (const a of articles) writeOne(a, firstSeenAt(a));
  });
  // Read, merge and write in one IMMEDIATE transaction: it takes the write lock first, so enrich workers in
  // other processes cannot slip a version in between this one's read and write.
  const ingestTx = db.transaction((articles: readonly Article[]) => {
    const now = new Date().toISOString();
    for (const a of articles) {
      const row = getOne.get(a.id) as Row | undefined;
      const merged = mergeArticle(row ? toArticle(row) : undefined, a, now);
      if (merged) writeOne(merged, now);
    }
  });

  const storiesTx = db.transaction((assignments: readonly StoryAssignment[]) => {
    let changed = 0;
    for (const s of assignments) {
      const duplicateOf = s.duplicateOf ?? null;
      if (setStory.run({ id: s.id, story: s.story, duplicateOf }).changes) {
        setDuplicateFacet.run(duplicateOf ? 1 : 0, s.id);
        changed++;
      }
    }
    return changed;
  });

  const removeBatch = db.transaction((ids: readonly string[]) => {
    for (const id of ids) {
      const rowid = rowidOf.get(id);
      if (rowid === undefined) continue;
      deleteSearch.run(rowid);
      deleteFacets.run(rowid);
      deleteThemes.run(id);
      deleteSightings.run(id);
      deleteOne.run(id);
    }
  });

  // Ranked search in one read transaction: the full-text match and its filters run once into a temporary
  // table of hits with their facet fields, which the page, the total and every facet count then read,
  // instead of each re-running the match over the whole index and looking up every hit again.
  db.exec('DROP TABLE IF EXISTS temp.search_hits');
  db.exec('CREATE TEMP TABLE search_hits (rid INTEGER PRIMARY KEY, rank REAL NOT NULL, language TEXT, sources_json TEXT, countries_json TEXT, themes_json TEXT)');
  const clearHits = db.prepare('DELETE FROM temp.search_hits');
  const hitPage = db.prepare('SELECT a.* FROM (SELECT rid, rank FROM temp.search_hits ORDER BY rank, rid DESC LIMIT ? OFFSET ?) h JOIN articles a ON a.rowid = h.rid ORDER BY h.rank, h.rid DESC');
  const hitCount = db.prepare('SELECT COUNT(*) FROM temp.search_hits').pluck();
  const facetQuery = (select: string, from = '') => db.prepare(`SELECT ${select} AS k, COUNT(*) AS n FROM temp.search_hits h${from} GROUP BY k`);
  const facetStatements = {
    languages: facetQuery('h.language'),
    sources: facetQuery('v.value', ', json_each(h.sources_json) v'),
    themes: facetQuery('v.value', ', json_each(h.themes_json) v'),
    countries: facetQuery('v.value', ', json_each(h.countries_json) v'),
  };
  const byCount = (rows: Array<{ k: string; n: number }>) => Object.fromEntries(rows.sort((x, y) => y.n - x.n || (x.k < y.k ? -1 : 1)).map((r) => [r.k, r.n]));
  const searchOnce = db.transaction((match: string, titleMatch: string, req: SearchRequest, query: SearchResult['query']): SearchResult => {
    const { where, params } = filterClauses({ ...req.filter, withDuplicates: true });
    // Copies are left out through the facet table's flag, so that a query without filters stays a scan of the match alone.
    const own = req.filter.withDuplicates ? '' : ' AND f.duplicate = 0';
    clearHits.run();
    // Two tiers: hits whose title holds the query (every word, or a whole theme term) come first, then the
    // rest; bm25 ranks within each (its scores are negative and small, so a TITLE_TIER offset keeps the tiers
    // apart). Within a tier title words weigh most, then title stems, then the body: bm25 weights per column.
    // CROSS JOIN keeps the full-text match as the outer loop: left to itself, the planner walked the facet
    // table and probed the match per row, twice as slow on a million articles.
    const fill =
      'INSERT INTO temp.search_hits SELECT s.rowid, bm25(articles_search, 8.0, 5.0, 1.5, 1.0) ' +
      `- CASE WHEN s.rowid IN (SELECT rowid FROM articles_search WHERE articles_search MATCH ?) THEN ${TITLE_TIER} ELSE 0 END, ` +
      'f.language, f.sources_json, f.countries_json, f.themes_json ' +
      'FROM articles_search s CROSS JOIN article_facets f ON f.rid = s.rowid' +
      (where.length ? ` JOIN articles a ON a.rowid = s.rowid WHERE articles_search MATCH ?${own} AND ${where.join(' AND ')}` : ` WHERE articles_search MATCH ?${own}`);
    db.prepare(fill).run(titleMatch, match, ...params);
    const facets = {
      themes: byCount(facetStatements.themes.all() as Array<{ k: string; n: number }>),
      languages: byCount(facetStatements.languages.all() as Array<{ k: string; n: number }>),
      sources: byCount(facetStatements.sources.all() as Array<{ k: string; n: number }>),
      countries: byCount(facetStatements.countries.all() as Array<{ k: string; n: number }>),
    };
    const items = (hitPage.all(req.limit, req.offset) as Row[]).map(toArticle);
    const total = hitCount.get() as number;
    clearHits.run();
    return { items, total, facets, query };
  });

  const guard = sqliteGuard('the SQLite store');

  const counts = (stmt: Database.Statement) => new Map((stmt.all() as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]));

  return {
    async ingestBatch(articles) {
      if (articles.length) guard('ingest', () => ingestTx.immediate(articles));
    },
    async upsertBatch(articles) {
      if (articles.length) guard('upsert', () => writeBatch(articles));
    },
    async setStories(assignments) {
      return assignments.length ? guard('set stories', () => storiesTx(assignments)) : 0;
    },
    async remove(ids) {
      if (ids.length) guard('delete', () => removeBatch(ids));
    },
    async get(id) {
      const row = guard('get', () => getOne.get(id) as Row | undefined);
      return row ? toArticle(row) : undefined;
    },
    async list(filter: ArticleFilter, page: PageRequest): Promise<Page<Article>> {
      const match = filter.q === undefined ? undefined : toSearchMatch(analyzeQuery(filter.q, synonyms));
      const { sql, params } = buildListQuery(filter, page, match);
      const rows = guard('list', () => db.prepare(sql).all(...params) as Row[]);
      const items = rows.slice(0, page.limit).map(toArticle);
      const last = items[items.length - 1];
      return rows.length > page.limit && last ? { items, nextCursor: cursorAfter(last, page.sort ?? 'published') } : { items };
    },
    async search(req: SearchRequest): Promise<SearchResult> {
      const query = analyzeQuery(req.q, synonyms, req.languages);
      const match = toSearchMatch(query);
      const titleMatch = toTitleMatch(query);
      if (!match || !titleMatch) return noHits(query);
      return guard('search', () => searchOnce(match, titleMatch, req, query));
    },
    async knownHashes(sourceId, ids) {
      const out = new Map<string, string>();
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        const chunk = ids.slice(i, i + ID_CHUNK);
        const rows = guard('knownHashes', () =>
          db
            .prepare(`SELECT article_id AS id, content_hash FROM article_sources WHERE source_id = ? AND article_id IN (${chunk.map(() => '?').join(',')})`)
            .all(sourceId, ...chunk) as Array<{ id: string; content_hash: string }>,
        );
        for (const r of rows) out.set(r.id, r.content_hash);
      }
      return out;
    },
    async scan(afterId, limit) {
      return guard('scan', () => (scanFrom.all(afterId ?? '', limit) as Row[]).map(toArticle));
    },
    async countBySource() {
      return guard('count', () => counts(bySource));
    },
    async countByTheme() {
      return guard('count', () => counts(byTheme));
    },
    async count(filter?: ArticleFilter) {
      if (!filter) return guard('count', () => countAll.get() as number);
      const { sql, params } = buildCountQuery(filter, filter.q === undefined ? undefined : toSearchMatch(analyzeQuery(filter.q, synonyms)));
      return guard('count', () => db.prepare(sql).pluck().get(...params) as number);
    },
    async checkIndex(): Promise<IndexCheck> {
      return guard('check', () => {
        const list = (sql: string) => (db.prepare(`${sql} LIMIT ${CHECK_LIST_MAX}`).pluck().all() as unknown[]).map(String);
        const count = (sql: string) => db.prepare(`SELECT COUNT(*) FROM (${sql})`).pluck().get() as number;
        const onlyStored = 'SELECT a.id FROM articles a WHERE a.rowid NOT IN (SELECT rowid FROM articles_search)';
        const onlyIndexed = "SELECT 'rowid ' || s.rowid FROM articles_search s WHERE s.rowid NOT IN (SELECT rowid FROM articles)";
        // The facet table is written with the article; a row missing or out of step means a write was cut short.
        const differing = 'SELECT a.id FROM articles a LEFT JOIN article_facets f ON f.rid = a.rowid WHERE f.rid IS NULL OR f.language <> a.language OR f.countries_json <> a.countries_json';
        return {
          stored: countAll.get() as number,
          indexed: db.prepare('SELECT COUNT(*) FROM articles_search').pluck().get() as number,
          onlyStored: list(onlyStored),
          onlyStoredCount: count(onlyStored),
          onlyIndexed: list(onlyIndexed),
          onlyIndexedCount: count(onlyIndexed),
          differing: list(differing),
          differingCount: count(differing),
        };
      });
    },
    async ping() {
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
