import { describe, expect, it } from 'vitest';
import { CONFIRM_TTL_HOURS, subscriptionLinks } from '../../../src/subscriptions/links.js';
import { verifyToken } from '../../../src/subscriptions/token.js';

const SECRET = 'links-test-secret';
const BASE = 'https://radar.example.org';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const sub = { id: 'Zx9_k-AAAAAAAAAAAAAAAA' };

const tokenOf = (url: string) => {
  const token = new URL(url).searchParams.get('token');
  expect(token).toBeTruthy();
  return token!;
};

describe('subscriptionLinks', () => {
  const links = subscriptionLinks(BASE, SECRET);

  it('confirm: a confirm token for the subscription that expires after CONFIRM_TTL_HOURS', () => {
    expect(CONFIRM_TTL_HOURS).toBe(48);
    const url = links.confirm(sub, NOW);
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe(`${BASE}/subscriptions/confirm`);
    expect([...u.searchParams.keys()]).toEqual(['token']);
    const token = tokenOf(url);
    expect(verifyToken(SECRET, token, 'confirm', NOW)).toEqual({ purpose: 'confirm', subscriptionId: sub.id, expires: Math.floor(NOW / 1000) + 48 * 3600 });
    expect(verifyToken(SECRET, token, 'confirm', NOW + 47 * 3_600_000)).toBeDefined();
    expect(verifyToken(SECRET, token, 'confirm', NOW + 48 * 3_600_000 + 1000)).toBeUndefined();
    expect(verifyToken(SECRET, token, 'manage', NOW)).toBeUndefined();
    expect(verifyToken('another-secret', token, 'confirm', NOW)).toBeUndefined();
  });

  it('manage and unsubscribe: manage tokens that do not expire', () => {
    for (const [url, path] of [
      [links.manage(sub), '/subscriptions/manage'],
      [links.unsubscribe(sub), '/subscriptions/unsubscribe'],
    ] as const) {
      const u = new URL(url);
      expect(`${u.origin}${u.pathname}`).toBe(`${BASE}${path}`);
      const token = tokenOf(url);
      expect(verifyToken(SECRET, token, 'manage', NOW)).toStrictEqual({ purpose: 'manage', subscriptionId: sub.id });
      expect(verifyToken(SECRET, token, 'manage', Date.parse('2099-01-01T00:00:00Z'))).toStrictEqual({ purpose: 'manage', subscriptionId: sub.id });
      expect(verifyToken(SECRET, token, 'confirm', NOW)).toBeUndefined();
    }
  });

  it('the token in the URL needs no decoding beyond the query string (URL-safe)', () => {
    expect(links.manage(sub)).toMatch(/\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('tokens of two subscriptions differ', () => {
    const other = { id: 'Yy8_j-BBBBBBBBBBBBBBBB' };
    expect(tokenOf(links.manage(sub))).not.toBe(tokenOf(links.manage(other)));
    expect(verifyToken(SECRET, tokenOf(links.manage(other)), 'manage', NOW)?.subscriptionId).toBe(other.id);
  });

  it('web: the reader home page for an empty filter', () => {
    expect(links.web({})).toBe(`${BASE}/`);
    expect(links.web({ themes: [], languages: [] })).toBe(`${BASE}/`);
  });

  it('web: the reader with comma lists under the reader’s parameter names', () => {
    const url = links.web({
      themes: ['housing', 'smart-specialisation'],
      languages: ['nno', 'swe'],
      regions: ['NO-18', 'SE-AC'],
      countries: ['NO', 'SE'],
      sources: ['nordregio'],
      type: ['consultation'],
    });
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe(`${BASE}/`);
    expect(Object.fromEntries(u.searchParams)).toEqual({
      theme: 'housing,smart-specialisation',
      lang: 'nno,swe',
      region: 'NO-18,SE-AC',
      country: 'NO,SE',
      source: 'nordregio',
      type: 'consultation',
    });
    expect(u.searchParams.getAll('theme')).toEqual(['housing,smart-specialisation']);
    expect(links.web({ themes: ['housing'], languages: ['nno'] })).toBe(`${BASE}/?theme=housing&lang=nno`);
  });

  it('web: the search page when the filter has a query', () => {
    const u = new URL(links.web({ themes: ['housing'], q: 'bustad & distrikt' }));
    expect(`${u.origin}${u.pathname}`).toBe(`${BASE}/search`);
    expect(Object.fromEntries(u.searchParams)).toEqual({ theme: 'housing', q: 'bustad & distrikt' });
    expect(links.web({ q: 'hydrogen' })).toBe(`${BASE}/search?q=hydrogen`);
  });

  it('feed: the private feed in each format', () => {
    expect(links.feed({ feedToken: 'ftok_123-abc' }, 'rss')).toBe(`${BASE}/feeds/private/ftok_123-abc.rss`);
    expect(links.feed({ feedToken: 'ftok_123-abc' }, 'atom')).toBe(`${BASE}/feeds/private/ftok_123-abc.atom`);
    expect(links.feed({ feedToken: 'ftok_123-abc' }, 'json')).toBe(`${BASE}/feeds/private/ftok_123-abc.json`);
  });

  it('a trailing slash on the base URL does not double, with or without a path prefix', () => {
    for (const [base, root] of [
      [`${BASE}/`, BASE],
      [`${BASE}//`, BASE],
      ['https://example.org/radar/', 'https://example.org/radar'],
      ['https://example.org/radar', 'https://example.org/radar'],
    ] as const) {
      const l = subscriptionLinks(base, SECRET);
      expect(l.manage(sub).startsWith(`${root}/subscriptions/manage?token=`)).toBe(true);
      expect(l.unsubscribe(sub).startsWith(`${root}/subscriptions/unsubscribe?token=`)).toBe(true);
      expect(l.confirm(sub, NOW).startsWith(`${root}/subscriptions/confirm?token=`)).toBe(true);
      expect(l.web({})).toBe(`${root}/`);
      expect(l.web({ q: 'x' })).toBe(`${root}/search?q=x`);
      expect(l.feed({ feedToken: 't' }, 'atom')).toBe(`${root}/feeds/private/t.atom`);
      for (const url of [l.manage(sub), l.web({ themes: ['housing'] }), l.feed({ feedToken: 't' }, 'rss')]) {
        expect(url.slice('https://'.length)).not.toContain('//');
      }
    }
  });
});
