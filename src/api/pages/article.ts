import { Hono } from 'hono';
import { articleView } from '../view.js';
import { storyMates } from '../../jobs/stories.js';
import type { ApiDeps } from '../deps.js';
import { page, uiFor } from './context.js';
import { ArticlePage } from './views/article.js';
import { ErrorPage } from './views/error.js';
import { articleId } from '../../pipeline/normalize/id.js';
import { canonicalUrl } from '../../pipeline/normalize/url.js';
import { issueUrl } from '../../newsletters/ids.js';

/** Article ids are 128 bits in base64url (src/pipeline/normalize/id.ts). */
const ARTICLE_ID = /^[A-Za-z0-9_-]{22}$/;

/** `/articles/:id`: one article in full; a 404 page for an id the store does not hold. */
export function articlePage(deps: ApiDeps) {
  return new Hono().get('/:id', async (c) => {
    const ui = await uiFor(c, deps);
    const id = c.req.param('id');
    const article = ARTICLE_ID.test(id) ? await deps.store.get(id) : undefined;
    if (!article) return page(c, ErrorPage({ ui, status: 404 }), 404);
    const mates = await storyMates(deps.store, [article]);
    return page(c, ArticlePage({ ui, a: articleView(article, deps.taxonomy, true, mates.get(article.id)) }));
  });
}

/**
 * `/newsletters/:source/:key`: the URL of a newsletter issue that has no web version of its own
 * (newsletters/receive.ts issueUrl). It names the article; this sends the reader to its page.
 */
export function newsletterIssuePage(deps: ApiDeps) {
  return new Hono().get('/:source/:key', async (c) => {
    const url = issueUrl(deps.publicUrl ?? new URL(c.req.url).origin, c.req.param('source'), c.req.param('key'));
    const id = articleId(canonicalUrl(url));
    if (await deps.store.get(id)) return c.redirect(`/articles/${id}`, 302);
    return page(c, ErrorPage({ ui: await uiFor(c, deps), status: 404 }), 404);
  });
}
