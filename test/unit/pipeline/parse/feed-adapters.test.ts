import { describe, expect, it } from 'vitest';
import { parseFeedDocument } from '../../../../src/pipeline/parse/feed/index.js';
import { toPlainText } from '../../../../src/pipeline/sanitize/index.js';

const atom = (body: string, attrs = '') => `<feed xmlns="http://www.w3.org/2005/Atom"${attrs}>${body}</feed>`;
const entry = (xml: string) => parseFeedDocument(xml, { url: 'https://feeds.test/a/feed.xml' }).items[0]!;

describe('Atom text constructs', () => {
  it.each([
    ['<title type="text">History of the &lt;blink&gt; tag</title>', 'History of the <blink> tag'],
    ['<title type="html">Example &lt;b&gt;Atom&lt;/b&gt;</title>', 'Example Atom'],
    ['<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b></div></title>', 'Example Atom'],
    ['<title>Example <b>Atom</b></title>', 'Example Atom'],
    ['<title type="text/plain" mode="base64">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title>', 'Example <b>Atom</b>'],
    ['<title type="text/html" mode="escaped">R&amp;D &lt;i&gt;i&lt;/i&gt; Nord-Norge</title>', 'R&D i Nord-Norge'],
  ])('%s reads as "%s"', (title, text) => {
    const item = entry(atom(`<entry>${title}</entry>`));
    expect(toPlainText(item.title!)).toBe(text);
  });
});

describe('links and xml:base', () => {
  it('resolves links and content against the nearest xml:base, then the document URL', () => {
    const item = entry(
      atom(
        `<entry xml:base="/sub/"><id>/relative/id</id><link rel="alternate" type="text/html" href="post.html"/><link rel="enclosure" href="audio.mp3"/>
          <content type="xhtml" xml:base="https://cdn.test/x/"><div xmlns="http://www.w3.org/1999/xhtml"><a href="img.png">bilde</a></div></content></entry>`,
        ' xml:base="https://example.no/base/"',
      ),
    );
    expect(item.link).toBe('https://example.no/sub/post.html');
    expect(item.enclosure).toBe('https://example.no/sub/audio.mp3');
    expect(item.guid).toBe('https://example.no/relative/id');
    expect(item.contentBase).toBe('https://cdn.test/x/');
  });

  it('reads an RSS item whose guid is a permalink as its link, and not one marked isPermaLink="false"', () => {
    const doc = parseFeedDocument(
      '<rss version="2.0"><channel><item><guid>https://x.test/1</guid></item><item><guid isPermaLink="false">https://x.test/2</guid></item></channel></rss>',
    );
    expect(doc.items.map((i) => i.link)).toEqual(['https://x.test/1', undefined]);
  });
});

describe('namespaces, RDF and CDF', () => {
  it('matches elements by namespace URI, not by the prefix a feed writes', () => {
    const doc = parseFeedDocument(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:d="http://purl.org/dc/elements/1.1/">
      <rss:channel rdf:about="https://x.test/"><rss:title>Kanal</rss:title><d:language>nn</d:language></rss:channel>
      <rss:item rdf:about="https://x.test/1"><rss:title>Sak</rss:title><d:creator>Ola</d:creator><d:date>2026-01-02T10:00:00Z</d:date></rss:item></rdf:RDF>`);
    expect(doc.feed).toMatchObject({ title: 'Kanal', language: 'nn' });
    expect(doc.items[0]).toMatchObject({ guid: 'https://x.test/1', title: 'Sak', author: 'Ola', published: '2026-01-02T10:00:00Z' });
  });

  it('reads CDF channels with their HREF, LASTMOD and ABSTRACT', () => {
    const doc = parseFeedDocument('<CHANNEL HREF="https://x.test/"><TITLE>C</TITLE><ITEM HREF="https://x.test/i" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>I</TITLE><ABSTRACT>Om saka</ABSTRACT></ITEM></CHANNEL>');
    expect(doc.feed.link).toBe('https://x.test/');
    expect(doc.items[0]).toMatchObject({ link: 'https://x.test/i', updated: '2004-04-06T23:05:43-05:00', summary: 'Om saka' });
  });

  it('collects iTunes, Media RSS and Dublin Core categories once each', () => {
    const doc = parseFeedDocument(`<rss xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
      <category>Distrikt</category><dc:subject>Distrikt</dc:subject><itunes:category text="Government"><itunes:category text="Local"/></itunes:category>
      <itunes:keywords>region, næring</itunes:keywords><media:category>policy</media:category></item></channel></rss>`);
    expect(doc.items[0]!.categories).toEqual(['Distrikt', 'region', 'næring', 'policy', 'Government', 'Local']);
  });
});

describe('hostile and broken documents', () => {
  it('expands a literal internal entity but never an external one', () => {
    const doc = parseFeedDocument(`<!DOCTYPE rss [<!ENTITY id "tag:x.test,"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><item><guid isPermaLink="false">&id;2026:1</guid><title>a &ext; b</title></item></channel></rss>`);
    expect(doc.items[0]!.guid).toBe('tag:x.test,2026:1');
    expect(doc.items[0]!.title).not.toContain('root:');
  });

  it('reads character references to C1 controls as the windows-1252 characters they were meant to be', () => {
    const doc = parseFeedDocument('<rss version="2.0"><channel><item><title>don&#146;t &#150; ever</title></item></channel></rss>');
    expect(doc.items[0]!.title).toBe('don’t – ever');
  });
});
