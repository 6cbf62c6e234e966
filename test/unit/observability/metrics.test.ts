import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics, registry, watchQueues } from '../../../src/observability/metrics.js';

describe('metrics', () => {
  it('reads queue depth and the oldest waiting job at scrape time', async () => {
    const now = Date.now();
    watchQueues([
      { name: 'ingest', getJobCounts: async () => ({ waiting: 3, active: 1, failed: 2 }), getJobs: async () => [{ timestamp: now - 90_000 }] },
      { name: 'enrich', getJobCounts: async () => ({}), getJobs: async () => [] },
    ]);
    const text = await registry.metrics();
    expect(text).toMatch(/^regionradar_queue_jobs\{queue="ingest",state="waiting",app="regionradar"\} 3$/m);
    expect(text).toMatch(/^regionradar_queue_jobs\{queue="ingest",state="failed",app="regionradar"\} 2$/m);
    expect(text).toMatch(/^regionradar_queue_jobs\{queue="enrich",state="waiting",app="regionradar"\} 0$/m);
    const age = Number(/^regionradar_queue_oldest_waiting_seconds\{queue="ingest",app="regionradar"\} ([\d.]+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
    expect(text).toMatch(/^regionradar_queue_oldest_waiting_seconds\{queue="enrich",app="regionradar"\} 0$/m);
  });

  it('counts by bounded labels', async () => {
    metrics.fetches.inc({ source: 'kdd', outcome: 'ok' });
    metrics.fetches.inc({ source: 'kdd', outcome: 'ok' });
    metrics.fetches.inc({ source: 'kdd', outcome: 'transient' });
    const text = await registry.metrics();
    expect(text).toMatch(/^regionradar_fetches_total\{source="kdd",outcome="ok",app="regionradar"\} 2$/m);
    expect(text).toMatch(/^regionradar_fetches_total\{source="kdd",outcome="transient",app="regionradar"\} 1$/m);
  });

  it('the Grafana dashboard in docs/ reads only metrics the registry has', async () => {
    const dashboard = readFileSync(join(import.meta.dirname, '../../../docs/grafana-dashboard.json'), 'utf8');
    const used = new Set([...dashboard.matchAll(/regionradar_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    const known = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(known, name).toContain(name);
  });
});
