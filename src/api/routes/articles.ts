import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../errors.js';
import { articleQuerySchema, encodeCursor, toFilter } from '../../store/filter.js';
import type { ApiDeps } from '../deps.js';
import { articleIdSchema, parseFilterQuery } from '../params.js';
import { articleView } from '../view.js';
import { storyMates } from '../../jobs/stories.js';

export function articleRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/', async (c) => {
      const q = await parseFilterQuery(articleQuerySchema, c.req.url, deps);
      const page = await deps.store.list(toFilter(q), { limit: q.limit, cursor: q.cursor, sort: q.sort });
      const next = page.nextCursor ? encodeCursor(page.nextCursor) : undefined;
      let nextUrl: string | undefined;
      if (next) {
        const u = new URL(c.req.url);
        u.searchParams.set('cursor', next);
        nextUrl = u.pathname + u.search;
      }
      const mates = await storyMates(deps.store, page.items);
      return c.json({ items: page.items.map((a) => articleView(a, deps.taxonomy, false, mates.get(a.id))), nextCursor: next ?? null, next: nextUrl ?? null });
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const valid = articleIdSchema.safeParse(id);
      if (!valid.success) throw new ValidationError('id', valid.error.issues[0]!.message);
      const article = await deps.store.get(id);
      if (!article) throw new NotFoundError(`no article with id ${id}`);
      const mates = await storyMates(deps.store, [article]);
      return c.json(articleView(article, deps.taxonomy, true, mates.get(article.id)));
    });
}
