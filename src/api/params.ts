import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { sourceSchema } from '../model/source.js';
import { articleQueryParams, filterParams } from '../store/filter.js';
import { MAX_SEARCH_HITS } from '../store/port.js';
import type { ApiDeps } from './deps.js';

/**
 * Throws ValidationError unless every parameter of the query string is valid percent-encoding (RFC 3986
 * §2.1) of UTF-8. URLSearchParams decodes "%E0%A4%A" or "%zz" leniently into other characters, so a
 * mistyped query would be searched as something the user never asked for.
 */
function checkPercentEncoding(search: string): void {
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part.includes('%')) continue;
    const eq = part.indexOf('=');
    const [key, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    let name: string;
    try {
      name = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      throw new ValidationError('(query)', `parameter name "${key}" is not valid percent-encoded UTF-8`);
    }
    try {
      decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      throw new ValidationError(name, `"${value}" is not valid percent-encoded UTF-8`);
    }
  }
}

/**
 * Validates query parameters against a schema, throwing ValidationError naming the first parameter
 * at fault (and, for a comma list, the value at fault). Repeated parameters (?lang=nob&lang=nno) are
 * joined as a comma list.
 */
export function parseQuery<S extends z.ZodType>(schema: S, url: string): z.output<S> {
  const parsed = new URL(url);
  checkPercentEncoding(parsed.search);
  const params = parsed.searchParams;
  const raw: Record<string, string> = {};
  for (const key of new Set(params.keys())) raw[key] = params.getAll(key).join(',');
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = (issue as { keys: string[] }).keys[0]!;
    throw new ValidationError(key, 'unknown parameter');
  }
  const parameter = String(issue.path[0] ?? '(query)');
  // A list item's issue has its index as the second path element: name the value the user typed.
  const item = typeof issue.path[1] === 'number' ? raw[parameter]?.split(',').map((v) => v.trim()).filter(Boolean)[issue.path[1]] : raw[parameter];
  // Quoted so that an empty or space-padded value shows; cut so that a 200-character query does not fill the answer.
  const shown = item !== undefined && item.length > 80 ? `${item.slice(0, 80)}…` : item;
  throw new ValidationError(parameter, shown === undefined ? issue.message : `"${shown}": ${issue.message}`);
}

/** The filter values Regionradar knows; a parameter whose set is absent is checked for its form only. */
export interface KnownFilterValues {
  themes: ReadonlySet<string>;
  sources?: ReadonlySet<string>;
  regions?: ReadonlySet<string>;
  countries?: ReadonlySet<string>;
}

/**
 * What the filters may name: themes from the taxonomy, regions from the gazetteer, sources from the
 * catalogue in force, countries from the gazetteer's regions and the catalogue's sources. The catalogue
 * is read only when the query names a source or a country.
 */
export async function knownFilterValues(deps: ApiDeps, q: { source?: string[]; country?: string[] }): Promise<KnownFilterValues> {
  const known: KnownFilterValues = { themes: new Set(deps.taxonomy.themes.map((t) => t.id)) };
  if (deps.gazetteer) known.regions = new Set(deps.gazetteer.map((r) => r.code));
  if (q.source?.length || q.country?.length) {
    const sources = await deps.catalogue.list();
    known.sources = new Set(sources.map((s) => s.id));
    if (deps.gazetteer) known.countries = new Set([...deps.gazetteer.map((r) => r.country), ...sources.map((s) => s.country)]);
  }
  return known;
}

/**
 * Throws ValidationError naming the parameter and the value when a filter names a theme, region,
 * country or source that does not exist: an unknown value would otherwise answer 200 with no articles,
 * which reads as "no news" rather than as a typing mistake.
 *
 * @example
 * checkFilterValues({ theme: ['smart-spesialisation'] }, known); // ValidationError: invalid parameter 'theme': unknown value "smart-spesialisation" …
 */
export function checkFilterValues(q: { theme?: string[]; region?: string[]; country?: string[]; source?: string[] }, known: KnownFilterValues): void {
  const checks: Array<[string, string[] | undefined, ReadonlySet<string> | undefined, string]> = [
    ['theme', q.theme, known.themes, 'no theme has this id (GET /api/themes lists them)'],
    ['region', q.region, known.regions, 'no region in the gazetteer has this code'],
    ['country', q.country, known.countries, 'no region or source is in this country'],
    ['source', q.source, known.sources, 'no source has this id (GET /api/sources lists them)'],
  ];
  for (const [parameter, values, set, why] of checks) {
    const unknown = set && values?.find((v) => !set.has(v));
    if (unknown !== undefined) throw new ValidationError(parameter, `unknown value "${unknown}": ${why}`);
  }
}

/**
 * parseQuery, then checkFilterValues against config and the catalogue: what every filtered route
 * (articles, search, feeds) reads its query string with.
 */
export async function parseFilterQuery<S extends z.ZodType>(schema: S, url: string, deps: ApiDeps): Promise<z.output<S>> {
  const q = parseQuery(schema, url) as z.output<S> & { theme?: string[]; region?: string[]; country?: string[]; source?: string[] };
  checkFilterValues(q, await knownFilterValues(deps, q));
  return q;
}

/** Search results are ranked, not dated: their cursor is a position ("s" + offset, base64url). */
export const searchCursor = z.string().transform((s, ctx) => {
  const m = /^s(\d{1,6})$/.exec(Buffer.from(s, 'base64url').toString('utf8'));
  if (!m || Number(m[1]) >= MAX_SEARCH_HITS) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this site issued' });
    return z.NEVER;
  }
  return Number(m[1]);
});
export const encodeSearchCursor = (offset: number) => Buffer.from(`s${offset}`).toString('base64url');

/** /api/search: the feed's filters, a required query, a search cursor and the query's language; sort and deadline order do not apply to ranked hits. */
export const searchQueryParams = {
  ...filterParams,
  q: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters').describe('The query, in any of the written languages'),
  cursor: searchCursor.optional().describe('nextCursor of the previous page'),
  qlang: z
    .enum(['nob', 'nno', 'swe', 'dan', 'fin', 'eng'])
    .optional()
    .describe('The language the query is written in, to stem it in that language only (all written languages when absent)'),
};

/** /api/stories: the feed's filters (an article matching them brings its whole story) and how many stories. */
export const storyQueryParams = {
  ...filterParams,
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(20).describe('Stories at most'),
  min: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20').default(2).describe('Reports a story must have (1: every article, each a story of its own if reported once)'),
};
export const storyQuerySchema = z.object(storyQueryParams).strict();

/**
 * The query parameters of every JSON route that takes any, one zod schema per parameter, by route: the
 * routes validate with objects built from these records (articleQuerySchema, searchQuerySchema), and
 * /api/openapi.json states each parameter as z.toJSONSchema() of the same schema.
 */
export const querySchemas = {
  '/api/articles': articleQueryParams,
  '/api/search': searchQueryParams,
  '/api/stories': storyQueryParams,
  '/feeds/all.rss': articleQueryParams,
  '/feeds/all.atom': articleQueryParams,
  '/feeds/all.json': articleQueryParams,
} as const satisfies Record<string, Record<string, z.ZodType>>;

/** The query parameter of POST /api/admin/opml: the imported sources' country, as the catalogue's schema states it. */
export const opmlCountrySchema = sourceSchema.shape.country.optional().describe('Country of the imported sources (ISO 3166-1 alpha-2)');

/** The path parameter of /api/articles/{id}. */
export const articleIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a 22-character article id').describe('Article id (22 characters, from the canonical URL)');

export const searchQuerySchema = z.object(querySchemas['/api/search']).strict();