import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, deliveryId, signPayload, verifySignature } from '../../../src/webhooks/sign.js';

const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I';
const body = '{"webhook":"hook-1","articles":[]}';
const ts = 1_796_022_000;

describe('signPayload', () => {
  it('signs timestamp "." body with HMAC-SHA256 and names the delivery', () => {
    const headers = signPayload(secret, body, { deliveryId: 'hook-1.20261130T073000000Z', timestamp: ts });
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(headers).toEqual({
      [TIMESTAMP_HEADER]: String(ts),
      [SIGNATURE_HEADER]: `sha256=${expected}`,
      [DELIVERY_HEADER]: 'hook-1.20261130T073000000Z',
    });
  });

  it('signs bytes as it signs the same text', () => {
    const a = signPayload(secret, body, { deliveryId: 'd', timestamp: ts });
    const b = signPayload(secret, Buffer.from(body), { deliveryId: 'd', timestamp: ts });
    expect(a).toEqual(b);
  });

  it('delivery ids: the webhook and the window end, stable for one window', () => {
    expect(deliveryId('hook-1', '2026-11-30T07:30:00.000Z')).toBe('hook-1.20261130T073000000Z');
    expect(deliveryId('hook-1', '2026-11-30T07:30:00Z')).toBe(deliveryId('hook-1', '2026-11-30T07:30:00.000Z'));
    expect(deliveryId('hook-1', '2026-11-30T07:35:00.000Z')).not.toBe(deliveryId('hook-1', '2026-11-30T07:30:00.000Z'));
  });
});

describe('verifySignature', () => {
  const signed = signPayload(secret, body, { deliveryId: 'd', timestamp: ts });

  // accepted
  it('accepts its own signature, within the tolerance either way', () => {
    expect(verifySignature(secret, signed, body, 300, ts)).toBe(true);
    expect(verifySignature(secret, signed, body, 300, ts + 300)).toBe(true);
    expect(verifySignature(secret, signed, body, 300, ts - 300)).toBe(true);
    expect(verifySignature(secret, signed, Buffer.from(body), 300, ts)).toBe(true);
  });

  it('reads headers in any case, as node:http and fetch give them', () => {
    const lower = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifySignature(secret, lower, body, 300, ts)).toBe(true);
    expect(verifySignature(secret, new Headers(signed), body, 300, ts)).toBe(true);
    expect(verifySignature(secret, { ...lower, 'x-regionradar-signature': signed[SIGNATURE_HEADER]!.toUpperCase().replace('SHA256=', 'sha256=') }, body, 300, ts)).toBe(true);
  });

  it('accepts a fresh signature with the current clock by default', () => {
    expect(verifySignature(secret, signPayload(secret, body, { deliveryId: 'd' }), body, 300)).toBe(true);
  });

  // refused
  it('rejects a tampered body', () => {
    expect(verifySignature(secret, signed, body.replace('hook-1', 'hook-2'), 300, ts)).toBe(false);
    expect(verifySignature(secret, signed, `${body} `, 300, ts)).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verifySignature('another-secret', signed, body, 300, ts)).toBe(false);
  });

  it('rejects an old or future timestamp, and a timestamp changed to look fresh', () => {
    expect(verifySignature(secret, signed, body, 300, ts + 301)).toBe(false);
    expect(verifySignature(secret, signed, body, 300, ts - 301)).toBe(false);
    expect(verifySignature(secret, { ...signed, [TIMESTAMP_HEADER]: String(ts + 1000) }, body, 300, ts + 1000)).toBe(false);
  });

  it('rejects missing or malformed headers', () => {
    expect(verifySignature(secret, {}, body, 300, ts)).toBe(false);
    expect(verifySignature(secret, { ...signed, [SIGNATURE_HEADER]: 'sha1=abc' }, body, 300, ts)).toBe(false);
    expect(verifySignature(secret, { ...signed, [SIGNATURE_HEADER]: 'sha256=abc' }, body, 300, ts)).toBe(false);
    expect(verifySignature(secret, { ...signed, [TIMESTAMP_HEADER]: 'yesterday' }, body, 300, ts)).toBe(false);
    expect(verifySignature(secret, { [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] }, body, 300, ts)).toBe(false);
  });
});
