import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../errors.js';
import { oldestFirst, type Article } from '../../model/article.js';
import { storyMembers, toMate } from '../../jobs/stories.js';
import { toFilter, type Cursor } from '../../store/filter.js';
import type { ApiDeps } from '../deps.js';
import { articleIdSchema, parseFilterQuery, storyQuerySchema } from '../params.js';
import { mateView } from '../view.js';

/** Matching articles read at most to find a page of stories: a narrow `min` on a wide filter must still answer quickly. */
const SCAN_MAX = 2_000;

/** A story as GET /api/stories shows it, from its stored reports (near-copies included). */
function storyView(id: string, members: readonly Article[]) {
  const sorted = [...members].sort(oldestFirst);
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    id,
    title: sorted[0]!.title,
    firstPublishedAt: sorted[0]!.publishedAt,
    lastPublishedAt: sorted[sorted.length - 1]!.publishedAt,
    sources: uniq(sorted.flatMap((a) => [a.sourceId, ...a.sources.map((s) => s.sourceId)])),
    languages: uniq(sorted.map((a) => a.language)),
    themes: uniq(sorted.flatMap((a) => a.themes.map((t) => t.id))).sort(),
    articles: sorted.map((a) => mateView(toMate(a, !!a.duplicateOf))),
  };
}

export function storyRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/', async (c) => {
      const q = await parseFilterQuery(storyQuerySchema, c.req.url, deps);
      const filter = toFilter(q);
      const chosen: Array<ReturnType<typeof storyView>> = [];
      const seen = new Set<string>();
      let scanned = 0;
      // Newest matching articles first; each brings its whole story, in the order its newest match came.
      for (let cursor: Cursor | undefined; chosen.length < q.limit && scanned < SCAN_MAX; ) {
        const page = await deps.store.list(filter, { limit: 100, cursor });
        scanned += page.items.length;
        const fresh = page.items.filter((a) => !seen.has(a.story ?? a.id));
        for (const a of fresh) seen.add(a.story ?? a.id);
        const members = await storyMembers(deps.store, fresh.map((a) => a.story).filter((s): s is string => !!s));
        for (const a of fresh) {
          const id = a.story ?? a.id;
          const reports = a.story ? (members.get(a.story) ?? [a]) : [a];
          if (reports.length >= q.min && chosen.length < q.limit && !chosen.some((s) => s.id === id)) chosen.push(storyView(id, reports));
        }
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return c.json({ items: chosen });
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const valid = articleIdSchema.safeParse(id);
      if (!valid.success) throw new ValidationError('id', valid.error.issues[0]!.message);
      const members = (await storyMembers(deps.store, [id])).get(id);
      if (members?.length) return c.json(storyView(id, members));
      // An article not yet grouped is a story of its own, under its own id.
      const alone = await deps.store.get(id);
      if (alone && !alone.story) return c.json(storyView(id, [alone]));
      throw new NotFoundError(`no story with id ${id}`);
    });
}
