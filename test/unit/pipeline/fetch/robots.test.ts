import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROBOTS_TTL_SECONDS,
  ROBOTS_UNREACHABLE_TTL_SECONDS,
  createRobotsPolicy,
  robotsAllows,
  robotsRecordFor,
  type RobotsRecord,
} from '../../../../src/pipeline/fetch/robots.js';
import type { HttpClient, HttpResponse } from '../../../../src/pipeline/fetch/client.js';
import { FetchError, HostBusyError, RobotsError } from '../../../../src/errors.js';
import { createMemoryRobotsCache, recordingRobotsCache } from '../../../helpers/memory-robots-cache.js';

/** regjeringen.no's real robots.txt (../shared/fixtures/real, fetched 2026-07-04). */
const regjeringen: RobotsRecord = {
  kind: 'rules',
  text: readFileSync(join(import.meta.dirname, '../../../../../shared/fixtures/real/regjeringen-robots-2026-07-04.txt'), 'utf8'),
  fetchedAt: '2026-07-04T00:00:00Z',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ORIGIN = 'https://x.test';

/** An HttpClient that answers every robots.txt request with `answer` after `delayMs`, counting requests. */
function fakeHttp(answer: () => Promise<Partial<HttpResponse>> | Partial<HttpResponse>, delayMs = 0): HttpClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async get(url) {
      calls.push(url);
      await sleep(delayMs);
      return { url, status: 200, headers: {}, body: new Uint8Array(), ...(await answer()) };
    },
    close: async () => {},
  };
}

function policy(http: HttpClient, cache = recordingRobotsCache(createMemoryRobotsCache()), opts: { lockMs?: number } = {}) {
  return { cache, robots: createRobotsPolicy({ http, cache, userAgent: 'Regionradar/0.1', productToken: 'Regionradar', pollMs: 10, ...opts }) };
}

const body = (s: string) => new TextEncoder().encode(s);

describe('robotsAllows', () => {
  it.each([
    ['https://www.regjeringen.no/no/rss/Rss/2581966/?owner=504', true],
    ['https://www.regjeringen.no/no/dokument/hoyringar/id1763/', true],
    ['https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2', true],
    ['https://www.regjeringen.no/no/aktuelt/nyheter/id2006120/?ownerid=504', false],
    ['https://www.regjeringen.no/no/dokument/hoyringar/id1763/?documenttype=dokumenter/høringer', false],
  ])('regjeringen.no: %s → %s', (url, allowed) => {
    expect(robotsAllows(regjeringen, url, 'Regionradar')).toBe(allowed);
  });

  it('allows everything without a robots.txt and nothing while it cannot be read (RFC 9309)', () => {
    expect(robotsAllows({ kind: 'allow-all', fetchedAt: '' }, 'https://x.test/a', 'Regionradar')).toBe(true);
    expect(robotsAllows({ kind: 'disallow-all', fetchedAt: '' }, 'https://x.test/a', 'Regionradar')).toBe(false);
  });

  it('applies rules addressed to our product token', () => {
    const rec: RobotsRecord = { kind: 'rules', text: 'User-agent: Regionradar\nDisallow: /private/\n\nUser-agent: *\nDisallow: /', fetchedAt: '' };
    expect(robotsAllows(rec, 'https://x.test/news/', 'Regionradar')).toBe(true);
    expect(robotsAllows(rec, 'https://x.test/private/feed', 'Regionradar')).toBe(false);
    expect(robotsAllows(rec, 'https://x.test/news/', 'OtherBot')).toBe(false);
  });
});

describe('robotsRecordFor (RFC 9309 §2.3.1)', () => {
  it.each<[number, RobotsRecord['kind'], string | undefined]>([
    // §2.3.1.1 successful access: the rules
    [200, 'rules', undefined],
    // §2.3.1.3 unavailable: any 4xx allows everything
    [401, 'allow-all', undefined],
    [403, 'allow-all', undefined],
    [404, 'allow-all', undefined],
    [410, 'allow-all', undefined],
    // §2.3.1.4 unreachable: 5xx disallows everything for now, and says why
    [500, 'disallow-all', 'robots.txt answered 500'],
    [503, 'disallow-all', 'robots.txt answered 503'],
  ])('%i → %s', (status, kind, reason) => {
    const rec = robotsRecordFor(status, body('User-agent: *\nDisallow: /x'), 't');
    expect(rec.kind).toBe(kind);
    expect(rec.reason).toBe(reason);
    if (kind === 'rules') expect(rec.text).toBe('User-agent: *\nDisallow: /x');
  });
});

describe('createRobotsPolicy', () => {
  // what is cached, and for how long

  it('caches rules and a missing robots.txt for a day', async () => {
    for (const [status, text] of [[200, 'User-agent: *\nDisallow: /private/'], [404, 'Not Found']] as const) {
      const { robots, cache } = policy(fakeHttp(() => ({ status, body: body(text) })));
      await robots.assertAllowed(`${ORIGIN}/feed`, { sourceId: 's' });
      expect(cache.sets).toEqual([expect.objectContaining({ origin: ORIGIN, ttlSeconds: ROBOTS_TTL_SECONDS })]);
    }
  });

  it('holds the origin for minutes, not an hour, when robots.txt answers 5xx, and the error names the cause', async () => {
    const { robots, cache } = policy(fakeHttp(() => ({ status: 503 })));
    const err = await robots.assertAllowed(`${ORIGIN}/feed`, { sourceId: 's' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RobotsError);
    expect((err as RobotsError).retryable).toBe(true);
    expect((err as Error).message).toContain('robots.txt answered 503');
    expect((err as Error).message).toContain('source s');
    expect(cache.sets).toEqual([{ origin: ORIGIN, record: expect.objectContaining({ kind: 'disallow-all', reason: 'robots.txt answered 503' }), ttlSeconds: ROBOTS_UNREACHABLE_TTL_SECONDS }]);
    expect(ROBOTS_UNREACHABLE_TTL_SECONDS).toBeLessThanOrEqual(5 * 60);
  });

  it('holds the origin for minutes when robots.txt is unreachable, naming the network error', async () => {
    const http = fakeHttp(() => Promise.reject(new FetchError('timed out', { url: `${ORIGIN}/robots.txt`, retryable: true })));
    const { robots, cache } = policy(http);
    const err = await robots.assertAllowed(`${ORIGIN}/feed`, { sourceId: 's' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RobotsError);
    expect((err as RobotsError).retryable).toBe(true);
    expect((err as Error).message).toContain('robots.txt unreachable: timed out');
    expect(cache.sets.map((s) => s.ttlSeconds)).toEqual([ROBOTS_UNREACHABLE_TTL_SECONDS]);
    // another source on the origin is held by the cached record, without asking again
    await expect(robots.assertAllowed(`${ORIGIN}/other`, { sourceId: 't' })).rejects.toThrow('robots.txt unreachable: timed out');
    expect(http.calls).toHaveLength(1);
  });

  it('says so when a record cached by an older version carries no cause', async () => {
    const { robots, cache } = policy(fakeHttp(() => ({ status: 200 })));
    await cache.set(ORIGIN, { kind: 'disallow-all', fetchedAt: 't' }, 60);
    await expect(robots.assertAllowed(`${ORIGIN}/feed`, {})).rejects.toThrow('cause not recorded');
  });

  // failures that are not the site's: thrown as themselves, nothing cached

  it.each([
    ['a refused address (non-retryable FetchError)', new FetchError('refused private address 10.0.0.1', { retryable: false }), FetchError],
    ['our host gate timing out (HostBusyError)', new HostBusyError('host x.test is busy: no request slot within 30000 ms', {}), HostBusyError],
    ['anything else (Redis, a bug)', new Error('Connection is closed.'), Error],
  ])('%s surfaces as itself and does not hold the origin', async (_what, thrown, type) => {
    let fail = true;
    const http = fakeHttp(() => (fail ? Promise.reject(thrown) : { status: 404 }));
    const { robots, cache } = policy(http);
    const err = await robots.assertAllowed(`${ORIGIN}/feed`, { sourceId: 's' }).catch((e: unknown) => e);
    expect(err).toBe(thrown);
    expect(err).toBeInstanceOf(type);
    expect(err).not.toBeInstanceOf(RobotsError);
    expect(cache.sets).toEqual([]);
    expect(await cache.get(ORIGIN)).toBeUndefined();
    // nor does it hold the lock: the next call asks again at once
    fail = false;
    await robots.assertAllowed(`${ORIGIN}/feed`, { sourceId: 's' });
    expect(http.calls).toHaveLength(2);
  });

  // one request per origin at a time

  it('shares one in-flight request among concurrent calls for an origin in one process', async () => {
    const http = fakeHttp(() => ({ status: 200, body: body('User-agent: *\nDisallow: /private/') }), 50);
    const { robots, cache } = policy(http);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => robots.assertAllowed(`${ORIGIN}/${i % 2 ? 'private/' : ''}feed${i}`, {})));
    expect(http.calls).toEqual([`${ORIGIN}/robots.txt`]);
    // the others shared the flight rather than queueing on the shared lock
    expect(cache.lockAttempts).toEqual([ORIGIN]);
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? 'rejected' : 'fulfilled')));
  });

  it('lets workers sharing a cache wait for the one holding the lock, instead of asking too', async () => {
    const cache = recordingRobotsCache(createMemoryRobotsCache());
    const [one, two] = [fakeHttp(() => ({ status: 404 }), 80), fakeHttp(() => ({ status: 404 }), 80)];
    const workers = [policy(one, cache).robots, policy(two, cache).robots];
    await Promise.all(Array.from({ length: 10 }, (_, i) => workers[i % 2]!.assertAllowed(`${ORIGIN}/feed${i}`, {})));
    expect(one.calls.length + two.calls.length).toBe(1);
    expect(cache.sets).toHaveLength(1);
  });

  it('takes the record another worker writes while it waits', async () => {
    const cache = createMemoryRobotsCache();
    const http = fakeHttp(() => ({ status: 503 }));
    const { robots } = policy(http, recordingRobotsCache(cache));
    const other = (await cache.tryLock(ORIGIN, 10_000))!;
    setTimeout(() => void cache.set(ORIGIN, { kind: 'allow-all', fetchedAt: 't' }, 60).then(() => cache.unlock(ORIGIN, other)), 50);
    await robots.assertAllowed(`${ORIGIN}/feed`, {});
    expect(http.calls).toEqual([]);
  });

  it('asks itself once the lock of a worker that died mid-request expires', async () => {
    const cache = createMemoryRobotsCache();
    const http = fakeHttp(() => ({ status: 404 }));
    const { robots } = policy(http, recordingRobotsCache(cache), { lockMs: 1_000 });
    await cache.tryLock(ORIGIN, 100);
    const started = Date.now();
    await robots.assertAllowed(`${ORIGIN}/feed`, {});
    expect(http.calls).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits no longer than its own lock time, then asks itself', async () => {
    const cache = createMemoryRobotsCache();
    const http = fakeHttp(() => ({ status: 404 }));
    const { robots } = policy(http, recordingRobotsCache(cache), { lockMs: 150 });
    // a lock held far longer than this policy would ever hold one
    await cache.tryLock(ORIGIN, 60_000);
    const started = Date.now();
    await robots.assertAllowed(`${ORIGIN}/feed`, {});
    expect(http.calls).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
