import { dateBounds, type ArticleFilter, type DateField, type PageRequest } from '../filter.js';
import type { AnalyzedQuery } from '../../search/analyze.js';

const DATE_COLUMNS: Record<DateField, string> = { published: 'a.published_at', deadline: 'a.deadline', stored: 'a.stored_at' };

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** Numbered placeholders: each value is bound, never spliced into the SQL. */
export class Params {
  readonly values: unknown[] = [];
  /** Binds a value and returns its placeholder, with a cast when given (`$3::text[]`). */
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/**
 * The weights of the search vector (schema.ts): A folded title words, B title stems, C folded body
 * words, D body stems. A tsquery operand restricted to weights matches in those fields only, so one
 * vector and one GIN index answer what SQLite asks of four FTS5 columns.
 */
const FOLDED = 'AC';
const STEMS = 'BD';
const TITLE_FOLDED = 'A';
const TITLE_STEMS = 'B';

/**
 * ts_rank weights in its order {D, C, B, A}: the SQLite store's bm25 column weights (title words 8,
 * title stems 5, body words 1.5, body stems 1) scaled into ts_rank's 0–1 range.
 */
export const RANK_WEIGHTS = '{0.125, 0.1875, 0.625, 1.0}';

/**
 * One term as a tsquery operand: quoted, so that whatever it holds is a lexeme and never an operator
 * (inside quotes only ' and \ are special, and both are escaped). to_tsquery runs the quoted text
 * through the `simple` configuration's parser as to_tsvector ran the indexed text, so a term the parser
 * splits ("covid-19") becomes the same sequence of lexemes on both sides.
 */
export const lexeme = (term: string, weights: string, prefix = false): string =>
  `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${prefix ? '*' : ''}${weights}`;

/** A theme phrase of stems within one field (a phrase never runs from the title on into the body). */
const phrase = (stems: string[], weights: string): string => {
  const parts = stems.map((s) => lexeme(s, weights));
  return parts.length > 1 ? `(${parts.join(' <-> ')})` : parts[0]!;
};

/**
 * An analysed query → tsquery text for to_tsquery('simple', …): every word must occur, as a prefix of a
 * folded word or as one of its stems; or the query is a theme term and one of that theme's terms in any
 * language occurs as a phrase of stems. The same match as the SQLite store's toSearchMatch.
 */
export function toTsQuery(q: AnalyzedQuery): string | undefined {
  if (!q.words.length) return undefined;
  const each = q.words.map((w) => `(${[lexeme(w.folded, FOLDED, true), ...w.stems.map((s) => lexeme(s, STEMS))].join(' | ')})`);
  const synonyms = q.synonyms.filter((p) => p.length).map((p) => `${phrase(p, TITLE_STEMS)} | ${phrase(p, 'D')}`);
  return [`(${each.join(' & ')})`, ...synonyms].join(' | ');
}

/**
 * The same query over the title only: every query word in the title, or a whole theme term there.
 * Search ranks these hits first (the SQLite store's title tier): ts_rank alone scores every expansion
 * term as highly as the query's own words, and a long body full of them would win.
 */
export function toTitleTsQuery(q: AnalyzedQuery): string | undefined {
  if (!q.words.length) return undefined;
  const each = q.words.map((w) => `(${[lexeme(w.folded, TITLE_FOLDED, true), ...w.stems.map((s) => lexeme(s, TITLE_STEMS))].join(' | ')})`);
  const synonyms = q.synonyms.filter((p) => p.length).map((p) => phrase(p, TITLE_STEMS));
  return [`(${each.join(' & ')})`, ...synonyms].join(' | ');
}

/**
 * md5 over the text a row's search vector is built from, in the row's own columns (`alias` is the
 * table or record alias). Written with the vector; checkIndex recomputes it to find rows whose text
 * changed without their vector.
 */
export const searchDigest = (alias: string): string =>
  `md5(concat_ws(chr(31), ${alias}.language, ${alias}.title, ${alias}.summary, ${alias}.content_text, COALESCE(${alias}.documents::text, '')))`;

/** The search vector from the analysed texts bound as $title_f, $title_s, $body_f, $body_s (see the weights above). */
export const searchVector = (titleF: string, titleS: string, bodyF: string, bodyS: string): string =>
  `setweight(to_tsvector('simple', ${titleF}), 'A') || setweight(to_tsvector('simple', ${titleS}), 'B') || ` +
  `setweight(to_tsvector('simple', ${bodyF}), 'C') || setweight(to_tsvector('simple', ${bodyS}), 'D')`;

/**
 * The WHERE clauses of a filter over `articles a`, without the full-text query. Column names are
 * constants; values are bound through `p`.
 */
export function filterClauses(filter: ArticleFilter, p: Params): string[] {
  const where: string[] = [];
  // Array columns with GIN indexes: an article matches when any of its values is asked for.
  if (filter.themes?.length) where.push(`a.theme_ids && ${p.add(filter.themes, 'text[]')}`);
  if (filter.countries?.length) where.push(`a.countries && ${p.add(filter.countries, 'text[]')}`);
  if (filter.regions?.length) where.push(`a.region_codes && ${p.add(filter.regions, 'text[]')}`);
  // Every source that carried the article, not only the one whose version is stored.
  if (filter.sources?.length) where.push(`a.id IN (SELECT s.article_id FROM article_sources s WHERE s.source_id = ANY(${p.add(filter.sources, 'text[]')}))`);
  const lists: Array<[string, string[] | undefined]> = [
    ['a.language', filter.languages],
    ['a.document_type', filter.types],
    ['a.story', filter.stories],
  ];
  for (const [column, values] of lists) if (values?.length) where.push(`${column} = ANY(${p.add(values, 'text[]')})`);
  if (!filter.withDuplicates) where.push('a.duplicate_of IS NULL');
  // Dates are ISO-8601 UTC text in the C collation, which compares as the instants they name.
  for (const [field, op, value] of dateBounds(filter)) where.push(`${DATE_COLUMNS[field]} ${op} ${p.add(value, 'text')}`);
  return where;
}

/** The filter's clauses with its full-text query (`match`: tsquery text from toTsQuery) as one more. */
function listClauses(filter: ArticleFilter, match: string | undefined, p: Params): string[] {
  const where = filterClauses(filter, p);
  // A query with no words (only punctuation) matches nothing rather than everything.
  if (filter.q !== undefined) where.push(match ? `a.search @@ to_tsquery('simple', ${p.add(match, 'text')})` : 'false');
  return where;
}

const whereSql = (where: string[]) => (where.length ? ` WHERE ${where.join(' AND ')}` : '');

/** How many articles a filter matches. */
export function buildCountQuery(filter: ArticleFilter, match?: string): SqlQuery {
  const p = new Params();
  const where = listClauses(filter, match, p);
  return { sql: `SELECT COUNT(*)::int AS n FROM articles a${whereSql(where)}`, params: p.values };
}

/**
 * ArticleFilter + cursor → one SELECT of a page of rows (one more than the limit, to tell whether another
 * page follows). Keyset pagination on (published_at DESC, id DESC) or (deadline ASC, id ASC), each
 * served by its index; the row comparison is what the index is ordered by.
 */
export function buildListQuery(filter: ArticleFilter, page: PageRequest, columns: string, match?: string): SqlQuery {
  const p = new Params();
  const where = listClauses(filter, match, p);
  const byDeadline = page.sort === 'deadline';
  if (byDeadline) where.push('a.deadline IS NOT NULL');
  if (page.cursor) {
    const key = p.add(page.cursor.key, 'text');
    const id = p.add(page.cursor.id, 'text');
    where.push(byDeadline ? `(a.deadline, a.id) > (${key}, ${id})` : `(a.published_at, a.id) < (${key}, ${id})`);
  }
  const order = byDeadline ? 'a.deadline ASC, a.id ASC' : 'a.published_at DESC, a.id DESC';
  return { sql: `SELECT ${columns} FROM articles a${whereSql(where)} ORDER BY ${order} LIMIT ${p.add(page.limit + 1, 'int')}`, params: p.values };
}

/**
 * Ranked search in one statement, so the page, the total and the facets come from one snapshot: the
 * match and its filters run once into `hits` (materialized), which the page and every facet count read.
 * Order: hits whose title holds the query first, then ts_rank (length-normalized), newest first on ties.
 * Every row carries the totals; a page with no articles is one row whose article columns are NULL.
 */
export function buildSearchQuery(req: { filter: ArticleFilter; limit: number; offset: number }, match: string, titleMatch: string, columns: string): SqlQuery {
  const p = new Params();
  const m = `to_tsquery('simple', ${p.add(match, 'text')})`;
  const t = `to_tsquery('simple', ${p.add(titleMatch, 'text')})`;
  const where = [`a.search @@ ${m}`, ...filterClauses(req.filter, p)];
  const facet = (select: string, from: string) => `(SELECT COALESCE(jsonb_agg(jsonb_build_array(k, n)), '[]') FROM (SELECT ${select} FROM ${from} GROUP BY 1) x)`;
  const sql = `
    WITH hits AS MATERIALIZED (
      SELECT a.id, a.published_at, a.language, a.countries, a.theme_ids,
        a.search @@ ${t} AS in_title,
        ts_rank(${p.add(RANK_WEIGHTS, 'float4[]')}, a.search, ${m}, 1) AS score
      FROM articles a${whereSql(where)}
    ),
    page AS (
      SELECT id, in_title, score, published_at FROM hits
      ORDER BY in_title DESC, score DESC, published_at DESC, id DESC
      LIMIT ${p.add(req.limit, 'int')} OFFSET ${p.add(req.offset, 'int')}
    ),
    stats AS (
      SELECT (SELECT COUNT(*)::int FROM hits) AS hit_total,
        ${facet('language AS k, COUNT(*)::int AS n', 'hits')} AS facet_languages,
        ${facet('t AS k, COUNT(*)::int AS n', 'hits, unnest(hits.theme_ids) t')} AS facet_themes,
        ${facet('c AS k, COUNT(DISTINCT hits.id)::int AS n', 'hits, unnest(hits.countries) c')} AS facet_countries,
        ${facet('s.source_id AS k, COUNT(*)::int AS n', 'hits JOIN article_sources s ON s.article_id = hits.id')} AS facet_sources
    )
    SELECT stats.*, ${columns}
    FROM stats LEFT JOIN (page JOIN articles a ON a.id = page.id) ON true
    ORDER BY page.in_title DESC, page.score DESC, page.published_at DESC, page.id DESC`;
  return { sql, params: p.values };
}
