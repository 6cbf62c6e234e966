import type { ArticleFilter, PageRequest } from '../filter.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * A user's words → an FTS5 query: every word must occur, the last one as a prefix (search-as-you-type).
 * Words are quoted, so FTS5 operators typed by a user are matched as text, not interpreted.
 */
export function toFtsQuery(q: string): string | undefined {
  const terms = q.match(/[\p{L}\p{N}]+/gu);
  if (!terms) return undefined;
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** ArticleFilter + cursor → one SELECT of article rows; the one place SQL for lists is assembled. */
export function buildListQuery(filter: ArticleFilter, page: PageRequest): SqlQuery {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.themes?.length) {
    where.push(`a.id IN (SELECT article_id FROM article_themes WHERE theme_id IN (${placeholders(filter.themes.length)}))`);
    params.push(...filter.themes);
  }
  // Column IN (…) for list filters; column >= / < for ranges. Column names are constants, values are bound.
  const lists: Array<[string, string[] | undefined]> = [
    ['a.language', filter.languages],
    ['a.source_id', filter.sources],
    ['a.document_type', filter.types],
  ];
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
  const ranges: Array<[string, string, string | undefined]> = [
    ['a.published_at', '>=', filter.since],
    ['a.published_at', '<', filter.until],
    ['a.deadline', '>=', filter.deadlineFrom],
    ['a.deadline', '<', filter.deadlineTo],
  ];
  for (const [column, op, value] of ranges) {
    if (value === undefined) continue;
    where.push(`${column} ${op} ?`);
    params.push(value);
  }
  if (filter.q !== undefined) {
    const fts = toFtsQuery(filter.q);
    // A query with no words (only punctuation) matches nothing rather than everything.
    where.push(fts ? 'a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)' : '0');
    if (fts) params.push(fts);
  }
  const byDeadline = page.sort === 'deadline';
  if (byDeadline) where.push('a.deadline IS NOT NULL');
  if (page.cursor) {
    where.push(byDeadline ? '(a.deadline > ? OR (a.deadline = ? AND a.id > ?))' : '(a.published_at < ? OR (a.published_at = ? AND a.id < ?))');
    params.push(page.cursor.key, page.cursor.key, page.cursor.id);
  }
  const order = byDeadline ? 'a.deadline ASC, a.id ASC' : 'a.published_at DESC, a.id DESC';
  const sql = `SELECT a.* FROM articles a${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
  params.push(page.limit + 1);
  return { sql, params };
}
