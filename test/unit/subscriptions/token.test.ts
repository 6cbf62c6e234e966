import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../../src/subscriptions/token.js';

const SECRET = 'test-secret-key-0123456789';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const EXPIRES = Math.floor(NOW / 1000) + 48 * 3600;

/** A token signed the way the module signs, over any payload: to reach the checks behind the signature. */
const signRaw = (payload: unknown, secret = SECRET) => {
  const p = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64url');
  return `${p}.${createHmac('sha256', secret).update(p).digest('base64url')}`;
};

/** Replaces the character at `i` by another character of the base64url alphabet. */
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

describe('signToken / verifyToken', () => {
  it('round-trips a confirm token with its expiry', () => {
    const token = signToken(SECRET, { purpose: 'confirm', subscriptionId: 'sub-AAAA', expires: EXPIRES });
    expect(verifyToken(SECRET, token, 'confirm', NOW)).toStrictEqual({ purpose: 'confirm', subscriptionId: 'sub-AAAA', expires: EXPIRES });
  });

  it('round-trips a manage token without expiry, valid far in the future', () => {
    const token = signToken(SECRET, { purpose: 'manage', subscriptionId: 'sub-BBBB' });
    const claims = verifyToken(SECRET, token, 'manage', NOW);
    expect(claims).toStrictEqual({ purpose: 'manage', subscriptionId: 'sub-BBBB' });
    expect(claims && 'expires' in claims).toBe(false);
    expect(verifyToken(SECRET, token, 'manage', Date.parse('2100-01-01T00:00:00Z'))).toStrictEqual({ purpose: 'manage', subscriptionId: 'sub-BBBB' });
  });

  it('is URL-safe: two base64url parts joined by one dot', () => {
    const token = signToken(SECRET, { purpose: 'confirm', subscriptionId: 'sub/+?&=', expires: EXPIRES });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyToken(SECRET, token, 'confirm', NOW)?.subscriptionId).toBe('sub/+?&=');
  });

  it('rejects a token signed with another secret', () => {
    const token = signToken('another-secret', { purpose: 'manage', subscriptionId: 'sub-AAAA' });
    expect(verifyToken(SECRET, token, 'manage', NOW)).toBeUndefined();
  });

  it('rejects a token for another purpose', () => {
    const confirm = signToken(SECRET, { purpose: 'confirm', subscriptionId: 'sub-AAAA', expires: EXPIRES });
    const manage = signToken(SECRET, { purpose: 'manage', subscriptionId: 'sub-AAAA' });
    expect(verifyToken(SECRET, confirm, 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, manage, 'confirm', NOW)).toBeUndefined();
  });

  it('rejects a tampered payload', () => {
    const token = signToken(SECRET, { purpose: 'confirm', subscriptionId: 'sub-AAAA', expires: EXPIRES });
    const [payload, sig] = token.split('.') as [string, string];
    // another subscription, or no expiry, under the original signature
    const other = Buffer.from(JSON.stringify(['confirm', 'sub-ZZZZ', EXPIRES])).toString('base64url');
    const forever = Buffer.from(JSON.stringify(['confirm', 'sub-AAAA', 0])).toString('base64url');
    expect(verifyToken(SECRET, `${other}.${sig}`, 'confirm', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, `${forever}.${sig}`, 'confirm', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, `${flip(payload, 0)}.${sig}`, 'confirm', NOW)).toBeUndefined();
  });

  it('rejects a tampered or truncated signature', () => {
    const token = signToken(SECRET, { purpose: 'manage', subscriptionId: 'sub-AAAA' });
    const [payload, sig] = token.split('.') as [string, string];
    expect(verifyToken(SECRET, `${payload}.${flip(sig, 0)}`, 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, `${payload}.${flip(sig, 10)}`, 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, `${payload}.${sig.slice(0, -4)}`, 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, `${payload}.${sig}${sig}`, 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, `${payload}.`, 'manage', NOW)).toBeUndefined();
  });

  it('rejects an expired token (by nowMs) and accepts it before', () => {
    const token = signToken(SECRET, { purpose: 'confirm', subscriptionId: 'sub-AAAA', expires: EXPIRES });
    expect(verifyToken(SECRET, token, 'confirm', EXPIRES * 1000 - 1000)).toBeDefined();
    expect(verifyToken(SECRET, token, 'confirm', EXPIRES * 1000 + 1000)).toBeUndefined();
    expect(verifyToken(SECRET, token, 'confirm', NOW + 49 * 3_600_000)).toBeUndefined();
  });

  it('rejects garbage without throwing', () => {
    for (const garbage of ['', '.', '..', 'a.b.c', 'abc', 'a.', '.b', 'not base64!.%%%***', '!!!!.????', '💥.💥', `${'x'.repeat(43)}.${'y'.repeat(43)}`]) {
      expect(verifyToken(SECRET, garbage, 'manage', NOW)).toBeUndefined();
      expect(verifyToken(SECRET, garbage, 'confirm', NOW)).toBeUndefined();
    }
  });

  it('rejects a correctly signed payload that is not well-formed claims', () => {
    expect(verifyToken(SECRET, signRaw('not json'), 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, signRaw(['manage', 42, 0]), 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, signRaw(['manage', 'sub-AAAA', 'never']), 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, signRaw(['manage', 'sub-AAAA']), 'manage', NOW)).toBeUndefined();
    expect(verifyToken(SECRET, signRaw(null), 'manage', NOW)).toBeUndefined();
    // the helper signs exactly like the module: a well-formed payload passes
    expect(verifyToken(SECRET, signRaw(['manage', 'sub-AAAA', 0]), 'manage', NOW)).toStrictEqual({ purpose: 'manage', subscriptionId: 'sub-AAAA' });
  });

  it('gives different tokens to different subscriptions, each verifying to its own id', () => {
    const a = signToken(SECRET, { purpose: 'manage', subscriptionId: 'sub-AAAA' });
    const b = signToken(SECRET, { purpose: 'manage', subscriptionId: 'sub-BBBB' });
    expect(a).not.toBe(b);
    expect(verifyToken(SECRET, a, 'manage', NOW)?.subscriptionId).toBe('sub-AAAA');
    expect(verifyToken(SECRET, b, 'manage', NOW)?.subscriptionId).toBe('sub-BBBB');
    // and different tokens for the two purposes of one subscription
    expect(signToken(SECRET, { purpose: 'confirm', subscriptionId: 'sub-AAAA' })).not.toBe(a);
  });
});
