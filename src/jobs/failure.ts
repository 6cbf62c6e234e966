import { FetchError, HostBusyError, ParseError, RobotsError, StoreError, UnavailableError } from '../errors.js';

/**
 * What an ingest failure says, decided once, by type, at the ingest boundary:
 * - `source`: the site's trouble (timeouts, 5xx, 429, refused address, malformed document, robots.txt):
 *   counts toward the source's backoff and pause; the scheduler tries again later.
 * - `gone`: the feed's URL answered 404 or 410; the source is marked gone with that reason (and backs off).
 * - `infrastructure`: our own Redis, queue, host gate or store failed; the source's health is untouched
 *   and the job is retried soon.
 * - `bug`: anything else is a programming error: logged with its stack; the source's health is untouched.
 */
export type IngestFailure = 'source' | 'gone' | 'infrastructure' | 'bug';

export function classifyIngestFailure(err: unknown): IngestFailure {
  if (err instanceof HostBusyError || err instanceof UnavailableError || err instanceof StoreError) return 'infrastructure';
  if (err instanceof FetchError) return err.status === 404 || err.status === 410 ? 'gone' : 'source';
  if (err instanceof ParseError || err instanceof RobotsError) return 'source';
  return 'bug';
}

/** Whether a failure counts against the source's health. */
export const countsAgainstSource = (kind: IngestFailure): boolean => kind === 'source' || kind === 'gone';
