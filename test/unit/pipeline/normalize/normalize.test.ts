import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../../src/pipeline/normalize/url.js';
import { articleId } from '../../../../src/pipeline/normalize/id.js';
import { parseDate } from '../../../../src/pipeline/normalize/date.js';
import { normalizeItem } from '../../../../src/pipeline/normalize/index.js';
import { makeSource } from '../../../helpers/factories.js';

describe('canonicalUrl', () => {
  it.each([
    ['https://WWW.Regjeringen.no/no/aktuelt/x/id1/?utm_source=rss&utm_medium=feed#top', 'https://www.regjeringen.no/no/aktuelt/x/id1/'],
    ['https://example.org:443/a?b=2&a=1&fbclid=xyz', 'https://example.org/a?a=1&b=2'],
    ['http://example.org:80/a?gclid=1&page=2', 'http://example.org/a?page=2'],
    ['https://tillvaxtverket.se/4.1/12.2.portlet?state=rss&sv.contenttype=text/xml', 'https://tillvaxtverket.se/4.1/12.2.portlet?state=rss&sv.contenttype=text%2Fxml'],
  ])('%s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });
});

describe('articleId', () => {
  it('is stable, 22 URL-safe characters, and the same for tracking variants of one URL', () => {
    const a = articleId(canonicalUrl('https://nordregio.org/news/x/?utm_campaign=n'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).toBe(articleId(canonicalUrl('https://NORDREGIO.org/news/x/#comments')));
    expect(a).not.toBe(articleId(canonicalUrl('https://nordregio.org/news/y/')));
  });
});

describe('parseDate', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it.each([
    ['Mon, 23 Nov 2020 10:15:00 +0100', {}, '2020-11-23T09:15:00.000Z'],
    ['2018-03-14T09:12:00Z', {}, '2018-03-14T09:12:00.000Z'],
    ['03.07.2026', { format: 'dd.MM.yyyy', locale: 'nb' as const }, '2026-07-03T12:00:00.000Z'],
    ['14 mars 2018', { format: 'd MMMM yyyy', locale: 'sv' as const }, '2018-03-14T12:00:00.000Z'],
    ['2 Sep, 2019', { format: 'd MMM, yyyy', locale: 'en' as const }, '2019-09-02T12:00:00.000Z'],
    ['12. maj 2022', { format: 'd. MMMM yyyy', locale: 'da' as const }, '2022-05-12T12:00:00.000Z'],
  ])('%s', (text, opts, expected) => {
    expect(parseDate(text, { ...opts, now })).toBe(expected);
  });

  it('rejects nonsense and dates far in the future', () => {
    expect(parseDate('yesterday-ish', { now })).toBeUndefined();
    expect(parseDate('2030-01-01T00:00:00Z', { now })).toBeUndefined();
    expect(parseDate(undefined, { now })).toBeUndefined();
  });
});

describe('normalizeItem', () => {
  const ctx = { fetchedAt: '2026-11-22T12:00:00.000Z', documentUrl: 'https://example.org/feed.xml' };

  it('canonicalizes the link, sanitizes content and derives a plain-text summary', () => {
    const d = normalizeItem(
      { title: 'Grøn &amp; <b>omstilling</b>', link: '/news/1?utm_source=x', contentHtml: '<p>Første avsnitt.</p><script>alert(1)</script><p>Andre.</p>', published: 'Mon, 02 Nov 2026 08:00:00 GMT' },
      makeSource(),
      ctx,
    )!;
    expect(d.url).toBe('https://example.org/news/1');
    expect(d.title).toBe('Grøn & omstilling');
    expect(d.contentHtml).not.toContain('script');
    expect(d.contentText).toBe('Første avsnitt.\nAndre.');
    expect(d.summary).toBe('Første avsnitt. Andre.');
    expect(d.publishedAt).toBe('2026-11-02T08:00:00.000Z');
    expect(d.id).toBe(articleId('https://example.org/news/1'));
  });

  it('dates an undated item at fetch time and skips an item with neither link nor title', () => {
    expect(normalizeItem({ link: 'https://example.org/a' }, makeSource(), ctx)!.publishedAt).toBe(ctx.fetchedAt);
    expect(normalizeItem({ summary: 'orphan' }, makeSource(), ctx)).toBeUndefined();
  });

  it('gives the same content hash to the same item fetched twice, and another when the text changes', () => {
    const a = normalizeItem({ title: 'T', link: 'https://example.org/a', summary: 'S' }, makeSource(), ctx)!;
    const b = normalizeItem({ title: 'T', link: 'https://example.org/a', summary: 'S' }, makeSource(), { ...ctx, fetchedAt: '2026-11-23T00:00:00.000Z' })!;
    const c = normalizeItem({ title: 'T', link: 'https://example.org/a', summary: 'S, updated' }, makeSource(), ctx)!;
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.contentHash).not.toBe(c.contentHash);
  });

  it.each([
    ['0001-01-01T00:00:00Z', 'a placeholder date'],
    ['1970-01-01T00:00:00Z', 'a zero timestamp'],
    ['2100-01-01T00:00:00Z', 'far in the future'],
    ['9999-12-31T23:59:59Z', 'the end of time'],
    ['2026-11-24T12:00:01Z', 'just over a day ahead'],
  ])('dates an item at fetch time and keeps what the source said when its date is implausible: %s (%s)', (published) => {
    const d = normalizeItem({ title: 'T', link: 'https://example.org/a', published }, makeSource(), ctx)!;
    expect(d.publishedAt).toBe(ctx.fetchedAt);
    expect(d.publishedAtOriginal).toBe(published);
  });

  it('keeps plausible dates as given, from 1990 up to a day ahead, and falls back to the updated date', () => {
    for (const published of ['1990-01-01T00:00:00.000Z', '2026-11-23T11:00:00.000Z']) {
      const d = normalizeItem({ title: 'T', link: 'https://example.org/a', published }, makeSource(), ctx)!;
      expect([d.publishedAt, d.publishedAtOriginal]).toEqual([published, undefined]);
    }
    const d = normalizeItem({ title: 'T', link: 'https://example.org/a', published: '2100-01-01T00:00:00Z', updated: '2026-11-20T08:00:00Z' }, makeSource(), ctx)!;
    expect([d.publishedAt, d.publishedAtOriginal]).toEqual(['2026-11-20T08:00:00.000Z', undefined]);
  });

  it('marks items on the source’s own site as the publisher’s', () => {
    const source = makeSource({ url: 'https://www.regjeringen.no/no/rss/Rss/2581966/?owner=504' });
    expect(normalizeItem({ title: 'T', link: 'https://regjeringen.no/no/aktuelt/a/id1/' }, source, ctx)!.fromPublisher).toBe(true);
    expect(normalizeItem({ title: 'T', link: 'https://www.nordregio.org/news/a/' }, source, ctx)!.fromPublisher).toBe(false);
  });

  it('truncates long summaries at a word boundary', () => {
    const d = normalizeItem({ title: 'T', link: 'https://example.org/a', summary: 'ord '.repeat(300) }, makeSource(), ctx)!;
    expect(d.summary.length).toBeLessThanOrEqual(501);
    expect(d.summary.endsWith('ord…')).toBe(true);
  });
});
