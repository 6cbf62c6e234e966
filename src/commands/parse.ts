import { readFileSync } from 'node:fs';
import { decodeBody } from '../pipeline/fetch/charset.js';
import { parseFeedDocument } from '../pipeline/parse/feed/index.js';
import { parseDate } from '../pipeline/normalize/date.js';
import { sanitizeContent, toPlainText } from '../pipeline/sanitize/index.js';
import type { RawItem } from '../model/article.js';
import { resolveUrl } from '../pipeline/normalize/url.js';

/** The normalized document of the feedparser peer suite (../shared/peer-suites/feedparser/README.md). */
export interface ParsedDocument {
  feed: Record<string, unknown>;
  entries: Array<Record<string, unknown>>;
}

const plain = (s: string | undefined) => (s ? toPlainText(s) : undefined);
const date = (s: string | undefined) => (s ? parseDate(s, { allowFuture: true })?.replace('.000Z', 'Z') : undefined);

/** Links are shown resolved; one that is not a URL at all is shown as written. */
const absolute = (link: string | undefined, base: string | undefined) => resolveUrl(link, base) ?? link?.trim();

/**
 * `regionradar parse FILE [--url URL] [--headers JSON]`: reads the file as bytes, decodes and parses
 * it as the ingest pipeline does (charset rules, feed adapters, sanitizer, dates), and returns the
 * normalized document. The HTTP headers stand in for a fetch: Content-Type charset, Content-Location.
 */
export function parseFile(file: string, opts: { url?: string; headers?: Record<string, string> } = {}): ParsedDocument {
  const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const { text } = decodeBody(readFileSync(file), headers['content-type']);
  // Content-Location is the document's address only when it is one a browser would fetch (http/https).
  const location = resolveUrl(headers['content-location'], opts.url);
  const base = location && /^https?:/i.test(location) ? location : opts.url;
  const { feed, items } = parseFeedDocument(text, { url: base });
  return {
    feed: {
      title: plain(feed.title),
      link: absolute(feed.link, base),
      description: plain(feed.description),
      language: feed.language ?? headers['content-language'],
      updated: date(feed.updated),
      published: date(feed.published),
      author: plain(feed.author),
      categories: feed.categories,
    },
    entries: items.map((it: RawItem) => ({
      id: it.guid,
      title: plain(it.title),
      link: absolute(it.link, base),
      published: date(it.published),
      updated: date(it.updated),
      // Without an explicit summary the RSS description (or Atom content) is the summary, as feed readers show it.
      summary: plain(it.summary ?? it.contentHtml),
      content: it.contentHtml ? sanitizeContent(it.contentHtml, it.contentBase ?? base).html : undefined,
      author: plain(it.author),
      categories: it.categories ?? [],
      enclosure: absolute(it.enclosure, base),
    })),
  };
}
