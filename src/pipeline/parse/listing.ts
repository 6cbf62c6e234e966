import * as cheerio from 'cheerio';
import type { RawItem } from '../../model/article.js';
import type { ListingSelectors } from '../../sources/schema.js';
import { ParseError } from '../../errors.js';
import { resolveUrl } from '../normalize/url.js';

const clean = (s: string | undefined) => s?.replace(/\s+/g, ' ').trim() || undefined;

/**
 * An HTML listing page → its items, using the source's selectors, and the address of its next page
 * when the source names a `next` selector. Selectors are data handed to cheerio, never evaluated.
 * Links are made absolute against the page URL.
 */
export function readListing(html: string, selectors: ListingSelectors, ctx: { sourceId?: string; url: string }): { items: RawItem[]; next?: string } {
  const $ = cheerio.load(html);
  const declared = $('html').attr('lang') ?? $('meta[name="DC.Language"]').attr('content');
  const items: RawItem[] = [];
  $(selectors.item).each((_, el) => {
    const node = $(el);
    const titleNode = node.find(selectors.title).first();
    const linkNode = selectors.link === selectors.title ? titleNode : node.find(selectors.link).first();
    const href = linkNode.attr('href') ?? linkNode.find('a').first().attr('href');
    const link = href ? resolveUrl(href, ctx.url) : undefined;
    const dateNode = selectors.date ? node.find(selectors.date).first() : undefined;
    items.push({
      title: clean(titleNode.text()),
      link,
      guid: link,
      published: clean(dateNode?.attr('datetime') ?? dateNode?.text()),
      summary: selectors.summary ? clean(node.find(selectors.summary).first().text()) : undefined,
      typeLabel: selectors.type ? clean(node.find(selectors.type).first().text()) : undefined,
      deadlineText: selectors.deadline ? clean(node.find(selectors.deadline).first().text()) : undefined,
      departments: selectors.department
        ? clean(node.find(selectors.department).first().text())?.split(/\s*,\s*/).filter(Boolean)
        : undefined,
      declaredLanguage: declared,
    });
  });
  if (items.length === 0 && $(selectors.item).length === 0) {
    throw new ParseError(`listing selector "${selectors.item}" matched nothing: the page layout may have changed`, ctx);
  }
  const nextHref = selectors.next ? $(selectors.next).first().attr('href') : undefined;
  return { items, next: nextHref ? resolveUrl(nextHref, ctx.url) : undefined };
}
