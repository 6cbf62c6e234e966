import { z } from 'zod';
import { LANGUAGE_CODES } from '../sources/schema.js';
import { DOCUMENT_TYPES } from '../pipeline/doctype/index.js';

/** Filters shared by the article list, the output feeds and both store adapters. Values within one field are alternatives (OR); fields combine with AND. */
export interface ArticleFilter {
  themes?: string[];
  languages?: string[];
  sources?: string[];
  /** Countries of the article: its source's and those of the regions it names (ISO 3166-1). */
  countries?: string[];
  /** Regions the article names (ISO 3166-2). */
  regions?: string[];
  /** ISO-8601; inclusive. */
  since?: string;
  /** ISO-8601; exclusive. */
  until?: string;
  /** Full-text query. */
  q?: string;
  /** Document types, e.g. consultation. */
  types?: string[];
  /** Response deadline range, ISO-8601: from inclusive, to exclusive. */
  deadlineFrom?: string;
  deadlineTo?: string;
  /**
   * `open`: documents whose response deadline has not passed at the time of the query (the deadline is
   * now or later), so "what can still be answered" needs no date typed by hand.
   */
  status?: 'open';
  /** First stored by this service after this time (ISO-8601, exclusive): what digests, alerts and webhooks send. */
  storedFrom?: string;
  /** First stored at or before this time (ISO-8601, inclusive). */
  storedTo?: string;
  /** Articles of these stories (ids as `Article.story` holds them). */
  stories?: string[];
  /**
   * Near-duplicates (articles with `duplicateOf`) are left out of every list, search and count, since the
   * article they copy stands for them; maintenance (the stories pass itself) asks for them with this.
   */
  withDuplicates?: boolean;
}

/** The dated fields a filter bounds, by name; each adapter maps them to its own columns or attributes. */
export type DateField = 'published' | 'deadline' | 'stored';

/**
 * A filter's date bounds as (field, operator, ISO-8601 value), in one list for every adapter: published
 * since (inclusive) and until (exclusive), the deadline window, the stored window (after `storedFrom`, up
 * to and including `storedTo`), and `status=open` as a deadline now or later.
 */
export function dateBounds(filter: ArticleFilter): Array<[DateField, '>=' | '<' | '>' | '<=', string]> {
  const bounds: Array<[DateField, '>=' | '<' | '>' | '<=', string | undefined]> = [
    ['published', '>=', filter.since],
    ['published', '<', filter.until],
    ['deadline', '>=', filter.deadlineFrom],
    ['deadline', '<', filter.deadlineTo],
    ['stored', '>', filter.storedFrom],
    ['stored', '<=', filter.storedTo],
    ['deadline', '>=', filter.status === 'open' ? new Date().toISOString() : undefined],
  ];
  return bounds.filter((b): b is [DateField, '>=' | '<' | '>' | '<=', string] => b[2] !== undefined);
}

/**
 * `published`: newest first. `deadline`: soonest response deadline first, only documents that have one
 * (what a policy officer must answer next).
 */
export type SortOrder = 'published' | 'deadline';

/** Position after the last article of a page: its sort key (publishedAt or deadline) and id, and the order it belongs to. */
export interface Cursor {
  sort: SortOrder;
  key: string;
  id: string;
}

export interface PageRequest {
  limit: number;
  cursor?: Cursor;
  sort?: SortOrder;
}

export function cursorAfter(a: { id: string; publishedAt: string; deadline?: string }, sort: SortOrder): Cursor {
  return { sort, key: sort === 'deadline' ? a.deadline! : a.publishedAt, id: a.id };
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) && v.length === 3 && (v[0] === 'published' || v[0] === 'deadline') &&
      typeof v[1] === 'string' && typeof v[2] === 'string' && !Number.isNaN(Date.parse(v[1]))
    ) {
      return { sort: v[0], key: v[1], id: v[2] };
    }
  } catch {
    // fall through: not a cursor we issued
  }
  return undefined;
}

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item).min(1, 'must not be empty').max(50, 'at most 50 values'));

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case id');
const DATE_MESSAGE = 'must be an ISO-8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z';
// The regex is the part JSON Schema can state (a `pattern` in /api/openapi.json); the refine the rest.
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, DATE_MESSAGE)
  .refine((s) => !Number.isNaN(Date.parse(s)), DATE_MESSAGE)
  .transform((s) => new Date(s).toISOString());

/**
 * Filter parameters shared by /api/articles, /feeds/* and /api/search: names as users type them, validated
 * one by one. Each schema's description is the parameter's in /api/openapi.json.
 */
export const filterParams = {
  theme: list(slug).optional().describe('Theme ids (GET /api/themes lists them): articles with any of them'),
  lang: list(z.enum([...LANGUAGE_CODES, 'und'] as [string, ...string[]])).optional().describe('Article languages, ISO 639-3 (und: undetermined); any of them'),
  source: list(slug).optional().describe('Source ids (GET /api/sources lists them): articles any of these sources carried'),
  country: list(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NO'))
    .optional()
    .describe("ISO 3166-1 alpha-2 codes: the source's country or that of a region the article names"),
  region: list(z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as NO-18 or SE-AC'))
    .optional()
    .describe('ISO 3166-2 codes of regions the article names, e.g. NO-18, SE-AC'),
  since: date.optional().describe('Published at or after this ISO-8601 date or time'),
  until: date.optional().describe('Published before this ISO-8601 date or time'),
  type: list(z.enum(DOCUMENT_TYPES)).optional().describe('Document types'),
  deadline_from: date.optional().describe('Response deadline at or after this ISO-8601 date or time'),
  deadline_to: date.optional().describe('Response deadline before this ISO-8601 date or time'),
  status: z.enum(['open']).optional().describe('open: documents whose response deadline has not passed'),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(20)
    .describe('Articles per page'),
};

/** Every query parameter of /api/articles and /feeds/*, one schema each (what articleQuerySchema validates, and what /api/openapi.json states). */
export const articleQueryParams = {
  ...filterParams,
  q: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters').optional().describe('Full-text query'),
  sort: z.enum(['published', 'deadline']).default('published').describe('published: newest first; deadline: soonest response deadline first, only documents that have one'),
  cursor: z
    .string()
    .transform((s, ctx) => decodeCursor(s) ?? (ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued' }), z.NEVER))
    .optional()
    .describe('nextCursor of the previous page'),
};

/** Query parameters of /api/articles and /feeds/*. */
export const articleQuerySchema = z
  .object(articleQueryParams)
  .strict()
  .superRefine((q, ctx) => {
    if (q.cursor && q.cursor.sort !== q.sort) ctx.addIssue({ code: 'custom', path: ['cursor'], message: `belongs to sort=${q.cursor.sort}, not sort=${q.sort}` });
  });

export type ArticleQuery = z.output<typeof articleQuerySchema>;

type FilterParams = Partial<{ [K in keyof typeof filterParams]: z.output<(typeof filterParams)[K]> }> & { q?: string };

export function toFilter(q: FilterParams): ArticleFilter {
  return {
    themes: q.theme,
    languages: q.lang,
    sources: q.source,
    countries: q.country,
    regions: q.region,
    since: q.since,
    until: q.until,
    q: q.q,
    types: q.type,
    deadlineFrom: q.deadline_from,
    deadlineTo: q.deadline_to,
    status: q.status,
  };
}
