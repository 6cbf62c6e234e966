import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { createApp } from '../../src/api/app.js';
import { JOB, QUEUE } from '../../src/queue/names.js';
import type { IngestResult } from '../../src/jobs/ingest.js';
import { PAUSE_AFTER_FAILURES } from '../../src/sources/health.js';
import type { Source } from '../../src/sources/schema.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { createRedis } from '../../src/queue/connection.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Regional utvikling i Nordland</title><link>https://example.org/a</link></item></channel></rss>';
const hits = new Map<string, number>();
let server: Server;
let base: string;
/** A second origin whose robots.txt fails as a server under load does. */
const sickHits = new Map<string, number>();
let sick: Server;
let sickBase: string;
let deps: Deps;
let running: Running;
let events: QueueEvents;
const prefix = uniquePrefix('polite');

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/robots.txt') return res.end('User-agent: *\nDisallow: /private/\n');
    if (path === '/feed.xml' || path === '/private/feed.xml') return res.end(RSS);
    if (path === '/busy.xml') {
      res.writeHead(429, { 'retry-after': '3600' });
      return res.end();
    }
    res.writeHead(503);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  sick = createServer((req, res) => {
    sickHits.set(req.url ?? '/', (sickHits.get(req.url ?? '/') ?? 0) + 1);
    if (req.url === '/robots.txt') return res.writeHead(503).end();
    res.end(RSS);
  });
  await new Promise<void>((r) => sick.listen(0, '127.0.0.1', r));
  sickBase = `http://127.0.0.1:${(sick.address() as { port: number }).port}`;
  const source = (id: string, path: string): Source => ({ id, name: id, url: `${base}${path}`, kind: 'feed', country: 'NO', schedule: { every: 3_600_000, jitter: 0 }, enabled: true });
  const config = shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-polite-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
  deps = await createDeps({ ...config, sources: [source('allowed', '/feed.xml'), source('forbidden', '/private/feed.xml'), source('busy', '/busy.xml'), source('broken', '/broken.xml'), { ...source('sick-robots', '/feed.xml'), url: `${sickBase}/feed.xml` }] });
  running = await startServices(deps, { ingest: true, enrich: true });
  events = new QueueEvents(QUEUE.ingest, { connection: createRedis(deps.config.env.REDIS_URL, 'worker'), prefix });
  await events.waitUntilReady();
});

afterAll(async () => {
  await events?.close();
  await running?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await new Promise((r) => sick?.close(r));
  await clearPrefix(prefix);
});

/** Runs one ingest job through the queue; resolves with its result, or with the error it failed with. */
async function ingest(sourceId: string, force = false): Promise<IngestResult | Error> {
  const job = await deps.queues.ingest.add(JOB.ingestSource, { sourceId, ...(force ? { force } : {}) });
  try {
    return (await job.waitUntilFinished(events, 15_000)) as IngestResult;
  } catch (err) {
    return err as Error;
  }
}

const sources = async () => ((await (await createApp({ store: deps.store, state: deps.state, catalogue: deps.catalogue, taxonomy: deps.config.taxonomy, redisReady: async () => true, log: deps.log }).request('/api/sources')).json()) as any).items;

describe('politeness at the fetch edge', () => {
  it('reads robots.txt once per origin and respects a Disallow', async () => {
    expect(await ingest('allowed')).toMatchObject({ status: 'ok', items: 1 });
    const forbidden = await ingest('forbidden');
    expect(forbidden).toBeInstanceOf(Error);
    expect((forbidden as Error).message).toContain('disallows this URL');
    expect(hits.get('/private/feed.xml')).toBeUndefined();
    expect(hits.get('/robots.txt')).toBe(1);
    const row = (await sources()).find((s: any) => s.id === 'forbidden');
    expect(row.lastError).toContain(`robots.txt of ${base} disallows this URL`);
  });

  it('holds an origin whose robots.txt answers 503 for minutes, not an hour, and /api/sources says why', async () => {
    const failed = await ingest('sick-robots');
    expect(failed).toBeInstanceOf(Error);
    expect(sickHits.get('/feed.xml')).toBeUndefined();
    const row = (await sources()).find((s: any) => s.id === 'sick-robots');
    expect(row.lastError).toContain(`robots.txt of ${sickBase} could not be read (robots.txt answered 503)`);
    const held = await deps.redis.pttl(`${prefix}:robots:${sickBase}`);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(5 * 60_000);
  });

  it('takes a 429 Retry-After as a floor: the next scheduled run does not fetch', async () => {
    expect(await ingest('busy')).toBeInstanceOf(Error);
    const row = (await sources()).find((s: any) => s.id === 'busy');
    expect(Date.parse(row.notBefore) - Date.now()).toBeGreaterThan(3_500_000);
    expect(await ingest('busy')).toMatchObject({ status: 'skipped', reason: 'the server asked us to wait (Retry-After)' });
    expect(hits.get('/busy.xml')).toBe(1);
  });

  it(`pauses a source after ${PAUSE_AFTER_FAILURES} failures in a row, says why, backs off, and resumes`, async () => {
    // explicit runs (an operator's refresh) skip the backoff, so the failures come at once
    for (let i = 0; i < PAUSE_AFTER_FAILURES; i++) expect(await ingest('broken', true)).toBeInstanceOf(Error);
    const row = (await sources()).find((s: any) => s.id === 'broken');
    expect(row).toMatchObject({ status: 'paused', consecutiveFailures: PAUSE_AFTER_FAILURES });
    expect(row.pausedReason).toBe(`paused after ${PAUSE_AFTER_FAILURES} failed fetches in a row; last error: HTTP 503 (source broken, url ${base}/broken.xml)`);
    // a scheduled run now waits out the backoff instead of hitting the server again
    expect(await ingest('broken')).toMatchObject({ status: 'skipped', reason: `backing off after ${PAUSE_AFTER_FAILURES} failed fetches` });
    expect(hits.get('/broken.xml')).toBe(PAUSE_AFTER_FAILURES);
    // the operator resumes it: failures are forgotten and the source is fetched again
    await deps.state.setOperatorPause('broken', undefined);
    expect((await sources()).find((s: any) => s.id === 'broken')).toMatchObject({ status: 'error', consecutiveFailures: 0, pausedReason: null });
    expect(await ingest('broken')).toBeInstanceOf(Error);
    expect(hits.get('/broken.xml')).toBe(PAUSE_AFTER_FAILURES + 1);
  });

  it('holds an operator pause against every run until resumed', async () => {
    await deps.state.setOperatorPause('allowed', 'site is being rebuilt');
    expect(await ingest('allowed', true)).toMatchObject({ status: 'skipped', reason: 'paused by the operator: site is being rebuilt' });
    expect((await sources()).find((s: any) => s.id === 'allowed')).toMatchObject({ status: 'paused', pausedReason: 'paused by the operator: site is being rebuilt' });
    await deps.state.setOperatorPause('allowed', undefined);
    expect(await ingest('allowed', true)).toMatchObject({ status: 'ok' });
  });
});
