import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../src/errors.js';
import { detectDocumentKind } from '../../../../src/pipeline/parse/detect.js';
import { parseFeedDocument } from '../../../../src/pipeline/parse/feed/index.js';
import { parsePage } from '../../../../src/pipeline/parse/index.js';
import { sourceSchema } from '../../../../src/sources/schema.js';

/** A JSON Feed 1.1 as a Nordic research institute's site would publish it (shape per jsonfeed.org/version/1.1). */
const v11 = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Nordregio – News',
  home_page_url: 'https://nordregio.org/news/',
  feed_url: 'https://nordregio.org/news/feed.json',
  description: 'News from Nordregio',
  language: 'en',
  authors: [{ name: 'Nordregio' }],
  items: [
    {
      id: 'https://nordregio.org/news/state-of-the-nordic-region-2026/',
      url: '/news/state-of-the-nordic-region-2026/',
      title: 'State of the Nordic Region 2026 <launch> & debate',
      content_html: '<p>The report maps <strong>regional development</strong> across the Nordic countries.</p>',
      summary: 'Demography, labour & economy in 1,200 municipalities.',
      date_published: '2026-11-20T09:00:00+01:00',
      date_modified: '2026-11-21T10:30:00+01:00',
      tags: ['regional development', 'demography'],
      attachments: [{ url: '/files/sotnr-2026.pdf', mime_type: 'application/pdf' }],
    },
    {
      id: 2026112,
      external_url: 'https://www.regjeringen.no/no/aktuelt/smart-spesialisering/id3/',
      title: 'Smart spesialisering i fylka',
      content_text: 'Fylka deler erfaringar med smart spesialisering.\nNeste samling er i mars.',
      language: 'nn',
      authors: [{ name: 'Kari Nordmann', url: 'https://example.org/kari' }],
      date_published: '2026-11-19T08:00:00Z',
    },
    'not an item',
  ],
});

/** The same in JSON Feed 1.0: `author` (an object), no language, escaped slashes in the version. */
const v10 = `{"version":"https:\\/\\/jsonfeed.org\\/version\\/1","title":"Reglab","home_page_url":"https://www.reglab.se/","author":{"name":"Reglab"},"items":[{"id":"r1","url":"https://www.reglab.se/nyheter/1","title":"Lärdomar om regional utveckling","content_html":"<p>Text</p>","date_published":"2026-11-18T12:00:00+01:00"}]}`;

describe('JSON Feed input', () => {
  it('reads a JSON Feed 1.1 onto the items the XML adapters give: HTML fields, resolved URLs, dates, authors, tags, attachments, language', () => {
    const { feed, items } = parseFeedDocument(v11, { url: 'https://nordregio.org/news/feed.json' });
    expect(feed).toMatchObject({ title: 'Nordregio – News', link: 'https://nordregio.org/news/', language: 'en', author: 'Nordregio' });
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      guid: 'https://nordregio.org/news/state-of-the-nordic-region-2026/',
      link: 'https://nordregio.org/news/state-of-the-nordic-region-2026/',
      title: 'State of the Nordic Region 2026 &lt;launch&gt; &amp; debate',
      contentHtml: '<p>The report maps <strong>regional development</strong> across the Nordic countries.</p>',
      summary: 'Demography, labour &amp; economy in 1,200 municipalities.',
      published: '2026-11-20T09:00:00+01:00',
      updated: '2026-11-21T10:30:00+01:00',
      author: 'Nordregio',
      categories: ['regional development', 'demography'],
      enclosure: 'https://nordregio.org/files/sotnr-2026.pdf',
      declaredLanguage: 'en',
    });
    expect(items[1]).toMatchObject({
      guid: '2026112',
      link: 'https://www.regjeringen.no/no/aktuelt/smart-spesialisering/id3/',
      contentHtml: '<p>Fylka deler erfaringar med smart spesialisering.\nNeste samling er i mars.</p>',
      author: 'Kari Nordmann',
      declaredLanguage: 'nn',
    });
  });

  it('reads JSON Feed 1.0 (an author object, escaped slashes)', () => {
    const { feed, items } = parseFeedDocument(v10, { url: 'https://www.reglab.se/feed.json' });
    expect(feed.author).toBe('Reglab');
    expect(items).toEqual([expect.objectContaining({ guid: 'r1', link: 'https://www.reglab.se/nyheter/1', author: 'Reglab', title: 'Lärdomar om regional utveckling' })]);
  });

  it('is detected as a feed by its version or by a JSON Feed content type, and a feed source reads it', async () => {
    expect(detectDocumentKind(v11)).toBe('feed');
    expect(detectDocumentKind(v10)).toBe('feed');
    expect(detectDocumentKind('{"items":[],"version":"https://jsonfeed.org/version/1.1"}', 'application/feed+json; charset=utf-8')).toBe('feed');
    expect(detectDocumentKind('{"a":1}')).toBe('unknown');
    const source = sourceSchema.parse({ id: 'nordregio-json', name: 'Nordregio', url: 'https://nordregio.org/news/feed.json', kind: 'feed', country: 'NO', schedule: { every: '1h' } });
    const { items } = await parsePage(v11, source, { url: source.url, contentType: 'application/feed+json' });
    expect(items.map((i) => i.guid)).toEqual(['https://nordregio.org/news/state-of-the-nordic-region-2026/', '2026112']);
  });

  it('refuses what is not a JSON Feed with a ParseError saying what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"version": "https://jsonfeed.org/version/1.1", "items": [', /not a readable JSON Feed/],
      ['{"title": "x", "items": []}', /"version" is null/],
      ['{"version": "https://example.org/v2", "items": []}', /"version" is "https:\/\/example.org\/v2"/],
      ['{"version": "https://jsonfeed.org/version/1.1", "items": {}}', /"items" is not an array/],
    ];
    for (const [doc, message] of cases) {
      expect(() => parseFeedDocument(doc, { sourceId: 's', url: 'https://x.test/feed.json' })).toThrow(ParseError);
      expect(() => parseFeedDocument(doc, { sourceId: 's', url: 'https://x.test/feed.json' })).toThrow(message);
    }
  });
});
