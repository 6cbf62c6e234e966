import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createHttpClient } from '../../src/pipeline/fetch/client.js';
import { createHostGate, gatedHttpClient, type HostLimits } from '../../src/pipeline/fetch/host-gate.js';
import { ROBOTS_UNREACHABLE_TTL_SECONDS, createRobotsPolicy } from '../../src/pipeline/fetch/robots.js';
import { createRedisHostSlots } from '../../src/state/redis-host-slots.js';
import { createRedisRobotsCache } from '../../src/state/redis-robots.js';
import { HostBusyError, RobotsError } from '../../src/errors.js';
import { recordingRobotsCache } from '../helpers/memory-robots-cache.js';
import { REDIS_URL, clearPrefix, uniquePrefix } from '../helpers/redis.js';

/** The bound this feature promises: a robots.txt failure holds an origin for minutes, never an hour. */
const HOLD_BOUND_SECONDS = 5 * 60;

/** How the fixture's robots.txt answers in the current test. */
let robotsMode: '404' | '503' | 'slow' | 'hang' = '404';
let robotsHits = 0;
let server: Server;
let origin: string;
const redis = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
const prefixes: string[] = [];
let prefix: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/robots.txt') return res.end('<rss/>');
    robotsHits++;
    if (robotsMode === '404') return res.writeHead(404).end('not found');
    if (robotsMode === '503') return res.writeHead(503).end();
    if (robotsMode === 'slow') return void setTimeout(() => res.end('User-agent: *\nDisallow: /private/\n'), 500);
    // 'hang': never answers; the client's timeout ends it
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

beforeEach(() => {
  robotsHits = 0;
  prefix = uniquePrefix('robots');
  prefixes.push(prefix);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  redis.forEach((r) => r.disconnect());
  await Promise.all(prefixes.map(clearPrefix));
});

const defaultLimits: HostLimits = { concurrency: 2, intervalMs: 0, leaseMs: 10_000, maxWaitMs: 5_000 };

/** One worker: its own Redis connection, host gate, HTTP client and robots policy, sharing the test's prefix. */
function worker(i: 0 | 1, opts: { timeoutMs?: number; limits?: HostLimits } = {}) {
  const r = redis[i]!;
  const slots = createRedisHostSlots(r, prefix);
  const limits = opts.limits ?? defaultLimits;
  const http = gatedHttpClient(
    createHttpClient({ timeoutMs: opts.timeoutMs ?? 5_000, maxBytes: 1_000_000, allowPrivateHosts: ['127.0.0.1'] }),
    createHostGate(slots.trySlot, slots.releaseSlot, limits),
  );
  const cache = recordingRobotsCache(createRedisRobotsCache(r, prefix));
  const robots = createRobotsPolicy({ http, cache, userAgent: 'Regionradar/test', productToken: 'Regionradar', lockMs: limits.maxWaitMs + (opts.timeoutMs ?? 5_000), pollMs: 50 });
  return { robots, cache, slots, limits, close: () => http.close() };
}

/** What Redis itself will hold the origin's record for, in ms. */
const storedTtlMs = () => redis[0]!.pttl(`${prefix}:robots:${origin}`);

describe('robots.txt against a server on 127.0.0.1, shared through Redis', () => {
  it('a robots.txt answering 404 allows fetching', async () => {
    robotsMode = '404';
    const w = worker(0);
    await expect(w.robots.assertAllowed(`${origin}/feed.xml`, { sourceId: 'a' })).resolves.toBeUndefined();
    await expect(w.robots.assertAllowed(`${origin}/private/feed.xml`, { sourceId: 'b' })).resolves.toBeUndefined();
    expect(await w.cache.get(origin)).toMatchObject({ kind: 'allow-all' });
    expect(robotsHits).toBe(1);
    await w.close();
  });

  it('a robots.txt answering 503 disallows for minutes, and the error names the cause', async () => {
    robotsMode = '503';
    const w = worker(0);
    const err = await w.robots.assertAllowed(`${origin}/feed.xml`, { sourceId: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RobotsError);
    expect((err as RobotsError).retryable).toBe(true);
    expect((err as Error).message).toContain('robots.txt answered 503');
    expect(await w.cache.get(origin)).toMatchObject({ kind: 'disallow-all', reason: 'robots.txt answered 503' });
    expect(w.cache.sets.map((s) => s.ttlSeconds)).toEqual([ROBOTS_UNREACHABLE_TTL_SECONDS]);
    expect(ROBOTS_UNREACHABLE_TTL_SECONDS).toBeGreaterThanOrEqual(60);
    expect(ROBOTS_UNREACHABLE_TTL_SECONDS).toBeLessThanOrEqual(HOLD_BOUND_SECONDS);
    const ttl = await storedTtlMs();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HOLD_BOUND_SECONDS * 1000);
    // another source on the origin is held by the record, with the same cause, without asking again
    await expect(w.robots.assertAllowed(`${origin}/other.xml`, { sourceId: 'b' })).rejects.toThrow('robots.txt answered 503');
    expect(robotsHits).toBe(1);
    await w.close();
  });

  it('a slow robots.txt under load: concurrent calls from two workers cause exactly one request', async () => {
    robotsMode = 'slow';
    const [a, b] = [worker(0), worker(1)];
    const calls = Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).robots.assertAllowed(`${origin}/${i % 3 ? '' : 'private/'}feed${i}.xml`, { sourceId: `s${i}` }));
    const results = await Promise.allSettled(calls);
    expect(robotsHits).toBe(1);
    // every caller got the one answer: /private/ is disallowed, the rest allowed
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 3 ? 'fulfilled' : 'rejected')));
    expect([...a.cache.sets, ...b.cache.sets]).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('a robots.txt that times out holds the other sources on its origin for no more than minutes', async () => {
    robotsMode = 'hang';
    const [a, b] = [worker(0, { timeoutMs: 300 }), worker(1, { timeoutMs: 300 })];
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).robots.assertAllowed(`${origin}/feed${i}.xml`, { sourceId: `s${i}` })));
    expect(robotsHits).toBe(1);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(RobotsError);
      expect(err.retryable).toBe(true);
      expect(err.message).toContain('robots.txt unreachable: timed out');
    }
    const ttl = await storedTtlMs();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HOLD_BOUND_SECONDS * 1000);
    // a source on the origin that comes later is held by the record, without asking again
    await expect(a.robots.assertAllowed(`${origin}/later.xml`, { sourceId: 'later' })).rejects.toThrow('robots.txt unreachable: timed out');
    expect(robotsHits).toBe(1);
    await Promise.all([a.close(), b.close()]);
    server.closeAllConnections();
  });

  it("the host gate's own timeout does not poison the cache", async () => {
    robotsMode = '404';
    const w = worker(0, { limits: { concurrency: 1, intervalMs: 0, leaseMs: 10_000, maxWaitMs: 200 } });
    const host = new URL(origin).host;
    // another worker holds the host's only slot
    expect(await w.slots.trySlot(host, 'other-worker', w.limits)).toEqual({ granted: true });
    const err = await w.robots.assertAllowed(`${origin}/feed.xml`, { sourceId: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostBusyError);
    expect(err).not.toBeInstanceOf(RobotsError);
    expect(w.cache.sets).toEqual([]);
    expect(await w.cache.get(origin)).toBeUndefined();
    expect(robotsHits).toBe(0);
    // once the slot is free, robots.txt is asked and decides
    await w.slots.releaseSlot(host, 'other-worker');
    await expect(w.robots.assertAllowed(`${origin}/feed.xml`, { sourceId: 'a' })).resolves.toBeUndefined();
    expect(robotsHits).toBe(1);
    await w.close();
  });
});
