/**
 * Schema migrations of the PostgreSQL store, applied in order at open (migrate.ts); the
 * schema_migrations table records each version that has run. Append new steps; never edit one that
 * has shipped.
 *
 * Dates are ISO-8601 UTC text, as in the SQLite store, not timestamptz: an article comes back byte for
 * byte as it was written (feeds' ETags hash them), and every writer stores `toISOString()` forms,
 * which compare and sort as the instants they name. Ids and dates use the "C" collation, so that
 * ordering, keyset cursors and `scan` follow code-unit order whatever the database's locale is.
 */
const V1 = `
CREATE TABLE articles (
  id text COLLATE "C" PRIMARY KEY,
  source_id text NOT NULL,
  url text NOT NULL,
  title text NOT NULL,
  summary text NOT NULL,
  content_html text NOT NULL,
  content_text text NOT NULL,
  author text,
  published_at text COLLATE "C" NOT NULL,
  published_original text,
  fetched_at text NOT NULL,
  declared_language text,
  content_hash text NOT NULL,
  language text NOT NULL,
  language_confidence double precision NOT NULL,
  -- Tag details are shown, never filtered on; the id arrays beside them are what filters and facets read.
  themes jsonb NOT NULL,
  theme_ids text[] NOT NULL,
  regions jsonb NOT NULL,
  region_codes text[] NOT NULL,
  countries text[] NOT NULL,
  country text,
  region_hint text,
  tag_version integer NOT NULL,
  document_type text,
  deadline text COLLATE "C",
  departments text[],
  from_publisher boolean NOT NULL,
  -- Every source that carried the article, for reading; article_sources is its index.
  sources jsonb NOT NULL,
  stored_at text COLLATE "C" NOT NULL,
  documents jsonb,
  mail_auth jsonb,
  story text,
  duplicate_of text,
  -- Search over Regionradar's own analysis (src/search/analyze.ts), four fields told apart by weight:
  -- A folded title words, B title stems, C folded body words, D body stems (query.ts relies on this).
  search tsvector,
  -- md5 of the text the search vector was built from (searchDigest in query.ts), for checkIndex.
  search_digest text
);
CREATE INDEX articles_date ON articles (published_at DESC, id DESC);
CREATE INDEX articles_deadline ON articles (deadline, id) WHERE deadline IS NOT NULL;
CREATE INDEX articles_stored ON articles (stored_at, published_at, id);
CREATE INDEX articles_language_date ON articles (language, published_at DESC, id DESC);
CREATE INDEX articles_type_date ON articles (document_type, published_at DESC, id DESC);
CREATE INDEX articles_themes ON articles USING gin (theme_ids);
CREATE INDEX articles_countries ON articles USING gin (countries);
CREATE INDEX articles_regions ON articles USING gin (region_codes);
CREATE INDEX articles_search ON articles USING gin (search);
CREATE INDEX articles_story ON articles (story) WHERE story IS NOT NULL;
CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
-- Rows without a search vector (written by hand or by a migration) are found without a scan and indexed at open.
CREATE INDEX articles_unindexed ON articles (id) WHERE search IS NULL;

-- Every source that carried an article, with the version it last delivered: ingestion dedupes per source,
-- ?source= and per-source counts find an article under each.
CREATE TABLE article_sources (
  source_id text NOT NULL,
  article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  content_hash text NOT NULL,
  fetched_at text NOT NULL,
  PRIMARY KEY (source_id, article_id)
);
CREATE INDEX article_sources_article ON article_sources (article_id);
`;

/**
 * The search index's outbox (src/store/postgres/outbox.ts): ids of articles whose records changed and
 * whose Meilisearch documents may not have followed yet. `seq` is renewed by every enqueue, so that a
 * sync that read an article before a newer write removes only the entry it saw, never the newer one.
 */
const V2 = `
CREATE SEQUENCE index_outbox_seq;
CREATE TABLE index_outbox (
  id text COLLATE "C" PRIMARY KEY,
  seq bigint NOT NULL DEFAULT nextval('index_outbox_seq'),
  queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX index_outbox_queued ON index_outbox (queued_at, id);
`;

export const MIGRATIONS: readonly string[] = [V1, V2];
