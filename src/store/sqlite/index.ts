import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../../model/article.js';
import { StoreError } from '../../errors.js';
import type { ArticleStore, Page, SearchRequest, SearchResult } from '../port.js';
import { cursorAfter, type ArticleFilter, type PageRequest } from '../filter.js';
import { MIGRATIONS } from './schema.js';
import { buildListQuery, filterClauses, toSearchMatch } from './query.js';
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
}

function toArticle(r: Row): Article {
  return {
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
  };
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

/** SQLite can bind at most 32,766 parameters; id lookups are chunked well below that. */
const ID_CHUNK = 500;

/**
 * The embedded ArticleStore: better-sqlite3 in WAL mode (readers never wait for the writer) with an
 * FTS5 index. `':memory:'` gives a private store for tests.
 */
export function createSqliteStore(file: string, opts: { synonyms?: SynonymIndex } = {}): ArticleStore {
  const synonyms = opts.synonyms ?? { byTerm: new Map() };
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    throw new StoreError(`cannot open SQLite store at ${file}: ${(err as Error).message}`, { cause: err });
  }

  const upsert = db.prepare(`
    INSERT INTO articles (id, source_id, url, title, summary, content_html, content_text, author, published_at, fetched_at,
      declared_language, content_hash, language, language_confidence, themes_json, regions_json, countries_json, country, region_hint, tag_version,
      document_type, deadline, departments_json)
    VALUES (@id, @sourceId, @url, @title, @summary, @contentHtml, @contentText, @author, @publishedAt, @fetchedAt,
      @declaredLanguage, @contentHash, @language, @languageConfidence, @themes, @regions, @countries, @country, @regionHint, @tagVersion,
      @documentType, @deadline, @departments)
    ON CONFLICT (id) DO UPDATE SET
      source_id = excluded.source_id, url = excluded.url, title = excluded.title, summary = excluded.summary,
      content_html = excluded.content_html, content_text = excluded.content_text, author = excluded.author,
      published_at = excluded.published_at, fetched_at = excluded.fetched_at, declared_language = excluded.declared_language,
      content_hash = excluded.content_hash, language = excluded.language, language_confidence = excluded.language_confidence,
      themes_json = excluded.themes_json, regions_json = excluded.regions_json, countries_json = excluded.countries_json,
      country = excluded.country, region_hint = excluded.region_hint, tag_version = excluded.tag_version,
      document_type = excluded.document_type, deadline = excluded.deadline, departments_json = excluded.departments_json`);
  const deleteThemes = db.prepare('DELETE FROM article_themes WHERE article_id = ?');
  const insertTheme = db.prepare('INSERT OR IGNORE INTO article_themes (theme_id, article_id) VALUES (?, ?)');
  const getOne = db.prepare('SELECT * FROM articles WHERE id = ?');
  const deleteOne = db.prepare('DELETE FROM articles WHERE id = ?');
  const scanFrom = db.prepare('SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?');
  const bySource = db.prepare('SELECT source_id AS k, COUNT(*) AS n FROM articles GROUP BY source_id');
  const byTheme = db.prepare('SELECT theme_id AS k, COUNT(*) AS n FROM article_themes GROUP BY theme_id');

  const rowidOf = db.prepare('SELECT rowid FROM articles WHERE id = ?').pluck();
  const deleteSearch = db.prepare('DELETE FROM articles_search WHERE rowid = ?');
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

  const writeBatch = db.transaction((articles: readonly Article[]) => {
    for (const a of articles) {
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
      });
      deleteThemes.run(a.id);
      for (const t of a.themes) insertTheme.run(t.id, a.id);
      indexForSearch(rowidOf.get(a.id), a.title, `${a.summary}\n${a.contentText}`, a.language);
    }
  });

  const removeBatch = db.transaction((ids: readonly string[]) => {
    for (const id of ids) {
      const rowid = rowidOf.get(id);
      if (rowid === undefined) continue;
      deleteSearch.run(rowid);
      deleteThemes.run(id);
      deleteOne.run(id);
    }
  });

  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new StoreError(`SQLite ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  };

  const counts = (stmt: Database.Statement) => new Map((stmt.all() as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]));

  return {
    async upsertBatch(articles) {
      if (articles.length) guard('upsert', () => writeBatch(articles));
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
      const empty = { themes: {}, languages: {}, sources: {}, countries: {} };
      if (!match) return { items: [], total: 0, facets: empty, query };
      const { where, params } = filterClauses(req.filter);
      // Title words weigh most, then title stems, then the body: bm25 weights per column of articles_search.
      const hits = `WITH hits AS (SELECT rowid AS rid, bm25(articles_search, 8.0, 5.0, 1.5, 1.0) AS rank FROM articles_search WHERE articles_search MATCH ?)`;
      const from = `FROM hits JOIN articles a ON a.rowid = hits.rid${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
      const all = [match, ...params];
      return guard('search', () => {
        const rows = db.prepare(`${hits} SELECT a.* ${from} ORDER BY hits.rank, a.published_at DESC, a.id LIMIT ? OFFSET ?`).all(...all, req.limit, req.offset) as Row[];
        const total = db.prepare(`${hits} SELECT COUNT(*) ${from}`).pluck().get(...all) as number;
        const facet = (select: string) =>
          Object.fromEntries((db.prepare(`${hits} SELECT ${select} AS k, COUNT(*) AS n ${from} GROUP BY k ORDER BY n DESC, k`).all(...all) as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]));
        const themes = Object.fromEntries(
          (
            db
              .prepare(`${hits} SELECT t.theme_id AS k, COUNT(*) AS n ${from.replace('JOIN articles a ON a.rowid = hits.rid', 'JOIN articles a ON a.rowid = hits.rid JOIN article_themes t ON t.article_id = a.id')} GROUP BY k ORDER BY n DESC, k`)
              .all(...all) as Array<{ k: string; n: number }>
          ).map((r) => [r.k, r.n]),
        );
        const countries = Object.fromEntries(
          (
            db
              .prepare(`${hits} SELECT c.value AS k, COUNT(*) AS n ${from.replace('JOIN articles a ON a.rowid = hits.rid', 'JOIN articles a ON a.rowid = hits.rid, json_each(a.countries_json) c')} GROUP BY k ORDER BY n DESC, k`)
              .all(...all) as Array<{ k: string; n: number }>
          ).map((r) => [r.k, r.n]),
        );
        return { items: rows.map(toArticle), total, facets: { themes, languages: facet('a.language'), sources: facet('a.source_id'), countries }, query };
      });
    },
    async knownHashes(ids) {
      const out = new Map<string, string>();
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        const chunk = ids.slice(i, i + ID_CHUNK);
        const rows = guard('knownHashes', () =>
          db.prepare(`SELECT id, content_hash FROM articles WHERE id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as Array<{ id: string; content_hash: string }>,
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
