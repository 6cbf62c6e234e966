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
  fetchedAt: string;
}

export interface RobotsCache {
  get(origin: string): Promise<RobotsRecord | undefined>;
  set(origin: string, record: RobotsRecord, ttlSeconds: number): Promise<void>;
}

/** RFC 9309 §2.4: a cached robots.txt should not be used for more than 24 hours. */
export const ROBOTS_TTL_SECONDS = 24 * 3600;
/** An unreachable robots.txt is asked again sooner: the server may just be having a bad hour. */
export const ROBOTS_UNREACHABLE_TTL_SECONDS = 3600;
/** RFC 9309 §2.5: parsers must read at least 500 KiB; anything beyond is ignored. */
const ROBOTS_MAX_CHARS = 500 * 1024;

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

export interface RobotsPolicy {
  /** Throws RobotsError when robots.txt forbids the URL to us. */
  assertAllowed(url: string, ctx: { sourceId?: string }): Promise<void>;
}

/**
 * robots.txt through the shared HTTP client (so the same address checks, caps and timeouts apply),
 * cached per origin for every worker. `productToken` is the User-Agent's product name.
 */
export function createRobotsPolicy(deps: { http: HttpClient; cache: RobotsCache; userAgent: string; productToken: string }): RobotsPolicy {
  async function record(origin: string, sourceId?: string): Promise<RobotsRecord> {
    const cached = await deps.cache.get(origin);
    if (cached) return cached;
    const fetchedAt = new Date().toISOString();
    let rec: RobotsRecord;
    try {
      const res = await deps.http.get(`${origin}/robots.txt`, { 'user-agent': deps.userAgent, accept: 'text/plain' }, { sourceId });
      if (res.status >= 200 && res.status < 300) rec = { kind: 'rules', text: Buffer.from(res.body).toString('utf8'), fetchedAt };
      else if (res.status >= 400 && res.status < 500) rec = { kind: 'allow-all', fetchedAt };
      else rec = { kind: 'disallow-all', fetchedAt };
    } catch (err) {
      // A refused address is the fetch's own verdict, not robots.txt's: let it surface as itself.
      if (err instanceof FetchError && !err.retryable) throw err;
      rec = { kind: 'disallow-all', fetchedAt };
    }
    await deps.cache.set(origin, rec, rec.kind === 'disallow-all' ? ROBOTS_UNREACHABLE_TTL_SECONDS : ROBOTS_TTL_SECONDS);
    return rec;
  }

  return {
    async assertAllowed(url, ctx) {
      const origin = new URL(url).origin;
      const rec = await record(origin, ctx.sourceId);
      if (!robotsAllows(rec, url, deps.productToken)) {
        throw new RobotsError(
          rec.kind === 'disallow-all' ? `robots.txt of ${origin} could not be read; fetching waits until it can` : `robots.txt of ${origin} disallows this URL`,
          { sourceId: ctx.sourceId, url, retryable: rec.kind === 'disallow-all' },
        );
      }
    },
  };
}
