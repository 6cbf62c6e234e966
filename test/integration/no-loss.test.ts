import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { createApp } from '../../src/api/app.js';
import { JOB, QUEUE } from '../../src/queue/names.js';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Source } from '../../src/sources/schema.js';
import { createLogger } from '../../src/observability/log.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Feeds served on 127.0.0.1 whose items the test changes between fetches, with honest ETags and 304s,
 * recording every request (and whether it was conditional).
 */
async function startFeeds() {
  const feeds = new Map<string, Array<{ title: string; link: string; body: string }>>();
  const requests: Array<{ path: string; conditional: boolean; status: number }> = [];
  const render = (name: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${name}</title><link>http://127.0.0.1/</link><description>d</description><language>nb</language>` +
    (feeds.get(name) ?? [])
      .map((i) => `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.link}</guid><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><description>${i.body}</description></item>`)
      .join('') +
    '</channel></rss>';
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/robots.txt') return void res.writeHead(404).end();
    const name = path.replace(/^\//, '').replace(/\.xml$/, '');
    const body = render(name);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 12)}"`;
    const conditional = req.headers['if-none-match'] !== undefined;
    const status = req.headers['if-none-match'] === etag ? 304 : 200;
    requests.push({ path, conditional, status });
    res.writeHead(status, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
    res.end(status === 304 ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { feeds, requests, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const source = (id: string, url: string): Source => ({ id, name: id, url, kind: 'feed', country: 'NO', language: 'nob', schedule: { every: 3_600_000, jitter: 0 }, enabled: true });
const body = (words: string) => `Fylkeskommunen og regionen samarbeider om ${words} og regional utvikling i Nordland.`;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setUp(sources: Source[]) {
  const feeds = await startFeeds();
  const prefix = uniquePrefix('noloss');
  const base = shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-noloss-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1,localhost' });
  const deps: Deps = await createDeps({ ...base, sources: sources.map((s) => ({ ...s, url: s.url.replace('PORT', String(feeds.port)) })) });
  const services: Running[] = [];
  cleanup.push(async () => {
    for (const s of services) await s.close().catch(() => {});
    await deps.close().catch(() => {});
    await feeds.close();
    await clearPrefix(prefix);
  });
  const idle = async () => {
    const [i, e] = await Promise.all([deps.queues.ingest.getJobCounts('waiting', 'active', 'delayed'), deps.queues.enrich.getJobCounts('waiting', 'active', 'delayed')]);
    return [...Object.values(i), ...Object.values(e)].every((n) => n === 0);
  };
  /** Queues a fetch of `id` and waits until it has run (and, with enrichment running, its articles are stored). */
  const fetchNow = async (id: string) => {
    const before = (await deps.state.getHealth([id])).get(id)?.lastFetchAt ?? '';
    await deps.queues.ingest.add(JOB.ingestSource, { sourceId: id, force: true }, { removeOnComplete: true, removeOnFail: true });
    await waitFor(`a fetch of ${id}`, async () => ((await deps.state.getHealth([id])).get(id)?.lastFetchAt ?? '') > before, 20_000, 20);
  };
  const workers = async (set: { ingest?: boolean; enrich?: boolean }) => {
    const running = await startServices(deps, set);
    services.push(running);
    return running;
  };
  return { deps, feeds, idle, fetchNow, workers };
}

describe('one story, one article, every source recorded', () => {
  const link = (port: number) => `http://127.0.0.1:${port}/nyheter/ny-strategi`;

  it.each([
    ['the relay is fetched first', ['relay', 'kdd']],
    ['the publisher is fetched first', ['kdd', 'relay']],
  ])('keeps the publisher’s version when %s, lists both sources and finds the article under each', async (_, order) => {
    // The publisher's feed is on the article's own host; the relay (another host name) carries the same link with a tracking parameter.
    const t = await setUp([source('kdd', 'http://127.0.0.1:PORT/kdd.xml'), source('relay', 'http://localhost:PORT/relay.xml')]);
    t.feeds.feeds.set('kdd', [{ title: 'Ny strategi for distrikta', link: link(t.feeds.port), body: body('smart spesialisering') }]);
    t.feeds.feeds.set('relay', [{ title: 'Kopi: ny strategi', link: `${link(t.feeds.port)}?utm_source=x`, body: body('noko anna') }]);
    await t.workers({ ingest: true, enrich: true });
    for (const id of order!) {
      await t.fetchNow(id);
      await waitFor('queues idle', t.idle, 20_000, 20);
    }
    const app = createApp({
      store: t.deps.store,
      state: t.deps.state,
      catalogue: t.deps.catalogue,
      taxonomy: t.deps.config.taxonomy,
      redisReady: async () => true,
      log: createLogger('silent'),
    });
    const get = async (path: string): Promise<any> => (await app.request(path)).json();
    const items = (await get('/api/articles')).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: 'Ny strategi for distrikta', source: 'kdd', sources: ['kdd', 'relay'] });
    for (const id of ['kdd', 'relay']) {
      const r = await get(`/api/articles?source=${id}`);
      expect(r.items.map((a: { id: string }) => a.id)).toEqual([items[0].id]);
    }
    const sources = (await get('/api/sources')).items;
    expect(Object.fromEntries(sources.map((s: { id: string; itemCount: number }) => [s.id, s.itemCount]))).toEqual({ kdd: 1, relay: 1 });
    const json = await get('/feeds/all.json');
    expect(json.items[0]._regionradar.sources).toEqual(['kdd', 'relay']);
  });
});

describe('a fetch counts as done only when its articles are stored', () => {
  it('fetches in full while an article of the last fetch waits, and ends with the newest of versions that changed while it waited', async () => {
    const t = await setUp([source('kdd', 'http://127.0.0.1:PORT/kdd.xml')]);
    const item = (title: string) => [{ title, link: `http://127.0.0.1:${t.feeds.port}/nyheter/1`, body: body(title) }];
    t.feeds.feeds.set('kdd', item('Versjon ein'));
    // Only ingestion runs: the enrich job of the first version waits in its queue.
    await t.workers({ ingest: true });
    await t.fetchNow('kdd');
    t.feeds.feeds.set('kdd', item('Versjon to'));
    await t.fetchNow('kdd');
    t.feeds.feeds.set('kdd', item('Versjon tre'));
    await t.fetchNow('kdd');
    // Nothing was stored, so no run trusted the ETag of a fetch whose articles were not yet in the store.
    expect(t.feeds.requests.filter((r) => r.path === '/kdd.xml').map((r) => r.conditional)).toEqual([false, false, false]);
    expect(await t.deps.queues.enrich.getJobCounts('waiting')).toEqual({ waiting: 3 });

    await t.workers({ enrich: true });
    await waitFor('queues idle', t.idle, 20_000, 20);
    const stored = (await t.deps.store.list({}, { limit: 10 })).items;
    expect(stored.map((a) => a.title)).toEqual(['Versjon tre']);

    // Now everything is stored: the next run is conditional and answered 304.
    await t.fetchNow('kdd');
    expect(t.feeds.requests.at(-1)).toEqual({ path: '/kdd.xml', conditional: true, status: 304 });
    expect((await t.deps.state.getHealth(['kdd'])).get('kdd')!.lastStatus).toBe('not-modified');
  });

  it('puts a version whose job failed for good back in the queue when the next fetch finds it still missing', async () => {
    const t = await setUp([source('kdd', 'http://127.0.0.1:PORT/kdd.xml')]);
    t.feeds.feeds.set('kdd', [{ title: 'Ein sak', link: `http://127.0.0.1:${t.feeds.port}/nyheter/2`, body: body('bioøkonomi') }]);
    await t.workers({ ingest: true });
    await t.fetchNow('kdd');
    // As after a store that stayed down past every retry: the job ends in the failed set, its id taken.
    const failing = new Worker(QUEUE.enrich, async () => {
      throw new UnrecoverableError('store down for an hour');
    }, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: t.deps.config.env.QUEUE_PREFIX });
    await waitFor('the enrich job failed', async () => (await t.deps.queues.enrich.getJobCounts('failed')).failed === 1, 20_000, 20);
    await failing.close();
    await (failing.opts.connection as Redis).quit();

    await t.fetchNow('kdd');
    await t.workers({ enrich: true });
    await waitFor('the article stored', async () => (await t.deps.store.count()) === 1, 20_000, 20);
    expect(await t.deps.queues.enrich.getJobCounts('failed')).toEqual({ failed: 0 });
  });
});
