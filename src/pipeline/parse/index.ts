import { ParseError } from '../../errors.js';
import type { RawItem } from '../../model/article.js';
import type { Source } from '../../sources/schema.js';
import { detectDocumentKind } from './detect.js';
import { parseFeed } from './feed/index.js';
import { readListing } from './listing.js';

/**
 * Decoded text of a source's response → its items (feeds through the feed adapters, listings through
 * their selectors) and, for a listing with a `next` selector, the address of its next page.
 */
export async function parsePage(text: string, source: Source, ctx: { url: string; contentType?: string }): Promise<{ items: RawItem[]; next?: string }> {
  const kind = detectDocumentKind(text, ctx.contentType);
  if (source.kind === 'listing' && source.listing && kind !== 'feed') {
    return readListing(text, source.listing, { sourceId: source.id, url: ctx.url });
  }
  if (kind === 'feed') return { items: parseFeed(text, { sourceId: source.id, url: ctx.url }) };
  throw new ParseError(`expected a ${source.kind === 'feed' ? 'feed' : 'listing page'}, got ${kind === 'html' ? 'an HTML page' : 'an unrecognised document'}`, {
    sourceId: source.id,
    url: ctx.url,
  });
}
