import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served at /metrics by the API. One registry per
 * process: the workers that run beside the API in `regionradar start` (and the demo) count into it; a
 * worker process of its own keeps its own counts (scrape each process, or run them with the API).
 * Labels are bounded sets — source ids from the catalogue, route patterns, outcome names — never URLs
 * or free text, so the series stay few.
 */
export const registry = new Registry();
registry.setDefaultLabels({ app: 'regionradar' });
collectDefaultMetrics({ register: registry, prefix: 'regionradar_' });

/** Seconds buckets for work that takes a millisecond to a few seconds. */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  fetches: new Counter({
    name: 'regionradar_fetches_total',
    help: 'Source fetches by source and outcome (ok, not-modified, skipped, or the failure kind)',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  }),
  itemsQueued: new Counter({
    name: 'regionradar_items_queued_total',
    help: 'Items a fetch found new or changed and queued for enrichment, by source',
    labelNames: ['source'] as const,
    registers: [registry],
  }),
  articlesStored: new Counter({
    name: 'regionradar_articles_stored_total',
    help: 'Articles enriched and committed to the store, by language',
    labelNames: ['language'] as const,
    registers: [registry],
  }),
  enrichSeconds: new Histogram({ name: 'regionradar_enrich_seconds', help: 'Time to enrich one item (language, themes, regions)', buckets: SECONDS, registers: [registry] }),
  storeSeconds: new Histogram({ name: 'regionradar_store_write_seconds', help: 'Time from an enriched article to its batch committed', buckets: SECONDS, registers: [registry] }),
  httpSeconds: new Histogram({
    name: 'regionradar_http_request_duration_seconds',
    help: 'API and page requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [registry],
  }),
  searchSeconds: new Histogram({ name: 'regionradar_search_seconds', help: 'Ranked searches (API and pages), store time', buckets: SECONDS, registers: [registry] }),
  digests: new Counter({ name: 'regionradar_digests_total', help: 'Digest runs by outcome (sent, empty, bounced, uncertain, …)', labelNames: ['outcome'] as const, registers: [registry] }),
  webhooks: new Counter({ name: 'regionradar_webhook_deliveries_total', help: 'Webhook deliveries by outcome (delivered, empty, failed)', labelNames: ['outcome'] as const, registers: [registry] }),
};

/** What queue gauges read at scrape time: BullMQ's counts and the oldest waiting job. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;
type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueProbe {
  name: string;
  getJobCounts(...states: QueueState[]): Promise<Record<string, number>>;
  getJobs(states: QueueState[], start: number, end: number, asc: boolean): Promise<Array<{ timestamp: number } | undefined>>;
}

/**
 * Queue depth per state and the age of the oldest waiting job, per queue, read from Redis when
 * /metrics is scraped (so a stuck queue shows even while no worker runs here). Registered once per
 * process; a later call replaces the queues read.
 */
export function watchQueues(queues: readonly QueueProbe[]): void {
  watched = queues;
  if (registry.getSingleMetric('regionradar_queue_jobs')) return;
  new Gauge({
    name: 'regionradar_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of watched) {
        const counts = await q.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'regionradar_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = Date.now();
      for (const q of watched) {
        const [oldest] = await q.getJobs(['waiting', 'prioritized'], 0, 0, true);
        this.set({ queue: q.name }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
      }
    },
  });
}
let watched: readonly QueueProbe[] = [];

/** Seconds since `start` (from performance.now()), for observing a histogram. */
export const since = (start: number): number => (performance.now() - start) / 1000;
