import { UnrecoverableError } from 'bullmq';
import { FetchError, RegionradarError } from '../errors.js';

/** Attempts for an ingest job before the scheduler's next run takes over. */
export const INGEST_ATTEMPTS = 3;
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

/** Delay asked for by the server (Retry-After), in ms, if any. */
export function retryDelayMs(err: unknown): number | undefined {
  return err instanceof FetchError && err.retryAfter !== undefined ? err.retryAfter * 1000 : undefined;
}
