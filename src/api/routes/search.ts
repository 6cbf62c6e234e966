import { Hono } from 'hono';
import { z } from 'zod';
import { filterParams, toFilter } from '../../store/filter.js';
import { MAX_SEARCH_HITS } from '../../store/port.js';
import { highlight, snippet } from '../../search/highlight.js';
import type { ApiDeps } from '../deps.js';
import { parseFilterQuery } from '../params.js';
import { articleView } from '../view.js';

/** Search results are ranked, not dated: their cursor is a position ("s" + offset, base64url). */
const searchCursor = z
  .string()
  .transform((s, ctx) => {
    const m = /^s(\d{1,6})$/.exec(Buffer.from(s, 'base64url').toString('utf8'));
    if (!m || Number(m[1]) >= MAX_SEARCH_HITS) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued' });
      return z.NEVER;
    }
    return Number(m[1]);
  });
const encodeSearchCursor = (offset: number) => Buffer.from(`s${offset}`).toString('base64url');

/** The feed's filters, a required query, and a search cursor; sort and deadline order do not apply to ranked hits. */
const searchQuerySchema = z
  .object({
    ...filterParams,
    q: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
    cursor: searchCursor.optional(),
    /** Language the query is written in, to stem it in that language only; all written languages when absent. */
    qlang: z.enum(['nob', 'nno', 'swe', 'dan', 'fin', 'eng']).optional(),
  })
  .strict();

/** /api/search?q=…: ranked hits with highlights, the total, facet counts and a cursor. */
export function searchRoutes(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const q = await parseFilterQuery(searchQuerySchema, c.req.url, deps);
    const offset = q.cursor ?? 0;
    const result = await deps.store.search({
      q: q.q,
      filter: toFilter({ ...q, q: undefined }),
      limit: q.limit,
      offset,
      languages: q.qlang ? [q.qlang] : undefined,
    });
    const nextOffset = offset + result.items.length;
    // Ranked hits page MAX_SEARCH_HITS deep at most (the engines' bound); narrower filters reach the rest.
    const next = nextOffset < Math.min(result.total, MAX_SEARCH_HITS) && result.items.length ? encodeSearchCursor(nextOffset) : undefined;
    let nextUrl: string | undefined;
    if (next) {
      const u = new URL(c.req.url);
      u.searchParams.set('cursor', next);
      nextUrl = u.pathname + u.search;
    }
    return c.json({
      total: result.total,
      items: result.items.map((a) => ({
        ...articleView(a, deps.taxonomy),
        highlight: { title: highlight(a.title, result.query, a.language), snippet: snippet(a.summary || a.contentText, result.query, a.language) },
      })),
      facets: result.facets,
      nextCursor: next ?? null,
      next: nextUrl ?? null,
    });
  });
}
