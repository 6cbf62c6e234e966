import { Hono } from 'hono';
import { LANGUAGE_CODES } from '../../model/source.js';
import { DOCUMENT_TYPES } from '../../pipeline/doctype/index.js';
import { articleQuerySchema, encodeCursor, toFilter, type ArticleQuery } from '../../store/filter.js';
import { parseFilterQuery } from '../params.js';
import { articleView } from '../view.js';
import { storyMates } from '../../jobs/stories.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, local, page, pageUrl, uiFor } from './context.js';
import type { Alternate } from './views/layout.js';
import { feedAlternates } from './views/partials.js';
import { StreamPage, type FilterForm } from './views/stream.js';
import { subscribeData } from './subscriptions.js';
import type { Ui } from './views/ui.js';

/** Countries the catalogue covers; the Nordic five are always offered. */
const NORDIC_COUNTRIES = ['NO', 'SE', 'DK', 'FI', 'IS'];

/** The RSS, Atom and JSON Feed of the same filter: /feeds/all.* take the list's parameters. */
export function feedsOf(ui: Ui, url: URL): Alternate[] {
  const params = new URLSearchParams(url.searchParams);
  params.delete('cursor');
  params.delete('limit');
  const qs = params.size ? `?${params}` : '';
  return feedAlternates(ui, (format) => `/feeds/all.${format}${qs}`);
}

/** The form's choices and current values. */
async function filterForm(deps: ApiDeps, ui: Ui, url: URL): Promise<FilterForm> {
  const sources = await deps.catalogue.list();
  const first = (name: string) => url.searchParams.get(name)?.split(',')[0]?.trim() || undefined;
  const day = (name: string) => first(name)?.slice(0, 10);
  return {
    values: { theme: first('theme'), lang: first('lang'), country: first('country'), region: first('region'), source: first('source'), type: first('type'), since: day('since'), until: day('until') },
    themes: deps.taxonomy.themes.map((t) => ({ id: t.id, label: t.labels[ui.lang] })).sort((a, b) => a.label.localeCompare(b.label, ui.lang)),
    languages: [...LANGUAGE_CODES],
    countries: [...new Set([...NORDIC_COUNTRIES, ...sources.map((s) => s.country)])],
    regions: deps.gazetteer?.map((r) => ({ code: r.code, name: r.names[0]! })),
    sources: sources.map((s) => ({ id: s.id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name, ui.lang)),
    types: [...DOCUMENT_TYPES],
  };
}

/** `/`: the combined stream, newest first, filtered by a GET form, paged by the list's cursor. */
export function streamPage(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const ui = await uiFor(c, deps);
    const url = pageUrl(c.req.url);
    let q: ArticleQuery;
    try {
      q = await parseFilterQuery(articleQuerySchema, url.href, deps);
    } catch (err) {
      return badRequest(c, ui, err);
    }
    const result = await deps.store.list(toFilter(q), { limit: q.limit, cursor: q.cursor, sort: q.sort });
    let next: string | undefined;
    if (result.nextCursor) {
      const u = new URL(url);
      u.searchParams.set('cursor', encodeCursor(result.nextCursor));
      next = local(u);
    }
    let first: string | undefined;
    if (q.cursor) {
      const u = new URL(url);
      u.searchParams.delete('cursor');
      first = local(u);
    }
    const form = await filterForm(deps, ui, url);
    const mates = await storyMates(deps.store, result.items);
    const items = result.items.map((a) => articleView(a, deps.taxonomy, false, mates.get(a.id)));
    return page(c, StreamPage({ ui, data: { form, items, next, first, feeds: feedsOf(ui, url), subscribe: subscribeData(deps, url) } }));
  });
}
