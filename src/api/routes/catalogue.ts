import { Hono } from 'hono';
import { readSourcesState, type ApiDeps } from '../deps.js';
import type { SourceHealth } from '../../model/source.js';
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
      const { counts, health, unavailable } = await readSourcesState(deps, sources.map((s) => s.id));
      return c.json({
        unavailable,
        items: sources.map((s) => ({
          id: s.id,
          name: s.name,
          url: s.url,
          homepage: s.homepage ?? null,
          kind: s.kind,
          language: s.language ?? null,
          country: s.country,
          enabled: s.enabled,
          everyMs: s.schedule.every,
          ...(health ? fetchHealth(health.get(s.id)) : UNKNOWN_HEALTH),
          itemCount: counts ? (counts.get(s.id) ?? 0) : null,
        })),
      });
    });
}

/** A source's fetch fields from its recorded health; none recorded means it was never fetched. */
function fetchHealth(h: SourceHealth | undefined) {
  const paused = pauseReason(h);
  return {
    lastFetchAt: h?.lastFetchAt ?? null,
    status: paused ? 'paused' : (h?.lastStatus ?? 'never-fetched'),
    pausedReason: paused ?? null,
    lastError: h?.lastError ?? null,
    consecutiveFailures: h?.consecutiveFailures ?? 0,
    notBefore: h?.notBefore ?? null,
    itemsInLastFetch: h?.lastItemCount ?? null,
  };
}

/** The fetch fields while Redis, which holds them, does not answer. */
const UNKNOWN_HEALTH = {
  lastFetchAt: null,
  status: 'unknown',
  pausedReason: null,
  lastError: null,
  consecutiveFailures: null,
  notBefore: null,
  itemsInLastFetch: null,
} as const;
