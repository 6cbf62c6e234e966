import type { ArticleDraft, RawItem } from '../../model/article.js';
import type { Source } from '../../sources/schema.js';
import { sanitizeContent, toPlainText } from '../sanitize/index.js';
import { articleId, contentHash } from './id.js';
import { isPlausiblePublished, parseDate } from './date.js';
import { canonicalUrl, resolveUrl } from './url.js';
import { classifyDocument } from '../doctype/index.js';

/** Summaries are a teaser, not the article: 500 characters hold the first paragraph of every seed. */
export const SUMMARY_MAX_CHARS = 500;

export interface NormalizeContext {
  /** When the item was fetched, ISO-8601; also the date of items that carry none. */
  fetchedAt: string;
  /** URL of the fetched document, against which relative links are resolved. */
  documentUrl: string;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** An article link must be one a browser opens: http(s) only. */
function resolveHttp(link: string | undefined, base: string): string | undefined {
  const url = resolveUrl(link, base);
  return url && /^https?:/.test(url) ? url : undefined;
}

/**
 * A RawItem → ArticleDraft, or undefined for an item nobody could open (no usable link and no
 * title). An item without a link but with a GUID gets a stable URL of the source plus the GUID.
 */
export function normalizeItem(raw: RawItem, source: Source, ctx: NormalizeContext): ArticleDraft | undefined {
  const link = resolveHttp(raw.link, ctx.documentUrl) ?? resolveHttp(raw.guid, ctx.documentUrl);
  const title = raw.title ? toPlainText(raw.title) : '';
  if (!link && !title) return undefined;
  const url = canonicalUrl(link ?? `${source.homepage ?? source.url}#${encodeURIComponent(raw.guid ?? title)}`);

  // An RSS description is the whole body in most feeds; it serves as content when there is nothing fuller.
  const bodyHtml = raw.contentHtml ?? raw.summary;
  const content = bodyHtml ? sanitizeContent(bodyHtml, raw.contentBase ?? url) : { html: '', text: '' };
  const summarySource = raw.summary ? toPlainText(raw.summary) : content.text;
  const summary = truncate(summarySource.replace(/\s+/g, ' ').trim(), SUMMARY_MAX_CHARS);
  const fetchedMs = Date.parse(ctx.fetchedAt);
  const dateOpts = { format: source.listing?.dateFormat, locale: source.listing?.locale, now: fetchedMs, allowFuture: true };
  const dates = [raw.published, raw.updated].map((text) => ({ text, iso: parseDate(text, dateOpts) })).filter((d) => d.iso !== undefined);
  const plausible = dates.find((d) => isPlausiblePublished(d.iso!, fetchedMs));
  // An implausible date becomes the fetch time, and what the source said is kept beside it.
  const publishedAt = plausible?.iso ?? ctx.fetchedAt;
  const publishedAtOriginal = plausible ? undefined : dates[0]?.text?.trim();
  const doc = classifyDocument({ title, summary, typeLabel: raw.typeLabel, deadlineText: raw.deadlineText, text: content.text });

  return {
    id: articleId(url),
    sourceId: source.id,
    url,
    title: title || truncate(summary, 120) || url,
    summary,
    contentHtml: content.html,
    contentText: content.text,
    author: raw.author ? toPlainText(raw.author) || undefined : undefined,
    publishedAt,
    ...(publishedAtOriginal ? { publishedAtOriginal } : {}),
    fetchedAt: ctx.fetchedAt,
    // The item's own declaration first, else the source's usual language; either is only a prior.
    declaredLanguage: raw.declaredLanguage ?? source.language,
    ...doc,
    ...(raw.departments?.length ? { departments: raw.departments } : {}),
    contentHash: contentHash([title, summary, content.text, doc.deadline ?? '']),
    country: source.country,
    regionHint: source.region,
    fromPublisher: sameSite(url, source.homepage ?? source.url) || sameSite(url, source.url),
  };
}

/** Two URLs on one site: the same host, a leading "www." aside. */
function sameSite(a: string, b: string): boolean {
  const host = (u: string) => new URL(u).hostname.toLowerCase().replace(/^www\./, '');
  return host(a) === host(b);
}
