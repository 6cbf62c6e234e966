import { ParseError } from '../../../errors.js';
import type { RawItem } from '../../../model/article.js';
import { readAtom } from './atom.js';
import { readJsonFeed } from './json.js';
import type { FeedInfo } from './common.js';
import { readRss } from './rss.js';
import { readXml } from './xml.js';

export type { FeedInfo } from './common.js';
export { authorName } from './common.js';

/**
 * Feed text → the feed's facts and its items. One adapter per family onto RawItem, as in Miniflux's
 * reader: Atom (1.0 and 0.3), the RSS family (0.9x/2.0, RSS 1.0/0.90 RDF, CDF) and JSON Feed (1.0, 1.1).
 * Titles, summaries and content are HTML; links are absolute where xml:base or the document URL allows.
 */
export function parseFeedDocument(xml: string, ctx: { sourceId?: string; url?: string } = {}): { feed: FeedInfo; items: RawItem[] } {
  if (xml.replace(/^\uFEFF/, '').trimStart().startsWith('{')) return readJsonFeed(xml, ctx);
  const root = readXml(xml, ctx.url);
  if (!root) throw new ParseError('not a readable feed: no root element', ctx);
  if (root.local === 'feed') return readAtom(root);
  if (root.local === 'rss' || root.local === 'rdf' || root.local === 'channel') return readRss(root);
  throw new ParseError(`not a feed: root element <${root.name}>`, ctx);
}

export function parseFeed(xml: string, ctx: { sourceId?: string; url?: string } = {}): RawItem[] {
  return parseFeedDocument(xml, ctx).items;
}
