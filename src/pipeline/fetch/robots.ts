import { createRequire } from 'node:module';

// robots-parser is CommonJS whose typings declare an ES default export; under NodeNext that does not
// type-check as callable, so it is loaded as what it is.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => { isAllowed(url: string, ua?: string): boolean | undefined };
import { FetchError, RobotsError } from '../../errors.js';
import type { HttpClient } from './client.js';

/** What is remembered of one origin's robots.txt. */
export interface RobotsRecord {
  /** 'rules': text holds robots.txt; 'allow-all': none exists (4xx); 'disallow-all': unreachable (5xx, network). */
  kind: 'rules' | 'allow-all' | 'disallow-all';
  text?: string;
  /** Why the origin is 'disallow-all' ("robots.txt answered 503"), so that the error and /api/sources say it. */
  reason?: string;
  fetchedAt: string;
}

/**
 * robots.txt records per origin, shared by every worker, and a short per-origin lock so that one
 * worker asks robots.txt while the others wait for its record. Adapters pass
 * test/contract/robots-cache.contract.ts.
 */
export interface RobotsCache {
  get(origin: string): Promise<RobotsRecord | undefined>;
  /** Stores the record; it is gone after `ttlSeconds`. */
  set(origin: string, record: RobotsRecord, ttlSeconds: number): Promise<void>;
  /** Takes the origin's lock for `ttlMs` when nobody holds it; answers the token that unlocks it, else undefined. */
  tryLock(origin: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock if `token` still holds it: an expired lock another worker took stays theirs. */
  unlock(origin: string, token: string): Promise<void>;
}

/** RFC 9309 §2.4: a cached robots.txt should not be used for more than 24 hours. */
export const ROBOTS_TTL_SECONDS = 24 * 3600;
/**
 * A robots.txt answering 5xx or unreachable disallows its origin (RFC 9309 §2.3.1.4, which sets no
 * period) for this long, then it is asked again. Five minutes, not an hour: one error under load
 * must not stop every source on the origin for a good part of their usual 30 min schedule, and
 * one request per origin per five minutes from all workers together still spares a struggling server.
 */
export const ROBOTS_UNREACHABLE_TTL_SECONDS = 5 * 60;
/** RFC 9309 §2.5: parsers must read at least 500 KiB; anything beyond is ignored. */
const ROBOTS_MAX_CHARS = 500 * 1024;
/** Longest one worker's robots.txt request holds the origin's lock: the host gate's default 30 s wait plus the default 20 s fetch timeout, with room. */
const DEFAULT_LOCK_MS = 60_000;
/** How often a worker waiting for another's robots.txt looks for the record: one cheap GET per waiting process. */
const DEFAULT_POLL_MS = 200;

/**
 * The verdict for one URL from a robots record (RFC 9309 §2.3.1): rules decide when there are rules,
 * a missing robots.txt allows everything, an unreachable one disallows everything for now. Pure.
 */
export function robotsAllows(record: RobotsRecord, url: string, productToken: string): boolean {
  if (record.kind === 'allow-all') return true;
  if (record.kind === 'disallow-all') return false;
  const origin = new URL(url).origin;
  return robotsParser(`${origin}/robots.txt`, (record.text ?? '').slice(0, ROBOTS_MAX_CHARS)).isAllowed(url, productToken) !== false;
}

/** The record a robots.txt answer means (RFC 9309 §2.3.1.2–4); redirects were followed by the client. Pure. */
export function robotsRecordFor(status: number, body: Uint8Array, fetchedAt: string): RobotsRecord {
  if (status >= 200 && status < 300) return { kind: 'rules', text: Buffer.from(body).toString('utf8'), fetchedAt };
  if (status >= 400 && status < 500) return { kind: 'allow-all', fetchedAt };
  return { kind: 'disallow-all', reason: `robots.txt answered ${status}`, fetchedAt };
}

export interface RobotsPolicy {
  /** Throws RobotsError when robots.txt forbids the URL to us, or cannot be read (then retryable). */
  assertAllowed(url: string, ctx: { sourceId?: string }): Promise<void>;
}

export interface RobotsPolicyDeps {
  http: HttpClient;
  cache: RobotsCache;
  userAgent: string;
  /** The User-Agent's product name, which robots.txt groups address. */
  productToken: string;
  /** How long a robots.txt request holds its origin's lock; at least the HTTP client's host wait plus its timeout. */
  lockMs?: number;
  pollMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

/**
 * robots.txt through the shared HTTP client (so the same address checks, caps, timeouts and host
 * gate apply), cached per origin for every worker. One request per origin at a time: calls in this
 * process share one in flight, and across processes the cache's lock makes the others wait for the
 * first one's record.
 *
 * @example
 *   const robots = createRobotsPolicy({ http, cache: createRedisRobotsCache(redis, 'rr'), userAgent, productToken: 'Regionradar' });
 *   await robots.assertAllowed('https://www.regjeringen.no/no/rss/Rss/2581966/', { sourceId: 'kdd' });
 */
export function createRobotsPolicy(deps: RobotsPolicyDeps): RobotsPolicy {
  const lockMs = deps.lockMs ?? DEFAULT_LOCK_MS;
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  const inFlight = new Map<string, Promise<RobotsRecord>>();

  /** Asks robots.txt and caches what it means. Failures that say nothing about the site are thrown, not cached. */
  async function fetchRecord(origin: string): Promise<RobotsRecord> {
    const fetchedAt = new Date().toISOString();
    let rec: RobotsRecord;
    try {
      // No sourceId: the record is the origin's, and its reason is shown for every source there.
      const res = await deps.http.get(`${origin}/robots.txt`, { 'user-agent': deps.userAgent, accept: 'text/plain' });
      rec = robotsRecordFor(res.status, res.body, fetchedAt);
    } catch (err) {
      // Only a retryable FetchError (network error, timeout) is the site being unreachable. A refused
      // address surfaces as itself; our own host gate (HostBusyError), Redis or a bug say nothing about
      // the site and must not hold its origin.
      if (!(err instanceof FetchError) || !err.retryable) throw err;
      rec = { kind: 'disallow-all', reason: `robots.txt unreachable: ${err.message}`, fetchedAt };
    }
    const ttl = rec.kind === 'disallow-all' ? ROBOTS_UNREACHABLE_TTL_SECONDS : ROBOTS_TTL_SECONDS;
    await deps.cache.set(origin, rec, ttl);
    if (rec.kind === 'disallow-all') deps.log?.warn({ origin, reason: rec.reason, holdSeconds: ttl }, 'robots.txt could not be read; fetching from the origin waits');
    return rec;
  }

  /** Fetches under the origin's lock, or waits (bounded) for the worker that holds it; fetches itself if that worker never writes. */
  async function fetchOnce(origin: string): Promise<RobotsRecord> {
    const deadline = Date.now() + lockMs + pollMs;
    for (;;) {
      const token = await deps.cache.tryLock(origin, lockMs);
      if (token) {
        try {
          // The holder before us may have written and unlocked between our read and our lock.
          return (await deps.cache.get(origin)) ?? (await fetchRecord(origin));
        } finally {
          // A lock that cannot be released expires by itself.
          await deps.cache.unlock(origin, token).catch(() => {});
        }
      }
      // The lock expires after lockMs, so only others taking it over again and again get here.
      if (Date.now() >= deadline) return fetchRecord(origin);
      await new Promise((r) => setTimeout(r, pollMs));
      const rec = await deps.cache.get(origin);
      if (rec) return rec;
    }
  }

  async function record(origin: string): Promise<RobotsRecord> {
    const cached = await deps.cache.get(origin);
    if (cached) return cached;
    let flight = inFlight.get(origin);
    if (!flight) {
      flight = fetchOnce(origin).finally(() => inFlight.delete(origin));
      inFlight.set(origin, flight);
    }
    return flight;
  }

  return {
    async assertAllowed(url, ctx) {
      const origin = new URL(url).origin;
      const rec = await record(origin);
      if (!robotsAllows(rec, url, deps.productToken)) {
        throw new RobotsError(
          rec.kind === 'disallow-all'
            ? `robots.txt of ${origin} could not be read (${rec.reason ?? 'cause not recorded'}); fetching waits until it can`
            : `robots.txt of ${origin} disallows this URL`,
          { sourceId: ctx.sourceId, url, retryable: rec.kind === 'disallow-all' },
        );
      }
    },
  };
}
