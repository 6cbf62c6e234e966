import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';
import { pauseReason } from '../../sources/health.js';

/** /api/themes (taxonomy with article counts) and /api/sources (catalogue with fetch health). */
export function catalogueRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/themes', async (c) => {
      const counts = await deps.store.countByTheme();
      return c.json({
        version: deps.taxonomy.version,
        items: deps.taxonomy.themes.map((t) => ({ id: t.id, labels: t.labels, count: counts.get(t.id) ?? 0 })),
      });
    })
    .get('/sources', async (c) => {
      const sources = await deps.catalogue.list();
      const [counts, health] = await Promise.all([deps.store.countBySource(), deps.state.getHealth(sources.map((s) => s.id))]);
      return c.json({
        items: sources.map((s) => {
          const h = health.get(s.id);
          const paused = pauseReason(h);
          return {
            id: s.id,
            name: s.name,
            url: s.url,
            homepage: s.homepage ?? null,
            kind: s.kind,
            language: s.language ?? null,
            country: s.country,
            enabled: s.enabled,
            everyMs: s.schedule.every,
            lastFetchAt: h?.lastFetchAt ?? null,
            status: paused ? 'paused' : (h?.lastStatus ?? 'never-fetched'),
            pausedReason: paused ?? null,
            lastError: h?.lastError ?? null,
            consecutiveFailures: h?.consecutiveFailures ?? 0,
            notBefore: h?.notBefore ?? null,
            itemsInLastFetch: h?.lastItemCount ?? null,
            itemCount: counts.get(s.id) ?? 0,
          };
        }),
      });
    });
}
