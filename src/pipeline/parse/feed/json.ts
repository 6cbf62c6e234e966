import { ParseError } from '../../../errors.js';
import type { RawItem } from '../../../model/article.js';
import { resolveUrl } from '../../normalize/url.js';
import { authorName, languageTag, type FeedInfo } from './common.js';
import { escapeHtml } from './xml.js';

/** JSON Feed's version URLs: https://jsonfeed.org/version/1 and /1.1 (and http:// in some old feeds). */
const VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
/** Plain-text fields become HTML like every other adapter's (escaped), so no text is read as markup. */
const text = (v: unknown): string | undefined => {
  const s = str(v);
  return s === undefined ? undefined : escapeHtml(s);
};

/** The first author's name: 1.1's `authors` array, else 1.0's `author` object. */
function authorOf(o: Json): string | undefined {
  const people = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : [];
  for (const p of people) if (isObject(p) && str(p.name)) return authorName(str(p.name));
  return undefined;
}

/** Does the text look like a JSON Feed (an object whose first key names the version)? For detection only. */
export function looksLikeJsonFeed(start: string): boolean {
  return start.startsWith('{') && /"version"\s*:\s*"https?:\\?\/\\?\/jsonfeed\.org\\?\/version\\?\/1/.test(start);
}

/**
 * JSON Feed 1.1 and 1.0 (https://www.jsonfeed.org/version/1.1/) onto the same RawItem as the XML adapters:
 * `content_html` as content (else `content_text`, escaped, in a paragraph), `summary`, dates, the first
 * author, `tags`, the first attachment as enclosure, and `language` (1.1) per item or for the feed. URLs
 * are resolved against the feed's own address. A document that is not JSON, or lacks the version or the
 * `items` array, is a ParseError naming what is missing.
 */
export function readJsonFeed(source: string, ctx: { sourceId?: string; url?: string } = {}): { feed: FeedInfo; items: RawItem[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ParseError(`not a readable JSON Feed: ${(err as Error).message}`, ctx);
  }
  if (!isObject(doc)) throw new ParseError('not a JSON Feed: the document is not an object', ctx);
  if (!str(doc.version) || !VERSION.test(str(doc.version)!)) throw new ParseError(`not a JSON Feed: "version" is ${JSON.stringify(doc.version ?? null)}, not https://jsonfeed.org/version/1.1`, ctx);
  if (!Array.isArray(doc.items)) throw new ParseError('not a JSON Feed: "items" is not an array', ctx);
  const base = ctx.url ?? str(doc.feed_url);
  const url = (v: unknown) => resolveUrl(str(v), base);
  const feedLang = languageTag(str(doc.language));
  const items = doc.items.filter(isObject).map((item): RawItem => {
    const id = typeof item.id === 'number' ? String(item.id) : str(item.id);
    const attachment = Array.isArray(item.attachments) ? item.attachments.find(isObject) : undefined;
    const contentText = text(item.content_text);
    return {
      guid: id,
      title: text(item.title),
      link: url(item.url) ?? url(item.external_url),
      published: str(item.date_published),
      updated: str(item.date_modified),
      summary: text(item.summary),
      contentHtml: str(item.content_html) ?? (contentText ? `<p>${contentText}</p>` : undefined),
      contentBase: base,
      author: authorOf(item) ?? authorOf(doc),
      categories: Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string' && !!t.trim()) : [],
      enclosure: attachment ? url(attachment.url) : undefined,
      declaredLanguage: languageTag(str(item.language)) ?? feedLang,
    };
  });
  const feed: FeedInfo = {
    title: text(doc.title),
    link: url(doc.home_page_url),
    description: text(doc.description),
    language: feedLang,
    author: authorOf(doc),
    categories: [],
  };
  return { feed, items };
}
