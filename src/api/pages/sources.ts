import { Hono } from 'hono';
import { pauseReason } from '../../sources/health.js';
import { readSourcesState, type ApiDeps } from '../deps.js';
import { page, uiFor } from './context.js';
import { SourcesPage, type SourceRow } from './views/catalogue.js';

/** `/sources`: each source's health, from the same ports as /api/sources (src/api/routes/catalogue.ts) and with its rules. */
export function sourcesPage(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const ui = await uiFor(c, deps);
    const sources = await deps.catalogue.list();
    const { counts, health, unavailable } = await readSourcesState(deps, sources.map((s) => s.id));
    const rows: SourceRow[] = sources.map((s) => {
      const h = health?.get(s.id);
      return {
        id: s.id,
        name: s.name,
        url: s.url,
        status: !health ? 'unknown' : pauseReason(h) ? 'paused' : (h?.lastStatus ?? 'never-fetched'),
        lastFetchAt: h?.lastFetchAt ?? null,
        lastError: pauseReason(h) ?? h?.lastError ?? null,
        itemCount: counts ? (counts.get(s.id) ?? 0) : null,
      };
    });
    return page(c, SourcesPage({ ui, rows, unavailable }));
  });
}
