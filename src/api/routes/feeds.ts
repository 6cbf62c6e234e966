import { Hono } from 'hono';
import { articleQuerySchema, toFilter } from '../../store/filter.js';
import { renderAtom } from '../../output/atom.js';
import { renderJsonFeed } from '../../output/json-feed.js';
import { renderRss } from '../../output/rss.js';
import type { FeedMeta, FeedRenderer } from '../../output/types.js';
import { feedTitle, homeUrl } from '../../output/title.js';
import { etagOf, matchesEtag } from '../../output/etag.js';
import type { ApiDeps } from '../deps.js';
import { parseFilterQuery } from '../params.js';
import { NotFoundError } from '../../errors.js';
import { articleFilterOf } from '../../subscriptions/model.js';
import { describeFilter } from '../../digests/render/index.js';
import { storyMates } from '../../jobs/stories.js';

/** Feed readers want a fuller page than the API's default; 50 is what most aggregators serve. */
export const FEED_DEFAULT_LIMIT = 50;

const FORMATS: Record<string, { render: FeedRenderer; type: string }> = {
  rss: { render: renderRss, type: 'application/rss+xml; charset=utf-8' },
  atom: { render: renderAtom, type: 'application/atom+xml; charset=utf-8' },
  json: { render: renderJsonFeed, type: 'application/feed+json; charset=utf-8' },
};

/** /feeds/all.rss|.atom|.json with the same filters as /api/articles; /feeds/private/TOKEN.* a subscription's own. */
export function feedRoutes(deps: ApiDeps) {
  const labels = new Map(deps.taxonomy.themes.map((t) => [t.id, t.labels.en]));
  const regions = new Map((deps.gazetteer ?? []).map((r) => [r.code, r.names[0] ?? r.code]));
  const app = new Hono();
  // A subscription's private feed: its filter, behind its unguessable token; never cached by shared caches.
  const subs = deps.subscriptions;
  if (subs) {
    app.get('/private/:file{[A-Za-z0-9_-]{16,64}\\.(rss|atom|json)}', async (c) => {
      const [token, ext] = c.req.param('file').split('.') as [string, string];
      const format = FORMATS[ext]!;
      const sub = await subs.store.getByFeedToken(token);
      if (!sub) throw new NotFoundError('no subscription has this feed');
      const [page, catalogue] = await Promise.all([deps.store.list(articleFilterOf(sub.filter), { limit: FEED_DEFAULT_LIMIT }), deps.catalogue.list()]);
      const sources = new Map(catalogue.map((s) => [s.id, s]));
      const requested = new URL(c.req.url);
      const base = deps.publicUrl ?? requested.origin;
      const meta: FeedMeta = {
        title: `Regionradar: ${describeFilter('en', sub.filter, (id) => labels.get(id) ?? id)}`,
        description: 'Nordic regional-development news: a subscription’s private feed',
        homeUrl: subs.links.web(sub.filter),
        selfUrl: `${base}${requested.pathname}`,
        themeLabel: (id) => labels.get(id) ?? id,
        source: (id) => ({ name: sources.get(id)?.name ?? id, url: sources.get(id)?.url ?? base }),
      };
      const body = format.render(page.items, { ...meta, mates: await storyMates(deps.store, page.items) });
      const etag = etagOf(body);
      const headers = { etag, 'cache-control': 'private, max-age=60', 'x-robots-tag': 'noindex' };
      if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
      return c.body(body, 200, { ...headers, 'content-type': format.type });
    });
  }
  return app.get('/:file{all\\.(rss|atom|json)}', async (c) => {
    const format = FORMATS[c.req.param('file').split('.')[1]!]!;
    const requested = new URL(c.req.url);
    // Appended as text: searchParams.set would re-encode the whole query, hiding an invalid percent-encoding from parseQuery.
    const url = new URL(requested.searchParams.has('limit') ? requested.href : `${requested.href}${requested.search ? '&' : '?'}limit=${FEED_DEFAULT_LIMIT}`);
    const q = await parseFilterQuery(articleQuerySchema, url.href, deps);
    const [page, catalogue] = await Promise.all([deps.store.list(toFilter(q), { limit: q.limit, cursor: q.cursor, sort: q.sort }), deps.catalogue.list()]);
    const sources = new Map(catalogue.map((s) => [s.id, s]));
    const base = deps.publicUrl ?? url.origin;
    const meta: FeedMeta = {
      title: feedTitle(q, { theme: (id) => labels.get(id) ?? id, region: (code) => regions.get(code) ?? code, source: (id) => sources.get(id)?.name ?? id }),
      description: 'Nordic regional-development news from the configured sources',
      homeUrl: homeUrl(base, requested.searchParams),
      selfUrl: `${base}${requested.pathname}${requested.search}`,
      themeLabel: (id) => labels.get(id) ?? id,
      source: (id) => ({ name: sources.get(id)?.name ?? id, url: sources.get(id)?.url ?? base }),
    };
    const body = format.render(page.items, { ...meta, mates: await storyMates(deps.store, page.items) });
    const etag = etagOf(body);
    const headers = { etag, 'cache-control': 'public, max-age=60' };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    return c.body(body, 200, { ...headers, 'content-type': format.type });
  });
}
