import { oldestFirst, type Article } from '../model/article.js';
import type { UiLanguage } from '../i18n/index.js';
import type { Frequency, SubscriptionFilter } from '../subscriptions/model.js';

/** One article as a digest, alert or webhook shows it. */
export interface DigestItem {
  id: string;
  url: string;
  title: string;
  /** One or two lines: the article's plain-text summary, shortened. */
  summary: string;
  publishedAt: string;
  /** ISO 639-3. */
  language: string;
  /** Every source that carried the story, the one whose version is shown first. */
  sources: { id: string; name: string }[];
  /** Themes with the words that triggered them, names in the subscriber's language. */
  themes: { id: string; label: string; terms: string[] }[];
  /** Region names the article mentions. */
  regions: string[];
  /** The story's other reports among the digest's articles (other sources, other languages), oldest first. */
  also: { title: string; url: string; source: string; language: string }[];
}

/** Items under one theme heading; `themeId` undefined for articles that carry none of the followed themes. */
export interface DigestGroup {
  themeId?: string;
  label: string;
  items: DigestItem[];
}

/** Everything a digest e-mail shows, in the subscriber's language; rendering reads nothing else. */
export interface DigestContent {
  locale: UiLanguage;
  frequency: Frequency;
  email: string;
  /** The window of articles: first stored after `from`, at or before `to` (ISO-8601). */
  from: string;
  to: string;
  filter: SubscriptionFilter;
  groups: DigestGroup[];
  /** Items shown (each story once). */
  total: number;
  /** Matching articles beyond what one e-mail shows; the `web` link lists them all. */
  more: number;
  links: {
    /** The manage page (change filter, frequency, pause, unsubscribe). */
    manage: string;
    /** One-click unsubscribe (RFC 8058): a POST here unsubscribes; a GET shows a confirm button. */
    unsubscribe: string;
    /** The same filter in the web reader. */
    web: string;
    /** The subscription's private Atom feed. */
    feed: string;
  };
}

/** What rendering yields for one message. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Names for building digest content: theme labels and source names from config, region names from the tags. */
export interface DigestNames {
  theme(id: string, lang: UiLanguage): string;
  source(id: string): string;
}

/**
 * Items one e-mail shows at most; the rest are counted and linked. Gmail cuts HTML beyond about 102 KB
 * ("[Message clipped]"), which would hide the footer with the manage and unsubscribe links; at about a
 * kilobyte of HTML per item, 50 leave room for long titles and summaries.
 */
export const DIGEST_MAX_ITEMS = 50;
const SUMMARY_CHARS = 240;

/** Shortens to about two lines at a word boundary. */
export function shortSummary(text: string, max = SUMMARY_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')} …`;
}

export function toDigestItem(a: Article, lang: UiLanguage, names: DigestNames, also: readonly Article[] = []): DigestItem {
  // The stored version's source first, then the others that carried the story, each once.
  const sourceIds = [a.sourceId, ...a.sources.map((s) => s.sourceId)].filter((id, i, all) => all.indexOf(id) === i);
  return {
    id: a.id,
    url: a.url,
    title: a.title,
    summary: shortSummary(a.summary || a.contentText),
    publishedAt: a.publishedAt,
    language: a.language,
    sources: sourceIds.map((id) => ({ id, name: names.source(id) })),
    themes: a.themes.map((th) => ({ id: th.id, label: names.theme(th.id, lang), terms: th.terms })),
    regions: a.regions.map((r) => r.name),
    also: also.map((m) => ({ title: m.title, url: m.url, source: names.source(m.sourceId), language: m.language })),
  };
}

/**
 * Articles of one story together: each story once, shown by its first report (published first), with the
 * others after it. An article without a story is a story of its own. Stories in the order given.
 */
export function byStory(articles: readonly Article[]): Array<{ lead: Article; also: Article[] }> {
  const stories = new Map<string, Article[]>();
  for (const a of articles) {
    const key = a.story ?? a.id;
    stories.set(key, [...(stories.get(key) ?? []), a]);
  }
  return [...stories.values()].map((members) => {
    const [lead, ...also] = [...members].sort(oldestFirst);
    return { lead: lead!, also };
  });
}

/**
 * Groups articles by theme for a digest: each story once (byStory), under the best-scoring of its themes that
 * the subscriber follows (any of its themes when the filter names none); groups in the order of the
 * filter's themes (else by size), articles newest first; those with no such theme last, under `other`.
 */
export function groupByTheme(
  articles: readonly Article[],
  opts: { lang: UiLanguage; followed?: readonly string[]; names: DigestNames; otherLabel: string },
): DigestGroup[] {
  const followed = opts.followed?.length ? new Set(opts.followed) : undefined;
  const groups = new Map<string | undefined, DigestItem[]>();
  const sorted = [...articles].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id));
  // Each story once, where its newest report would stand, under its first report's best theme.
  for (const { lead: a, also } of byStory(sorted)) {
    const best = a.themes.filter((th) => !followed || followed.has(th.id)).sort((x, y) => y.score - x.score || x.id.localeCompare(y.id))[0];
    const key = best?.id;
    const items = groups.get(key) ?? [];
    items.push(toDigestItem(a, opts.lang, opts.names, also));
    groups.set(key, items);
  }
  const keys = [...groups.keys()].filter((k): k is string => k !== undefined);
  const order = opts.followed?.length ? opts.followed.filter((id) => groups.has(id)) : keys.sort((x, y) => groups.get(y)!.length - groups.get(x)!.length || x.localeCompare(y));
  const out: DigestGroup[] = order.map((id) => ({ themeId: id, label: opts.names.theme(id, opts.lang), items: groups.get(id)! }));
  const other = groups.get(undefined);
  if (other) out.push({ label: opts.otherLabel, items: other });
  return out;
}
