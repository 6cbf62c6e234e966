import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorName, parseFeed, parseFeedDocument } from '../../../../src/pipeline/parse/feed/index.js';
import { readListing } from '../../../../src/pipeline/parse/listing.js';
import { parsePage } from '../../../../src/pipeline/parse/index.js';
import { detectDocumentKind } from '../../../../src/pipeline/parse/detect.js';
import { ParseError } from '../../../../src/errors.js';
import { makeSource } from '../../../helpers/factories.js';
import { normalizeItem } from '../../../../src/pipeline/normalize/index.js';

const fixture = (id: string, file: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/sources', id, file), 'utf8');

describe('detectDocumentKind', () => {
  it.each([
    ['<?xml version="1.0"?>\n<rss version="2.0">', undefined, 'feed'],
    ['<?xml version="1.0"?><!-- generator --><feed xmlns="http://www.w3.org/2005/Atom">', undefined, 'feed'],
    ['\uFEFF<rdf:RDF xmlns:rdf="…">', undefined, 'feed'],
    ['<!DOCTYPE html><html>', 'application/rss+xml', 'html'],
    ['<html lang="nn">', undefined, 'html'],
    ['{"version": "x"}', 'text/plain', 'unknown'],
  ])('%s → %s', (text, type, kind) => {
    expect(detectDocumentKind(text, type)).toBe(kind);
  });
});

describe('parseFeed', () => {
  it('reads RSS 2.0 items with the channel language as declared language', async () => {
    const items = await parseFeed(fixture('regjeringen-kdd', 'feed.xml'));
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ title: 'Verkstad for regional utvikling', guid: '2676614', declaredLanguage: 'nb-NO' });
    expect(items[0]!.link).toContain('/id2676614/');
    expect(items[0]!.summary).toContain('<p>Hovudtema for verkstad');
    expect(items[0]!.published).toBe('Mon, 23 Nov 2020 10:15:00 +0100');
  });

  it('reads Atom 1.0 entries with xml:lang, summary and content', async () => {
    const items = await parseFeed(fixture('stockholmregion-eu', 'atom.xml'));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ guid: 'https://stockholmregion.org/?p=4112', declaredLanguage: 'sv-SE', author: 'Maria Lindqvist' });
    expect(items[0]!.title).toBe('EU vill se mer samarbete mellan regioner kring smart specialisering');
    expect(items[0]!.summary).toContain('Innovation Summit');
    expect(items[0]!.contentHtml).toContain('Niclas Forsling');
  });

  it('recovers the items of a feed whose markup breaks off', () => {
    const items = parseFeed('<rss><channel><item><title>x</item><item><title>y &amp; z</title><link>https://x.test/y?a=1&b=2</link>', { url: 'https://x.test/f' });
    expect(items.map((i) => i.title)).toEqual(['x', 'y & z']);
    expect(items[1]!.link).toBe('https://x.test/y?a=1&b=2');
  });

  it('throws ParseError naming source and URL for a document that is no feed', () => {
    expect(() => parseFeed('<html><body>x</body></html>', { sourceId: 's', url: 'https://x.test/f' })).toThrow(ParseError);
    expect(() => parseFeed('just text', { sourceId: 's', url: 'https://x.test/f' })).toThrow(/source s, url https:\/\/x.test\/f/);
  });
});

describe('readListing on the real consultation listing', () => {
  const selectors = {
    item: 'ul#searchResultsListing li.listItem',
    title: 'h2.title a',
    link: 'h2.title a',
    date: '.info .date',
    dateFormat: 'dd.MM.yyyy',
    locale: 'nb' as const,
    pages: 1,
    summary: 'p.excerpts',
    type: '.info .type',
    department: '.info .department',
    deadline: 'span.event-details',
  };

  it('reads the 20 items of the real regjeringen.no consultation listing', () => {
    const items = readListing(fixture('regjeringen-hoyringar', 'listing.html'), selectors, { url: 'https://www.regjeringen.no/no/dokument/hoyringar/id1763/' }).items;
    expect(items).toHaveLength(20);
    expect(items[0]).toMatchObject({
      title: 'Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt overfor skattestyresmaktene',
      link: 'https://www.regjeringen.no/no/dokumenter/hoyring-framlegg-om-presiseringar-i-reglane-om-nav-si-opplysingsplikt-overfor-skattestyresmaktene/id3168525/',
      published: '03.07.2026',
      declaredLanguage: 'nn',
    });
    expect(items[0]!.summary).toMatch(/^Finansdepartementet sender med dette på høyring/);
    for (const item of items) expect(item.link).toMatch(/^https:\/\/www\.regjeringen\.no\/no\/dokumenter\/.+\/id\d+\/$/);
  });

  it('reads type, departments and deadline of every consultation, and normalizes them', () => {
    const url = 'https://www.regjeringen.no/no/dokument/hoyringar/id1763/';
    const items = readListing(fixture('regjeringen-hoyringar', 'listing.html'), selectors, { url }).items;
    expect(items[0]).toMatchObject({ typeLabel: 'Høyring', departments: ['Finansdepartementet'], deadlineText: 'Høyringsfrist: 14.08.2026' });
    expect(items.filter((i) => (i.departments ?? []).length > 1).length).toBeGreaterThan(0);
    const source = makeSource({ id: 'regjeringen-hoyringar', kind: 'listing', listing: selectors });
    const drafts = items.map((i) => normalizeItem(i, source, { fetchedAt: '2026-07-04T09:00:00.000Z', documentUrl: url })!);
    expect(drafts).toHaveLength(20);
    for (const d of drafts) {
      expect(d.documentType).toBe('consultation');
      expect(d.deadline).toMatch(/^2026-(08|09|10)-\d\dT12:00:00.000Z$/);
      expect(d.departments!.length).toBeGreaterThan(0);
    }
    expect(drafts[0]).toMatchObject({ deadline: '2026-08-14T12:00:00.000Z', departments: ['Finansdepartementet'], publishedAt: '2026-07-03T12:00:00.000Z' });
  });

  it('throws ParseError when the item selector matches nothing (the layout changed)', () => {
    expect(() => readListing('<html><body><p>Ny design</p></body></html>', selectors, { sourceId: 'r', url: 'https://x.test/' }).items).toThrow(ParseError);
  });
});

describe('readListing', () => {
  it('finds the next page of a listing, absolute, when the source names a next selector', () => {
    const html = fixture('telemarksforsking-nyheter', 'listing.html');
    const sel = { item: '.news-list__item', title: '.news-list__title a', link: '.news-list__title a', locale: 'nb' as const, pages: 2, next: 'a.pagination__next' };
    const page = readListing(html, sel, { url: 'https://www.telemarksforsking.no/nyheter/' });
    expect(page.items).toHaveLength(2);
    expect(page.next).toBe('https://www.telemarksforsking.no/nyheter/?offset=10');
    expect(readListing(html, { ...sel, next: undefined }, { url: 'https://www.telemarksforsking.no/nyheter/' }).next).toBeUndefined();
  });
});

describe('parsePage', () => {
  it('refuses an HTML page where a feed was expected', async () => {
    await expect(parsePage('<!DOCTYPE html><html><body>Just a page</body></html>', makeSource(), { url: 'https://x.test/' })).rejects.toThrow(/expected a feed, got an HTML page/);
  });
});

describe('HTML entities in feeds', () => {
  it('reads a feed that uses undeclared HTML entities, as Nordic feeds often do', async () => {
    const xml = '<?xml version="1.0"?><rss version="2.0"><channel><title>Fylkeskommunen i Tr&oslash;ndelag</title><item><title>M&aring;l for &laquo;gr&oslash;nn&raquo; vekst&hellip; &amp; mer</title><link>https://x.test/a?b=1&amp;c=2</link><description>&bogus; stays text</description></item></channel></rss>';
    const items = await parseFeed(xml);
    expect(items[0]!.title).toBe('Mål for «grønn» vekst… & mer');
    expect(items[0]!.link).toBe('https://x.test/a?b=1&c=2');
    expect(items[0]!.summary).toBe('&bogus; stays text');
  });
});

describe('feed adapter rules', () => {
  it.each([
    ['Jane Doe', 'Jane Doe'],
    ['jane@example.no (Jane Doe)', 'Jane Doe'],
    ['Jane Doe (jane@example.no)', 'Jane Doe'],
    ['Jane Doe <jane@example.no>', 'Jane Doe'],
    ['post@kdd.dep.no', 'post@kdd.dep.no'],
  ])('author %s → %s', (raw, name) => {
    expect(authorName(raw)).toBe(name);
  });

  it('reads Dublin Core fields and takes a permalink GUID as the link', async () => {
    const xml = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
      <channel><title>T</title><dc:creator>KDD</dc:creator><dc:subject>Regional utvikling</dc:subject>
      <item><title>A</title><guid>https://x.test/a</guid><dc:creator>post@x.test (Kari Nordmann)</dc:creator>
        <dc:subject>Distrikt</dc:subject><dc:subject>Næring</dc:subject><dcterms:issued>2026-03-01T10:00:00Z</dcterms:issued></item>
      <item><title>B</title><guid isPermaLink="false">https://x.test/b</guid></item></channel></rss>`;
    const { feed, items } = await parseFeedDocument(xml);
    expect(feed).toMatchObject({ author: 'KDD', categories: ['Regional utvikling'] });
    expect(items[0]).toMatchObject({ link: 'https://x.test/a', author: 'Kari Nordmann', categories: ['Distrikt', 'Næring'], published: '2026-03-01T10:00:00Z' });
    expect(items[1]!.link).toBeUndefined();
  });
});
