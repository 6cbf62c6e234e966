// Schema migrations, applied in order at open; PRAGMA user_version records how many have run.
// Append new steps; never edit one that has shipped.
const V1 = `
-- Articles: one row per article id. Lists and filters read the columns; JSON columns hold the
-- tag details that are shown, never filtered on (filters use article_themes).
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY,
  source_id TEXT NOT NULL,
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_html TEXT NOT NULL,
  content_text TEXT NOT NULL,
  author TEXT,
  published_at TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  declared_language TEXT,
  content_hash TEXT NOT NULL,
  language TEXT NOT NULL,
  language_confidence REAL NOT NULL,
  themes_json TEXT NOT NULL,
  regions_json TEXT NOT NULL,
  countries_json TEXT NOT NULL,
  country TEXT,
  region_hint TEXT,
  tag_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_date ON articles (published_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS articles_source_date ON articles (source_id, published_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS articles_language_date ON articles (language, published_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS articles_country_date ON articles (country, published_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS article_themes (
  theme_id TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  PRIMARY KEY (theme_id, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_themes_article ON article_themes (article_id);

-- Full text over title, summary and body. remove_diacritics 2 folds å/ä/ö/é for matching.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
  title, summary, content_text,
  content = 'articles', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, summary, content_text) VALUES (new.rowid, new.title, new.summary, new.content_text);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, content_text) VALUES ('delete', old.rowid, old.title, old.summary, old.content_text);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, summary, content_text) VALUES ('delete', old.rowid, old.title, old.summary, old.content_text);
  INSERT INTO articles_fts (rowid, title, summary, content_text) VALUES (new.rowid, new.title, new.summary, new.content_text);
END;
`;

/** Consultations: document type, response deadline and issuing departments. */
const V2 = `
ALTER TABLE articles ADD COLUMN document_type TEXT;
ALTER TABLE articles ADD COLUMN deadline TEXT;
ALTER TABLE articles ADD COLUMN departments_json TEXT NOT NULL DEFAULT '[]';
CREATE INDEX IF NOT EXISTS articles_deadline ON articles (deadline, id) WHERE deadline IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_type_date ON articles (document_type, published_at DESC, id DESC);
`;

/**
 * Search over Regionradar's own analysis (src/search/analyze.ts) instead of SQLite's tokenizer:
 * folded words (title_f, body_f) and folded stems in the article's language (title_s, body_s), so
 * that "Tromso" meets "Tromsø" and "spesialiseringa" meets "spesialisering". Rows are written by the
 * store next to each article (rowid = articles.rowid); existing articles are indexed at open.
 */
const V3 = `
DROP TRIGGER IF EXISTS articles_ai;
DROP TRIGGER IF EXISTS articles_ad;
DROP TRIGGER IF EXISTS articles_au;
DROP TABLE IF EXISTS articles_fts;
CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5 (
  title_f, title_s, body_f, body_s,
  tokenize = 'unicode61 remove_diacritics 0'
);
`;

/**
 * The fields search facets count, in a narrow table keyed by the article's rowid. Counting facets over
 * a hundred thousand hits through the articles table reads each wide row (language and countries sit
 * after the article's text); this table holds a page's worth of articles per page. Written with the article.
 */
const V4 = `
CREATE TABLE IF NOT EXISTS article_facets (
  rid INTEGER PRIMARY KEY,
  language TEXT NOT NULL,
  source_id TEXT NOT NULL,
  countries_json TEXT NOT NULL,
  themes_json TEXT NOT NULL
);
INSERT OR REPLACE INTO article_facets (rid, language, source_id, countries_json, themes_json)
  SELECT a.rowid, a.language, a.source_id, a.countries_json,
    (SELECT json_group_array(t.theme_id) FROM article_themes t WHERE t.article_id = a.id)
  FROM articles a;
`;

/**
 * Every source that carried an article (ids are the canonical URL's, shared by all sources): the
 * version each last delivered, so ingestion dedupes per source and `?source=` and per-source counts
 * find an article under each. sources_json on the row is the same list for reading; the table is its
 * index. Articles stored before this stand for their own source. Also: the publisher flag of the
 * stored version, and a source's implausible publication date kept beside the fetch time.
 */
const V5 = `
ALTER TABLE articles ADD COLUMN from_publisher INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN published_original TEXT;
ALTER TABLE articles ADD COLUMN sources_json TEXT NOT NULL DEFAULT '[]';
CREATE TABLE IF NOT EXISTS article_sources (
  source_id TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  content_hash TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (source_id, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_sources_article ON article_sources (article_id);
INSERT OR IGNORE INTO article_sources (source_id, article_id, content_hash, fetched_at)
  SELECT source_id, id, content_hash, fetched_at FROM articles;
UPDATE articles SET sources_json = json_array(json_object('sourceId', source_id, 'contentHash', content_hash, 'fetchedAt', fetched_at, 'fromPublisher', json('false')));
ALTER TABLE article_facets ADD COLUMN sources_json TEXT NOT NULL DEFAULT '[]';
UPDATE article_facets SET sources_json = json_array(source_id);
`;

/**
 * When each article was first stored, for digests, alerts and webhooks ("first stored since the last
 * digest"). Articles stored before this column existed count from their first sighting's fetch. The
 * index holds the publication date too, so a window's page is sorted without reading its articles.
 */
const V6 = `
ALTER TABLE articles ADD COLUMN stored_at TEXT;
UPDATE articles SET stored_at = COALESCE((SELECT MIN(s.fetched_at) FROM article_sources s WHERE s.article_id = articles.id), fetched_at);
CREATE INDEX IF NOT EXISTS articles_stored ON articles (stored_at, published_at, id);
`;

/**
 * Documents an article links to (title, pages, their text: searched with the body) and, for articles
 * that came by e-mail, the message's SPF/DKIM/DMARC verdicts. JSON: read with the article, never filtered on.
 */
const V7 = `
ALTER TABLE articles ADD COLUMN documents_json TEXT;
ALTER TABLE articles ADD COLUMN mail_auth_json TEXT;
`;

/**
 * Stories and near-duplicates (src/jobs/stories.ts): the story an article belongs to, and for a copy of an
 * earlier article that article's id. Lists leave copies out; search reads the flag from the facet table,
 * which it scans anyway, so a ranked query needs no join with the articles for it.
 */
const V8 = `
ALTER TABLE articles ADD COLUMN story TEXT;
ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
CREATE INDEX IF NOT EXISTS articles_story ON articles (story) WHERE story IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
ALTER TABLE article_facets ADD COLUMN duplicate INTEGER NOT NULL DEFAULT 0;
`;

export const MIGRATIONS: readonly string[] = [V1, V2, V3, V4, V5, V6, V7, V8];
