import { describe, expect, it } from 'vitest';
import Parser from 'rss-parser';
import * as cheerio from 'cheerio';
import { renderAtom } from '../../../src/output/atom.js';
import { renderRss } from '../../../src/output/rss.js';
import { renderJsonFeed } from '../../../src/output/json-feed.js';
import type { FeedMeta } from '../../../src/output/types.js';
import { etagOf, matchesEtag } from '../../../src/output/etag.js';
import { makeArticle } from '../../helpers/factories.js';

const meta: FeedMeta = {
  title: 'Regionradar',
  description: 'Test',
  homeUrl: 'http://127.0.0.1:3000/',
  selfUrl: 'http://127.0.0.1:3000/feeds/all.atom?lang=nno',
  themeLabel: (id) => (id === 'smart-specialisation' ? 'Smart specialisation' : id),
  source: () => ({ name: 'KDD & co', url: 'https://www.regjeringen.no/no/rss/Rss/2581966/?owner=504' }),
};
const articles = [
  makeArticle({ title: 'Smart spesialisering <i>&</i> “partnarskap”', language: 'nno', themes: [{ id: 'smart-specialisation', score: 3, terms: ['smart spesialisering'] }], contentHtml: '<p>Tekst &amp; meir</p>', author: 'KDD' }),
  makeArticle({ title: 'Tillväxt', language: 'swe', contentHtml: '' }),
];

describe('Atom 1.0', () => {
  const xml = renderAtom(articles, meta);
  it('has what RFC 4287 requires of a feed and its entries', () => {
    const $ = cheerio.load(xml, { xml: true });
    expect($('feed').attr('xmlns')).toBe('http://www.w3.org/2005/Atom');
    for (const el of ['id', 'title', 'updated', 'author > name']) expect($(`feed > ${el}`).length).toBe(1);
    expect($('feed > link[rel=self]').attr('href')).toBe(meta.selfUrl);
    expect($('entry')).toHaveLength(2);
    $('entry').each((_, e) => {
      for (const el of ['id', 'title', 'updated']) expect($(e).children(el).length).toBe(1);
      expect($(e).children('link[rel=alternate]').attr('href')).toMatch(/^https:\/\//);
      expect(Number.isNaN(Date.parse($(e).children('updated').text()))).toBe(false);
    });
    expect($('entry').first().attr('xml:lang')).toBe('nn');
    expect($('entry').first().children('category').attr('label')).toBe('Smart specialisation');
  });

  it('round-trips through a feed parser with text intact', async () => {
    const feed = await new Parser().parseString(xml);
    expect(feed.items[0]!.title).toBe('Smart spesialisering <i>&</i> “partnarskap”');
    expect(feed.items[0]!.content).toBe('<p>Tekst &amp; meir</p>');
  });
});

describe('RSS 2.0', () => {
  it('parses back with links, GUIDs, dates and categories', async () => {
    const feed = await new Parser().parseString(renderRss(articles, meta));
    expect(feed.title).toBe('Regionradar');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({ link: articles[0]!.url, guid: articles[0]!.url });
    expect(feed.items[0]!.categories!.map((c: any) => (typeof c === 'string' ? c : c._))).toEqual(['Smart specialisation']);
    expect(new Date(feed.items[0]!.pubDate!).toISOString()).toBe(articles[0]!.publishedAt);
  });
});

describe('JSON Feed 1.1', () => {
  it('names its version and carries items with language and tags', () => {
    const feed = JSON.parse(renderJsonFeed(articles, meta));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(meta.selfUrl);
    expect(feed.items[0]).toMatchObject({ id: articles[0]!.id, url: articles[0]!.url, language: 'nn', tags: ['Smart specialisation'], content_html: '<p>Tekst &amp; meir</p>' });
    expect(feed.items[1].content_text).toBe('A summary.');
  });
});

describe('ETag', () => {
  it('is the same for the same articles and changes with them; If-None-Match lists are honoured', () => {
    const a = etagOf(renderAtom(articles, meta));
    expect(etagOf(renderAtom(articles, meta))).toBe(a);
    expect(etagOf(renderAtom(articles.slice(1), meta))).not.toBe(a);
    expect(matchesEtag(`"x", ${a}`, a)).toBe(true);
    expect(matchesEtag(`W/${a}`, a)).toBe(true);
    expect(matchesEtag('"x"', a)).toBe(false);
  });
});
