import { Hono } from 'hono';
import { articleView } from '../view.js';
import type { ApiDeps } from '../deps.js';
import { page, uiFor } from './context.js';
import { feedsOf } from './stream.js';
import { ThemePage, ThemesPage } from './views/catalogue.js';
import { ErrorPage } from './views/error.js';

/** Recent articles a theme's page shows; the stream filtered by the theme has the rest. */
const THEME_RECENT = 10;

/** `/themes` (the taxonomy with counts) and `/themes/:id` (terms, recent articles, feeds). */
export function themesPage(deps: ApiDeps) {
  return new Hono()
    .get('/', async (c) => {
      const ui = await uiFor(c, deps);
      const counts = await deps.store.countByTheme();
      const themes = deps.taxonomy.themes
        .map((t) => ({ id: t.id, label: t.labels[ui.lang], count: counts.get(t.id) ?? 0 }))
        .sort((a, b) => a.label.localeCompare(b.label, ui.lang));
      return page(c, ThemesPage({ ui, themes }));
    })
    .get('/:id', async (c) => {
      const ui = await uiFor(c, deps);
      const theme = deps.taxonomy.themes.find((t) => t.id === c.req.param('id'));
      if (!theme) return page(c, ErrorPage({ ui, status: 404 }), 404);
      const result = await deps.store.list({ themes: [theme.id] }, { limit: THEME_RECENT });
      const filtered = new URL(`/?theme=${encodeURIComponent(theme.id)}`, c.req.url);
      return page(
        c,
        ThemePage({
          ui,
          label: theme.labels[ui.lang],
          // What the theme is about: its terms without the markers (^ defining, * any ending); generic ones (~) only count with others, so they are not shown.
          terms: theme.terms[ui.lang].filter((t) => !t.startsWith('~')).map((t) => t.replace(/^\^/, '')),
          items: result.items.map((a) => articleView(a, deps.taxonomy)),
          feeds: feedsOf(ui, filtered),
          more: filtered.pathname + filtered.search,
        }),
      );
    });
}
