import { FetchError } from '../../errors.js';
import type { Validators } from './request.js';

export type FetchOutcome =
  | { kind: 'fetched'; url: string; status: number; contentType?: string; text: string; encoding: string; validators: Validators }
  | { kind: 'not-modified'; url: string };

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), if present and sane. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

/**
 * Classifies a final (non-redirect) status into success, not-modified, or a FetchError whose
 * `retryable` says whether trying again later can help. Pure.
 */
export function classifyStatus(status: number, ctx: { sourceId?: string; url: string; retryAfter?: string }): 'ok' | 'not-modified' {
  if (status === 304) return 'not-modified';
  if (status >= 200 && status < 300) return 'ok';
  const retryAfter = parseRetryAfter(ctx.retryAfter);
  // 408, 429 and 5xx are the server's momentary trouble; other 4xx will not change by retrying soon.
  const retryable = status === 408 || status === 429 || status >= 500;
  throw new FetchError(`HTTP ${status}`, { sourceId: ctx.sourceId, url: ctx.url, status, retryable, retryAfter });
}
