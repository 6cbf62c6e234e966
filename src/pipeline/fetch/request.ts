/** Validators from the previous successful fetch of a source (kept in the shared state store). */
export interface Validators {
  etag?: string;
  lastModified?: string;
  /** When the last full (200) fetch happened, ISO-8601. */
  fullFetchAt?: string;
}

/**
 * Some servers wrongly keep answering 304 for ever; tt-rss forces a full fetch every 12 hours, and so
 * do we.
 */
export const FORCE_FULL_FETCH_AFTER_MS = 12 * 3_600_000;

/** Builds the headers of a (conditional) GET. Pure. */
export function buildRequestHeaders(validators: Validators | undefined, userAgent: string, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5',
    'accept-encoding': 'gzip, deflate, br',
  };
  const stale = !validators?.fullFetchAt || now - Date.parse(validators.fullFetchAt) > FORCE_FULL_FETCH_AFTER_MS;
  if (validators && !stale) {
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  }
  return headers;
}
