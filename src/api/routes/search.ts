import { metrics, since } from '../../observability/metrics.js';
import { Hono } from 'hono';
import { toFilter } from '../../store/filter.js';
import { MAX_SEARCH_HITS } from '../../store/port.js';
import { highlight, snippet } from '../../search/highlight.js';
import type { ApiDeps } from '../deps.js';
import { encodeSearchCursor, parseFilterQuery, searchQuerySchema } from '../params.js';
import { storyMates } from '../../jobs/stories.js';
import { articleView } from '../view.js';

/** /api/search?q=…: ranked hits with highlights, the total, facet counts and a cursor. */
export function searchRoutes(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const q = await parseFilterQuery(searchQuerySchema, c.req.url, deps);
    const offset = q.cursor ?? 0;
    const started = performance.now();
    const result = await deps.store.search({
      q: q.q,
      filter: toFilter({ ...q, q: undefined }),
      limit: q.limit,
      offset,
      languages: q.qlang ? [q.qlang] : undefined,
    });
    metrics.searchSeconds.observe(since(started));
    const nextOffset = offset + result.items.length;
    // Ranked hits page MAX_SEARCH_HITS deep at most (the engines' bound); narrower filters reach the rest.
    const next = nextOffset < Math.min(result.total, MAX_SEARCH_HITS) && result.items.length ? encodeSearchCursor(nextOffset) : undefined;
    let nextUrl: string | undefined;
    if (next) {
      const u = new URL(c.req.url);
      u.searchParams.set('cursor', next);
      nextUrl = u.pathname + u.search;
    }
    const mates = await storyMates(deps.store, result.items);
    return c.json({
      total: result.total,
      items: result.items.map((a) => ({
        ...articleView(a, deps.taxonomy, false, mates.get(a.id)),
        highlight: { title: highlight(a.title, result.query, a.language), snippet: snippet(a.summary || a.contentText, result.query, a.language) },
      })),
      facets: result.facets,
      nextCursor: next ?? null,
      next: nextUrl ?? null,
    });
  });
}
