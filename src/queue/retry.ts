import { UnrecoverableError } from 'bullmq';
import { RegionradarError } from '../errors.js';

/**
 * An ingest job runs once: retrying a failed fetch is the scheduler's business, with the backoff of
 * sources/health.ts, so a struggling server is not hit again within seconds.
 */
export const INGEST_ATTEMPTS = 1;
export const ENRICH_ATTEMPTS = 5;

/**
 * Maps an error to what BullMQ should do, by type: errors that cannot get better by retrying become
 * UnrecoverableError (no further attempts); others are rethrown for BullMQ's backoff. The one place
 * retry policy lives.
 */
export function toJobError(err: unknown): Error {
  if (err instanceof RegionradarError && !err.retryable) {
    const e = new UnrecoverableError(err.message);
    e.cause = err;
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}
