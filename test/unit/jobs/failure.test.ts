import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { FetchError, HostBusyError, NotFoundError, ParseError, PayloadError, RobotsError, StoreError, UnavailableError } from '../../../src/errors.js';
import { classifyIngestFailure, countsAgainstSource, type IngestFailure } from '../../../src/jobs/failure.js';
import { toIngestJobError } from '../../../src/queue/retry.js';

const ctx = { sourceId: 's', url: 'https://example.org/feed' };

describe('classifyIngestFailure: one decision per error type, at the ingest boundary', () => {
  it.each<[string, unknown, IngestFailure]>([
    // the site's own trouble: counts toward backoff and pause
    ['a timeout', new FetchError('timed out', { ...ctx, retryable: true }), 'source'],
    ['HTTP 503', new FetchError('HTTP 503', { ...ctx, status: 503, retryable: true }), 'source'],
    ['HTTP 429 with Retry-After', new FetchError('HTTP 429', { ...ctx, status: 429, retryable: true, retryAfter: 60 }), 'source'],
    ['HTTP 403', new FetchError('HTTP 403', { ...ctx, status: 403, retryable: false }), 'source'],
    ['a refused private address', new FetchError('refused private address 10.0.0.1', { ...ctx, retryable: false }), 'source'],
    ['a malformed document', new ParseError('not a feed', ctx), 'source'],
    ['robots.txt disallowing', new RobotsError('disallowed', { ...ctx, retryable: false }), 'source'],
    ['robots.txt unreachable', new RobotsError('robots.txt answered 503', { ...ctx, retryable: true }), 'source'],
    // the feed is gone: marked so, with the reason
    ['HTTP 404', new FetchError('HTTP 404', { ...ctx, status: 404, retryable: false }), 'gone'],
    ['HTTP 410', new FetchError('HTTP 410', { ...ctx, status: 410, retryable: false }), 'gone'],
    // ours: never counts against the source, retried soon
    ['our host gate timing out', new HostBusyError('host busy', ctx), 'infrastructure'],
    ['Redis not answering', new UnavailableError('redis', 'Connection is closed.'), 'infrastructure'],
    ['the store failing', new StoreError('SQLITE_BUSY'), 'infrastructure'],
    // programming errors: logged with their stack
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')"), 'bug'],
    ['a thrown string', 'boom', 'bug'],
    ['a source no longer configured', new NotFoundError('no source "x"'), 'bug'],
    ['bad job data', new PayloadError('job 1 has invalid data'), 'bug'],
  ])('%s → %s', (_, err, kind) => {
    expect(classifyIngestFailure(err)).toBe(kind);
  });

  it('counts only the source’s own faults against it', () => {
    expect((['source', 'gone', 'infrastructure', 'bug'] as const).filter(countsAgainstSource)).toEqual(['source', 'gone']);
  });

  it('lets BullMQ retry only infrastructure failures; the scheduler owns retrying a source', () => {
    expect(toIngestJobError(new UnavailableError('redis', 'down'))).not.toBeInstanceOf(UnrecoverableError);
    expect(toIngestJobError(new HostBusyError('busy', ctx))).not.toBeInstanceOf(UnrecoverableError);
    expect(toIngestJobError(new FetchError('HTTP 503', { ...ctx, status: 503, retryable: true }))).toBeInstanceOf(UnrecoverableError);
    expect(toIngestJobError(new TypeError('x'))).toBeInstanceOf(UnrecoverableError);
  });
});
