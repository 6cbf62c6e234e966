import Parser from 'rss-parser';
import { decodeHTML } from 'entities';
import { ParseError } from '../../errors.js';
import type { RawItem } from '../../model/article.js';

type ParsedItem = Parser.Item & {
  contentEncoded?: string;
  summary?: string;
  id?: string;
  author?: string;
  creator?: string;
  updated?: string;
};

const parser: Parser<Record<string, unknown>, ParsedItem> = new Parser({
  // <rss> without a version attribute is common in hand-made and old feeds; read it as RSS 2.0.
  defaultRSS: 2,
  customFields: {
    item: [['content:encoded', 'contentEncoded'], 'summary', 'updated', 'id', 'author'],
    feed: ['language', 'updated', 'managingEditor', 'author'],
  },
});

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * RSS feeds use HTML's named entities (&aring;, &oslash;, &nbsp;, &hellip;) without declaring them;
 * XML knows only five, and a strict parser gives up on the whole feed. Each known HTML entity is
 * rewritten as the numeric reference XML accepts; unknown names are escaped so they show as text.
 */
export function htmlEntitiesToXml(xml: string): string {
  return xml.replace(/&([A-Za-z][A-Za-z0-9]{0,31});/g, (match, name: string) => {
    if (XML_ENTITIES.has(name)) return match;
    const decoded = decodeHTML(match);
    if (decoded === match) return `&amp;${name};`;
    return [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
  });
}

/** The xml:lang of the root element (Atom, and some RSS), which rss-parser does not expose. */
function rootLanguage(text: string): string | undefined {
  return /<(?:feed|rss|rdf:RDF)\b[^>]*\bxml:lang\s*=\s*["']([^"']+)["']/i.exec(text.slice(0, 4096))?.[1];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '_' in value) return String((value as { _: unknown })._);
  return undefined;
}

/** Channel-level facts of a feed. */
export interface FeedInfo {
  title?: string;
  link?: string;
  description?: string;
  language?: string;
  updated?: string;
  author?: string;
  categories: string[];
}

/** RSS 2.0 / RSS 1.0 / Atom 1.0 text → RawItem[] (rss-parser's output adapted onto our model). */
export async function parseFeed(xml: string, ctx: { sourceId?: string; url?: string } = {}): Promise<RawItem[]> {
  return (await parseFeedDocument(xml, ctx)).items;
}

/** The feed's own facts and its items. */
export async function parseFeedDocument(xml: string, ctx: { sourceId?: string; url?: string } = {}): Promise<{ feed: FeedInfo; items: RawItem[] }> {
  let feed;
  try {
    feed = await parser.parseString(htmlEntitiesToXml(xml));
  } catch (err) {
    throw new ParseError(`not a readable feed: ${(err as Error).message.split('\n')[0]}`, { ...ctx, cause: err });
  }
  const declared = text(feed.language) ?? rootLanguage(xml);
  const items = (feed.items ?? []).map((it): RawItem => {
    const body = text(it.contentEncoded) ?? text(it.content);
    const summary = text(it.summary) ?? (it.contentEncoded ? text(it.content) : undefined);
    return {
      guid: text(it.guid) ?? text(it.id),
      title: text(it.title),
      link: it.link,
      published: it.isoDate ?? it.pubDate,
      updated: text(it.updated),
      summary,
      contentHtml: body,
      author: text(it.creator) ?? text(it.author),
      categories: (it.categories ?? []).map((c) => text(c)).filter((c): c is string => !!c),
      enclosure: it.enclosure?.url,
      declaredLanguage: declared,
    };
  });
  const info: FeedInfo = {
    title: text(feed.title),
    link: text(feed.link),
    description: text(feed.description),
    language: declared,
    updated: text(feed.lastBuildDate) ?? text((feed as Record<string, unknown>).updated),
    author: text((feed as Record<string, unknown>).managingEditor) ?? text((feed as Record<string, unknown>).author),
    categories: [],
  };
  return { feed: info, items };
}
