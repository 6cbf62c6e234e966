import Parser from 'rss-parser';
import { decodeHTML } from 'entities';
import { ParseError } from '../../errors.js';
import type { RawItem } from '../../model/article.js';

type ParsedItem = Parser.Item & {
  contentEncoded?: unknown;
  summary?: unknown;
  id?: unknown;
  author?: unknown;
  creator?: unknown;
  updated?: unknown;
  dcAuthor?: unknown;
  dcSubject?: unknown[];
  dcDate?: unknown;
  dcDescription?: unknown;
  issued?: unknown;
  modified?: unknown;
  guidElement?: Array<string | { _?: string; $?: { isPermaLink?: string } }>;
};

const many = { keepArray: true } as const;

/**
 * rss-parser reads the core elements; the Dublin Core and dcterms ones that many government CMSs
 * emit instead (dc:creator, dc:subject, dc:date, dcterms:issued/modified) are read as custom fields.
 */
const parser: Parser<Record<string, unknown>, ParsedItem> = new Parser({
  // <rss> without a version attribute is common in hand-made and old feeds; read it as RSS 2.0.
  defaultRSS: 2,
  customFields: {
    item: [
      ['content:encoded', 'contentEncoded'],
      'summary',
      'updated',
      'id',
      'author',
      ['dc:author', 'dcAuthor'],
      ['dc:subject', 'dcSubject', many],
      ['dc:date', 'dcDate'],
      ['dc:description', 'dcDescription'],
      ['dcterms:issued', 'issued'],
      ['dcterms:modified', 'modified'],
      // kept whole: rss-parser's own guid field loses the isPermaLink attribute
      ['guid', 'guidElement', many],
    ],
    // rss-parser's typings allow only names for feed fields, but it maps [from, to, options] here as for items.
    feed: [
      'language',
      'updated',
      'managingEditor',
      'author',
      'pubDate',
      ['dc:language', 'dcLanguage'],
      ['dc:creator', 'dcCreator'],
      ['dc:author', 'dcAuthor'],
      ['dc:date', 'dcDate'],
      ['dcterms:issued', 'issued'],
      ['dcterms:modified', 'modified'],
      ['category', 'category', many],
      ['dc:subject', 'dcSubject', many],
    ] as unknown as string[],
  },
});

/** An author's name from the forms feeds use: "Jane Doe", "jane@x.no (Jane Doe)", "Jane Doe (jane@x.no)", "Jane <jane@x.no>". */
export function authorName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const inParens = /^\S+@\S+\s*\((.+)\)$/.exec(v)?.[1];
  if (inParens) return inParens.trim();
  const stripped = v.replace(/\s*\(\S+@\S+\)$/, '').replace(/\s*<\S+@\S+>$/, '').trim();
  return stripped || v;
}

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
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === 'object' && '_' in value) return String((value as { _: unknown })._);
  return undefined;
}

function texts(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(text).filter((t): t is string => !!t && t.trim() !== '').map((t) => t.trim());
}

const URLISH = /^https?:\/\//i;

/** Channel-level facts of a feed. */
export interface FeedInfo {
  title?: string;
  link?: string;
  description?: string;
  language?: string;
  updated?: string;
  published?: string;
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
  const f = feed as Record<string, unknown>;
  const declared = text(feed.language) ?? text(f.dcLanguage) ?? rootLanguage(xml);
  const items = (feed.items ?? []).map((it): RawItem => {
    const body = text(it.contentEncoded) ?? text(it.content) ?? text(it.dcDescription);
    const summary = text(it.summary) ?? (it.contentEncoded ? text(it.content) : undefined);
    const guid = text(it.guid) ?? text(it.id);
    // RSS 2.0: a guid is a permalink unless isPermaLink="false"; it stands in for a missing <link>.
    const guidElement = it.guidElement?.[0];
    const guidIsLink = guid && URLISH.test(guid) && (typeof guidElement !== 'object' || guidElement.$?.isPermaLink !== 'false');
    return {
      guid,
      title: text(it.title),
      link: it.link ?? (guidIsLink ? guid : undefined),
      published: it.isoDate ?? it.pubDate ?? text(it.issued) ?? text(it.dcDate),
      updated: text(it.updated) ?? text(it.modified),
      summary,
      contentHtml: body,
      author: authorName(text(it.creator) ?? text(it.author) ?? text(it.dcAuthor)),
      categories: [...(it.categories ?? []).map((c) => text(c)), ...texts(it.dcSubject)].filter((c): c is string => !!c),
      enclosure: it.enclosure?.url,
      declaredLanguage: declared,
    };
  });
  const info: FeedInfo = {
    title: text(feed.title),
    link: text(feed.link),
    description: text(feed.description),
    language: declared,
    updated: text(feed.lastBuildDate) ?? text(f.updated) ?? text(f.modified) ?? text(f.dcDate),
    published: text(f.pubDate) ?? text(f.issued),
    author: authorName(text(f.managingEditor) ?? text(f.author) ?? text(f.dcCreator) ?? text(f.dcAuthor)),
    categories: [...texts(f.category), ...texts(f.dcSubject)],
  };
  return { feed: info, items };
}
