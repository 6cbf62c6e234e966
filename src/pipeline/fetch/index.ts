import type { HttpClient } from './client.js';
import { decodeBody } from './charset.js';
import { buildRequestHeaders, type Validators } from './request.js';
import { classifyStatus, type FetchOutcome } from './response.js';

export type { FetchOutcome } from './response.js';
export type { Validators } from './request.js';

/**
 * Fetches one source URL conditionally and decodes the body to text.
 * Throws FetchError; a 304 is an outcome, not an error.
 */
export async function fetchSource(
  target: { sourceId: string; url: string },
  validators: Validators | undefined,
  client: HttpClient,
  userAgent: string,
  now = Date.now(),
): Promise<FetchOutcome> {
  const res = await client.get(target.url, buildRequestHeaders(validators, userAgent, now), { sourceId: target.sourceId });
  if (classifyStatus(res.status, { sourceId: target.sourceId, url: res.url, retryAfter: res.headers['retry-after'] }) === 'not-modified') {
    return { kind: 'not-modified', url: res.url };
  }
  const contentType = res.headers['content-type'];
  const { text, encoding } = decodeBody(res.body, contentType);
  return {
    kind: 'fetched',
    url: res.url,
    status: res.status,
    contentType,
    text,
    encoding,
    validators: { etag: res.headers.etag, lastModified: res.headers['last-modified'], fullFetchAt: new Date(now).toISOString() },
  };
}
