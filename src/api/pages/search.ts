import { metrics, since } from '../../observability/metrics.js';
import { Hono } from 'hono';
import { subscribeData } from './subscriptions.js';
import { z } from 'zod';
import { highlight, snippet } from '../../search/highlight.js';
import { filterParams, toFilter } from '../../store/filter.js';
import { MAX_SEARCH_HITS, type SearchFacets } from '../../store/port.js';
import { encodeSearchCursor, parseFilterQuery, searchCursor } from '../params.js';
import { articleView } from '../view.js';
import { storyMates } from '../../jobs/stories.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, local, page, pageUrl, uiFor } from './context.js';
import type { FacetLink, SearchData } from './views/search.js';
import { SearchPage } from './views/search.js';
import type { Ui } from './views/ui.js';

/** The list's filters, an optional query (no query: the empty search form) and a cursor. */
const searchPageSchema = z
  .object({ ...filterParams, q: z.string().trim().min(1).max(200, 'at most 200 characters').optional(), cursor: searchCursor.optional() })
  .strict();

/** Facet values shown per facet: the most frequent first. */
const FACET_LINKS = 12;

const FACETS: { key: keyof SearchFacets; param: string; heading: SearchData['facets'][number]['heading']; label: (ui: Ui, v: string) => string }[] = [
  { key: 'themes', param: 'theme', heading: 'facets.themes', label: (ui, v) => ui.theme(v) },
  { key: 'languages', param: 'lang', heading: 'facets.languages', label: (ui, v) => ui.language(v) },
  { key: 'sources', param: 'source', heading: 'facets.sources', label: (ui, v) => ui.source(v) },
  { key: 'countries', param: 'country', heading: 'facets.countries', label: (ui, v) => ui.country(v) },
];

/** Each facet's values as links that add the value to the current filter (or show it as chosen). */
function facetLinks(ui: Ui, url: URL, facets: SearchFacets): SearchData['facets'] {
  return FACETS.map((f) => {
    const chosen = url.searchParams.get(f.param)?.split(',') ?? [];
    const links: FacetLink[] = Object.entries(facets[f.key])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, FACET_LINKS)
      .map(([value, count]) => {
        const u = new URL(url);
        u.searchParams.delete('cursor');
        u.searchParams.set(f.param, value);
        return { href: local(u), label: f.label(ui, value), count, active: chosen.includes(value) };
      });
    return { heading: f.heading, links };
  });
}

/** `/search?q=`: ranked hits with highlights (src/search/highlight.ts), facet links and paging. */
export function searchPage(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const ui = await uiFor(c, deps);
    const url = pageUrl(c.req.url);
    let q: z.output<typeof searchPageSchema>;
    try {
      q = await parseFilterQuery(searchPageSchema, url.href, deps);
    } catch (err) {
      return badRequest(c, ui, err);
    }
    if (!q.q) return page(c, SearchPage({ ui }));
    const offset = q.cursor ?? 0;
    const started = performance.now();
    const result = await deps.store.search({ q: q.q, filter: toFilter({ ...q, q: undefined }), limit: q.limit, offset });
    metrics.searchSeconds.observe(since(started));
    const nextOffset = offset + result.items.length;
    let next: string | undefined;
    if (result.items.length && nextOffset < Math.min(result.total, MAX_SEARCH_HITS)) {
      const u = new URL(url);
      u.searchParams.set('cursor', encodeSearchCursor(nextOffset));
      next = local(u);
    }
    let first: string | undefined;
    if (offset) {
      const u = new URL(url);
      u.searchParams.delete('cursor');
      first = local(u);
    }
    const mates = await storyMates(deps.store, result.items);
    const hits = result.items.map((a) => ({
      a: articleView(a, deps.taxonomy, false, mates.get(a.id)),
      hl: { title: highlight(a.title, result.query, a.language), snippet: snippet(a.summary || a.contentText, result.query, a.language) },
    }));
    const data: SearchData = { q: q.q, total: result.total, hits, facets: facetLinks(ui, url, result.facets), next, first, subscribe: subscribeData(deps, url) };
    return page(c, SearchPage({ ui, data, q: q.q }));
  });
}
