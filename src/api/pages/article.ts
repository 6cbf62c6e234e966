import { Hono } from 'hono';
import { articleView } from '../view.js';
import type { ApiDeps } from '../deps.js';
import { page, uiFor } from './context.js';
import { ArticlePage } from './views/article.js';
import { ErrorPage } from './views/error.js';

/** Article ids are 128 bits in base64url (src/pipeline/normalize/id.ts). */
const ARTICLE_ID = /^[A-Za-z0-9_-]{22}$/;

/** `/articles/:id`: one article in full; a 404 page for an id the store does not hold. */
export function articlePage(deps: ApiDeps) {
  return new Hono().get('/:id', async (c) => {
    const ui = await uiFor(c, deps);
    const id = c.req.param('id');
    const article = ARTICLE_ID.test(id) ? await deps.store.get(id) : undefined;
    if (!article) return page(c, ErrorPage({ ui, status: 404 }), 404);
    return page(c, ArticlePage({ ui, a: articleView(article, deps.taxonomy, true) }));
  });
}
