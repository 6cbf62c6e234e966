import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links in e-mails: `confirm` (double opt-in, expires) and `manage` (the manage page and
 * one-click unsubscribe, valid while the subscription exists). HMAC-SHA256 over SECRET_KEY; nothing is
 * stored, so a token cannot leak from the database, and changing SECRET_KEY invalidates every link.
 */
export type TokenPurpose = 'confirm' | 'manage';

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriptionId: string;
  /** Unix seconds; absent for tokens that do not expire. */
  expires?: number;
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

export function signToken(secret: string, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.purpose, claims.subscriptionId, claims.expires ?? 0])).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a token signed with `secret` for `purpose`, unexpired at `nowMs`; undefined otherwise (forged, altered, expired, other purpose). */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose, nowMs = Date.now()): TokenClaims | undefined {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return undefined;
  const want = mac(secret, payload);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  try {
    const [p, id, expires] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (p !== purpose || typeof id !== 'string' || typeof expires !== 'number') return undefined;
    if (expires && expires * 1000 < nowMs) return undefined;
    return { purpose, subscriptionId: id, ...(expires ? { expires } : {}) };
  } catch {
    return undefined;
  }
}
