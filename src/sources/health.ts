import type { SourceHealth } from '../model/source.js';
import type { Source } from './schema.js';
import { createHash } from 'node:crypto';

/**
 * After this many failures in a row a source counts as paused: /api/sources says so and why, and it
 * is tried only at the slowest backoff until a fetch succeeds or the operator resumes it. (Miniflux
 * stops for good after 3 errors; a government site down for a week should come back on its own.)
 */
export const PAUSE_AFTER_FAILURES = 5;
/** NewsBlur's cap: a failing source is still tried at least weekly. */
export const MAX_BACKOFF_MS = 7 * 86_400_000;
/** Scheduled runs fire a little early or late against the recorded fetch time; this much slack avoids skipping a run that is due. */
const SCHEDULE_SLACK = 0.9;

/**
 * A stable share 0..1 per source id: the jitter is random across sources but the same on every
 * start, so re-syncing schedulers does not move them (NewsBlur adds 0–25% random jitter).
 */
export function jitterShare(sourceId: string): number {
  return createHash('sha1').update(sourceId).digest().readUInt32BE(0) / 2 ** 32;
}

/** Up to this share is added to a backoff, so sources that failed together (one host down) do not return together. */
export const BACKOFF_JITTER = 0.25;

/**
 * Wait after `failures` failures in a row: the interval, doubled per further failure, capped, plus
 * `share` (0..1, stable per source: jitterShare) of BACKOFF_JITTER.
 */
export function backoffMs(everyMs: number, failures: number, share = 0): number {
  if (failures <= 0) return 0;
  return Math.min(everyMs * 2 ** Math.min(failures - 1, 30), MAX_BACKOFF_MS) * (1 + BACKOFF_JITTER * share);
}

export function pauseReason(health: SourceHealth | undefined): string | undefined {
  if (!health) return undefined;
  if (health.operatorPause) return `paused by the operator: ${health.operatorPause}`;
  if (health.consecutiveFailures >= PAUSE_AFTER_FAILURES) {
    return `paused after ${health.consecutiveFailures} failed fetches in a row; last error: ${health.lastError ?? 'unknown'}`;
  }
  return undefined;
}

export type FetchDecision = { fetch: true } | { fetch: false; reason: string; until?: string };

/**
 * Whether a scheduled run should fetch now. Operator pauses hold until resumed; a server's
 * Retry-After is a floor; failures back off exponentially. Explicit runs (`force`) skip the backoff
 * but never an operator's pause. Pure.
 */
export function decideFetch(source: Source, health: SourceHealth | undefined, now: number, force = false): FetchDecision {
  if (!health) return { fetch: true };
  if (health.operatorPause) return { fetch: false, reason: pauseReason(health)! };
  if (force) return { fetch: true };
  if (health.notBefore && now < Date.parse(health.notBefore)) {
    return { fetch: false, reason: 'the server asked us to wait (Retry-After)', until: health.notBefore };
  }
  if (health.consecutiveFailures > 0 && health.lastFetchAt) {
    const wait = backoffMs(source.schedule.every, health.consecutiveFailures, jitterShare(source.id));
    const until = Date.parse(health.lastFetchAt) + wait * SCHEDULE_SLACK;
    if (now < until) {
      return { fetch: false, reason: `backing off after ${health.consecutiveFailures} failed fetches`, until: new Date(until).toISOString() };
    }
  }
  return { fetch: true };
}
