import { dateBounds, type ArticleFilter, type DateField, type PageRequest } from '../filter.js';
import type { AnalyzedQuery } from '../../search/analyze.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * An analysed query → an FTS5 MATCH expression over the search table: every word must occur, as a
 * prefix of a folded word or as one of its stems; or the query is a theme term and any of that
 * theme's terms in any language occurs as a phrase of stems. Terms are quoted, so FTS5 operators a
 * user types are matched as text, never interpreted.
 */
export function toSearchMatch(q: AnalyzedQuery): string | undefined {
  if (!q.words.length) return undefined;
  const each = q.words.map((w) => {
    const stems = w.stems.map(quote).join(' OR ');
    return `({title_f body_f} : ${quote(w.folded)}* OR {title_s body_s} : (${stems}))`;
  });
  const all = `(${each.join(' AND ')})`;
  const synonyms = q.synonyms.map((p) => `{title_s body_s} : ${quote(p.join(' '))}`);
  return [all, ...synonyms].join(' OR ');
}

/**
 * The same query over the title only: every query word in the title, or a whole theme term there.
 * Search ranks these hits first, so that "Veileder i smart spesialisering" outranks a body that
 * repeats the theme's terms in other languages — bm25 alone scores every expansion term as highly
 * as the query's own words, and a long body full of them won.
 */
export function toTitleMatch(q: AnalyzedQuery): string | undefined {
  if (!q.words.length) return undefined;
  const each = q.words.map((w) => `({title_f} : ${quote(w.folded)}* OR {title_s} : (${w.stems.map(quote).join(' OR ')}))`);
  const synonyms = q.synonyms.map((p) => `{title_s} : ${quote(p.join(' '))}`);
  return [`(${each.join(' AND ')})`, ...synonyms].join(' OR ');
}

const DATE_COLUMNS: Record<DateField, string> = { published: 'a.published_at', deadline: 'a.deadline', stored: 'a.stored_at' };

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The WHERE clauses of a filter over `articles a`, without the full-text query. Column names are
 * constants; values are bound.
 */
export function filterClauses(filter: ArticleFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.themes?.length) {
    // Correlated, so SQLite probes the (theme_id, article_id) key per candidate row while it walks a date
    // index, instead of building the set of every article of the theme (a fifth of the store) per request.
    where.push(`EXISTS (SELECT 1 FROM article_themes t WHERE t.article_id = a.id AND t.theme_id IN (${placeholders(filter.themes.length)}))`);
    params.push(...filter.themes);
  }
  if (filter.sources?.length) {
    // Every source that carried the article, not only the one whose version is stored.
    where.push(`a.id IN (SELECT s.article_id FROM article_sources s WHERE s.source_id IN (${placeholders(filter.sources.length)}))`);
    params.push(...filter.sources);
  }
  const lists: Array<[string, string[] | undefined]> = [
    ['a.language', filter.languages],
    ['a.document_type', filter.types],
    ['a.story', filter.stories],
  ];
  if (!filter.withDuplicates) where.push('a.duplicate_of IS NULL');
  for (const [column, values] of lists) {
    if (!values?.length) continue;
    where.push(`${column} IN (${placeholders(values.length)})`);
    params.push(...values);
  }
  // JSON list columns: an article matches when any of its countries / regions is asked for.
  if (filter.countries?.length) {
    where.push(`EXISTS (SELECT 1 FROM json_each(a.countries_json) WHERE value IN (${placeholders(filter.countries.length)}))`);
    params.push(...filter.countries);
  }
  if (filter.regions?.length) {
    where.push(`EXISTS (SELECT 1 FROM json_each(a.regions_json) WHERE json_extract(value, '$.code') IN (${placeholders(filter.regions.length)}))`);
    params.push(...filter.regions);
  }
  // Dates are stored as ISO-8601 UTC strings, which compare as the instants they name.
  for (const [field, op, value] of dateBounds(filter)) {
    where.push(`${DATE_COLUMNS[field]} ${op} ?`);
    params.push(value);
  }
  return { where, params };
}

/** The filter's clauses with its full-text query (`match`, analysed) as one more. */
function listClauses(filter: ArticleFilter, match: string | undefined) {
  const { where, params } = filterClauses(filter);
  if (filter.q !== undefined) {
    // A query with no words (only punctuation) matches nothing rather than everything.
    where.push(match ? 'a.rowid IN (SELECT rowid FROM articles_search WHERE articles_search MATCH ?)' : '0');
    if (match) params.push(match);
  }
  return { where, params };
}

/** How many articles a filter matches. */
export function buildCountQuery(filter: ArticleFilter, match?: string): SqlQuery {
  const { where, params } = listClauses(filter, match);
  return { sql: `SELECT COUNT(*) FROM articles a${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params };
}

/**
 * ArticleFilter + cursor → one SELECT of article rows; `match` is the filter's full-text query, analysed.
 * The page is chosen by rowid first and its rows read after: when the order needs a sort (a filter on
 * the store time walks that index, not the date's), only the sort keys of the candidates are sorted,
 * not every candidate's whole text.
 */
export function buildListQuery(filter: ArticleFilter, page: PageRequest, match?: string): SqlQuery {
  const { where, params } = listClauses(filter, match);
  const byDeadline = page.sort === 'deadline';
  if (byDeadline) where.push('a.deadline IS NOT NULL');
  if (page.cursor) {
    where.push(byDeadline ? '(a.deadline > ? OR (a.deadline = ? AND a.id > ?))' : '(a.published_at < ? OR (a.published_at = ? AND a.id < ?))');
    params.push(page.cursor.key, page.cursor.key, page.cursor.id);
  }
  const order = byDeadline ? 'a.deadline ASC, a.id ASC' : 'a.published_at DESC, a.id DESC';
  const chosen = `SELECT a.rowid FROM articles a${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
  const sql = `SELECT a.* FROM articles a WHERE a.rowid IN (${chosen}) ORDER BY ${order}`;
  params.push(page.limit + 1);
  return { sql, params };
}
