import { UnrecoverableError } from 'bullmq';
import { RegionradarError } from '../errors.js';
import { classifyIngestFailure } from '../jobs/failure.js';

/**
 * An ingest job retries only our own infrastructure's failures (Redis, the host gate, the store), soon
 * and a few times. A failed fetch is the scheduler's business, with the backoff of sources/health.ts,
 * so a struggling server is not hit again within seconds.
 */
export const INGEST_ATTEMPTS = 5;
export const INGEST_BACKOFF = { type: 'exponential', delay: 5_000 } as const;

/**
 * Enrich jobs carry articles not yet stored: they are retried until the store takes them. 30 attempts
 * at a delay doubling from 1 s up to a minute ride out about 25 minutes of a store or search engine down.
 */
export const ENRICH_ATTEMPTS = 30;
export const ENRICH_BACKOFF = { type: 'capped' } as const;
export const ENRICH_MAX_DELAY_MS = 60_000;

/** The worker-side backoff strategy named `capped`: 1 s, 2 s, 4 s … up to ENRICH_MAX_DELAY_MS. */
export function cappedBackoff(attemptsMade: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, attemptsMade - 1), ENRICH_MAX_DELAY_MS);
}

/**
 * How often a job may be found stalled (its worker died or lost Redis mid-job) before it fails. BullMQ's
 * default of 1 turned a few worker crashes into articles lost for good; a job is put back after each
 * crash, and only one that kills its worker this many times (a poison job) is given up on.
 */
export const MAX_STALLED_COUNT = 25;

/**
 * Maps an error to what BullMQ should do, by type: errors that cannot get better by retrying become
 * UnrecoverableError (no further attempts); others are rethrown for BullMQ's backoff. The one place
 * retry policy lives.
 */
export function toJobError(err: unknown): Error {
  if (err instanceof RegionradarError && !err.retryable) return unrecoverable(err);
  return err instanceof Error ? err : new Error(String(err));
}

/** An ingest failure: retried only when it was our infrastructure's (see jobs/failure.ts). */
export function toIngestJobError(err: unknown): Error {
  if (classifyIngestFailure(err) !== 'infrastructure') return unrecoverable(err);
  return err instanceof Error ? err : new Error(String(err));
}

function unrecoverable(err: unknown): UnrecoverableError {
  const e = new UnrecoverableError((err as Error)?.message ?? String(err));
  e.cause = err;
  return e;
}
