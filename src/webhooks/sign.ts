import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed deliveries, the scheme Stripe and GitHub made familiar: the receiver recomputes
 * HMAC-SHA256(secret, `${timestamp}.${body}`) over the raw body and compares. The timestamp inside the
 * MAC lets it refuse a replayed request; the delivery id lets it drop a retry it already handled.
 */
export const TIMESTAMP_HEADER = 'X-Regionradar-Timestamp';
export const SIGNATURE_HEADER = 'X-Regionradar-Signature';
export const DELIVERY_HEADER = 'X-Regionradar-Delivery';

/**
 * How far a signature's timestamp may be from the receiver's clock: five minutes, Stripe's default,
 * enough for clock skew and a slow network, short enough that a captured request goes stale.
 */
export const DEFAULT_TOLERANCE_S = 300;

/**
 * The id of one window's delivery: the webhook id and the window end. Stable across retries of that
 * window (its end is fixed at the first claim), so a receiver can de-duplicate.
 *
 * @example deliveryId('k3Jq…', '2026-11-30T07:00:00.000Z') // → 'k3Jq….20261130T070000000Z'
 */
export function deliveryId(webhookId: string, windowEnd: string): string {
  return `${webhookId}.${new Date(windowEnd).toISOString().replace(/[-:.]/g, '')}`;
}

const mac = (secret: string, timestamp: string, body: string | Uint8Array) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/**
 * The headers that sign `body` for a receiver holding `secret`.
 *
 * @example
 *   signPayload(secret, '{"webhook":"…"}', { deliveryId: 'k3Jq….20261130T070000000Z', timestamp: 1796022000 })
 *   // → { 'X-Regionradar-Timestamp': '1796022000', 'X-Regionradar-Signature': 'sha256=5f0c…', 'X-Regionradar-Delivery': 'k3Jq….20261130T070000000Z' }
 */
export function signPayload(
  secret: string,
  body: string | Uint8Array,
  opts: { deliveryId: string; timestamp?: number },
): Record<string, string> {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `sha256=${mac(secret, timestamp, body)}`,
    [DELIVERY_HEADER]: opts.deliveryId,
  };
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * True when `body` carries a valid signature by `secret` made within `toleranceS` seconds of `nowS`.
 * Compares in constant time. `body` must be the raw bytes received, before any JSON parsing.
 *
 * @example
 *   // in a node:http receiver, after reading the body into `raw`
 *   if (!verifySignature(secret, req.headers, raw, 300)) return res.writeHead(401).end();
 */
export function verifySignature(
  secret: string,
  headers: HeaderBag,
  body: string | Uint8Array,
  toleranceS: number = DEFAULT_TOLERANCE_S,
  nowS: number = Date.now() / 1000,
): boolean {
  const timestamp = header(headers, TIMESTAMP_HEADER)?.trim();
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header(headers, SIGNATURE_HEADER)?.trim() ?? '')?.[1];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !given) return false;
  if (Math.abs(nowS - Number(timestamp)) > toleranceS) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(mac(secret, timestamp, body), 'hex'));
}
