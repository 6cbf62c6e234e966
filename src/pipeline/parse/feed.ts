import Parser from 'rss-parser';
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
  customFields: {
    item: [['content:encoded', 'contentEncoded'], 'summary', 'updated', 'id', 'author'],
    feed: ['language'],
  },
});

/** The xml:lang of the root element (Atom, and some RSS), which rss-parser does not expose. */
function rootLanguage(text: string): string | undefined {
  return /<(?:feed|rss|rdf:RDF)\b[^>]*\bxml:lang\s*=\s*["']([^"']+)["']/i.exec(text.slice(0, 4096))?.[1];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '_' in value) return String((value as { _: unknown })._);
  return undefined;
}

/** RSS 2.0 / RSS 1.0 / Atom 1.0 text → RawItem[] (rss-parser's output adapted onto our model). */
export async function parseFeed(xml: string, ctx: { sourceId?: string; url?: string } = {}): Promise<RawItem[]> {
  let feed;
  try {
    feed = await parser.parseString(xml);
  } catch (err) {
    throw new ParseError(`not a readable feed: ${(err as Error).message.split('\n')[0]}`, { ...ctx, cause: err });
  }
  const declared = text(feed.language) ?? rootLanguage(xml);
  return (feed.items ?? []).map((it): RawItem => {
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
      declaredLanguage: declared,
    };
  });
}
