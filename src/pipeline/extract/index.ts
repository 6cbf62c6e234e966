import * as cheerio from 'cheerio';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { sanitizeContent } from '../sanitize/index.js';

export interface ExtractOptions {
  /** CSS selector of the article body on this site's pages; without it, Readability decides. */
  selector?: string;
}

export interface Extracted {
  html: string;
  text: string;
}

/**
 * The article body of an HTML page, sanitized like feed content. A source's selector is exact and
 * cheap; Readability (Firefox's reader view, over a linkedom DOM) is the fallback for sites whose
 * markup we have not described. Undefined when nothing article-like is found, so that the item keeps
 * what the feed said rather than a navigation menu.
 */
export function extractArticle(html: string, url: string, opts: ExtractOptions = {}): Extracted | undefined {
  let body: string | undefined;
  if (opts.selector) {
    const $ = cheerio.load(html);
    const parts = $(opts.selector)
      .toArray()
      .map((el) => $.html(el));
    body = parts.length ? parts.join('\n') : undefined;
  } else {
    const { document } = parseHTML(html);
    // Readability resolves relative links against the document's base; linkedom has no URL of its own.
    if (!document.querySelector('base')) document.head?.insertAdjacentHTML('afterbegin', `<base href="${url.replace(/"/g, '&quot;')}">`);
    const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 300 }).parse();
    body = article?.content ?? undefined;
  }
  if (!body) return undefined;
  const clean = sanitizeContent(body, url);
  return clean.text.trim().length >= MIN_ARTICLE_CHARS ? clean : undefined;
}

/** Less text than this is a teaser, a cookie notice or an error page, not an article. */
const MIN_ARTICLE_CHARS = 200;
