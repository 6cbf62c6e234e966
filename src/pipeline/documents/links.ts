import type { ArticleDraft, RawItem } from '../../model/article.js';
import { resolveUrl } from '../normalize/url.js';

/** A URL whose path names a PDF. The bytes decide in the end (extract.ts isPdf); this only picks what to fetch. */
const PDF_PATH = /\.pdf$/i;

const isPdfUrl = (url: string): boolean => {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) && PDF_PATH.test(decodeURIComponent(u.pathname));
  } catch {
    return false;
  }
};

/**
 * The documents an item links to, in order: the item's own link when it is a PDF (a listing of
 * reports), its enclosure, then PDF links in its content. Each once.
 */
export function documentLinks(draft: Pick<ArticleDraft, 'url' | 'contentHtml'>, raw?: Pick<RawItem, 'enclosure'>): string[] {
  const found = [draft.url, raw?.enclosure, ...[...draft.contentHtml.matchAll(/<a\s[^>]*href="([^"]+)"/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'))]
    .map((u) => resolveUrl(u, draft.url))
    .filter((u): u is string => !!u && isPdfUrl(u));
  return [...new Set(found)];
}
