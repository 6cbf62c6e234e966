import { ParseError } from '../../errors.js';
import type { RawItem } from '../../model/article.js';
import type { Source } from '../../sources/schema.js';
import { detectDocumentKind } from './detect.js';
import { parseFeed } from './feed/index.js';
import { parseListing } from './listing.js';

/** Decoded text of a source's response → RawItem[]: feeds through the feed adapters, listings through their selectors. */
export async function parseItems(text: string, source: Source, ctx: { url: string; contentType?: string }): Promise<RawItem[]> {
  const kind = detectDocumentKind(text, ctx.contentType);
  if (source.kind === 'listing' && source.listing && kind !== 'feed') {
    return parseListing(text, source.listing, { sourceId: source.id, url: ctx.url });
  }
  if (kind === 'feed') return parseFeed(text, { sourceId: source.id, url: ctx.url });
  throw new ParseError(`expected a ${source.kind === 'feed' ? 'feed' : 'listing page'}, got ${kind === 'html' ? 'an HTML page' : 'an unrecognised document'}`, {
    sourceId: source.id,
    url: ctx.url,
  });
}
