import { describe, expect, it } from 'vitest';
import { buildRequestHeaders, FORCE_FULL_FETCH_AFTER_MS } from '../../../../src/pipeline/fetch/request.js';
import { classifyStatus, parseRetryAfter } from '../../../../src/pipeline/fetch/response.js';
import { FetchError } from '../../../../src/errors.js';

const now = Date.parse('2026-11-22T12:00:00Z');

describe('buildRequestHeaders', () => {
  it('sends no validators on a first fetch', () => {
    const h = buildRequestHeaders(undefined, 'UA', now);
    expect(h['if-none-match']).toBeUndefined();
    expect(h['user-agent']).toBe('UA');
    expect(h['accept-encoding']).toContain('gzip');
  });

  it('sends ETag and Last-Modified from the previous fetch', () => {
    const h = buildRequestHeaders({ etag: '"abc"', lastModified: 'Sat, 01 Nov 2026 00:00:00 GMT', fullFetchAt: new Date(now - 3_600_000).toISOString() }, 'UA', now);
    expect(h['if-none-match']).toBe('"abc"');
    expect(h['if-modified-since']).toBe('Sat, 01 Nov 2026 00:00:00 GMT');
  });

  it('forces a full fetch when the last full one is older than 12 hours', () => {
    const h = buildRequestHeaders({ etag: '"abc"', fullFetchAt: new Date(now - FORCE_FULL_FETCH_AFTER_MS - 1).toISOString() }, 'UA', now);
    expect(h['if-none-match']).toBeUndefined();
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'ok'],
    [203, 'ok'],
    [304, 'not-modified'],
  ])('%i is %s', (status, expected) => {
    expect(classifyStatus(status, { url: 'https://x.test/' })).toBe(expected);
  });

  it.each([
    [404, false],
    [410, false],
    [403, false],
    [429, true],
    [503, true],
    [500, true],
    [408, true],
  ])('%i throws a FetchError, retryable %s', (status, retryable) => {
    try {
      classifyStatus(status, { url: 'https://x.test/feed', sourceId: 's1' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).retryable).toBe(retryable);
      expect((err as FetchError).status).toBe(status);
      expect((err as FetchError).message).toContain('source s1');
      expect((err as FetchError).message).toContain('https://x.test/feed');
    }
  });

  it('carries Retry-After in seconds', () => {
    try {
      classifyStatus(429, { url: 'https://x.test/', retryAfter: '120' });
    } catch (err) {
      expect((err as FetchError).retryAfter).toBe(120);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
