import type { Article, StoryMate } from '../model/article.js';
import { xmlEscape as x } from './xml.js';

/** What every output feed needs besides its articles. */
export interface FeedMeta {
  title: string;
  description: string;
  /** The human page this feed mirrors. */
  homeUrl: string;
  /** The feed's own URL (rel=self). */
  selfUrl: string;
  /** Theme id → label, for categories. */
  themeLabel(id: string): string;
  source(id: string): { name: string; url: string };
  /** Other reports of each article's story, by article id (jobs/stories.ts, storyMates). */
  mates?: ReadonlyMap<string, readonly StoryMate[]>;
}

/**
 * "Also reported by" under an article's HTML: each other report of its story, linked, with its source and
 * language, so a feed reader shows one entry per report and says where else the story ran.
 */
export function alsoReportedHtml(a: Article, meta: FeedMeta): string {
  const mates = meta.mates?.get(a.id);
  if (!mates?.length) return '';
  const items = mates.map((m) => `<a href="${x(m.url)}" hreflang="${x(m.language)}">${x(meta.source(m.sourceId).name)}: ${x(m.title)}</a>`);
  return `<p class="also-reported">Also reported by: ${items.join('; ')}</p>`;
}

/** Every source that carried an article, the one whose version is shown first. */
export function sourcesOf(a: Article): string[] {
  return [a.sourceId, ...(a.sources ?? []).map((s) => s.sourceId).filter((id) => id !== a.sourceId)];
}

export type FeedRenderer = (articles: readonly Article[], meta: FeedMeta) => string;

/**
 * The feed's update time is its newest article's, not the build time: the same articles give the
 * same bytes, so the ETag holds and an unchanged feed answers 304 (RSSHub leaves the build date out of its ETag for the same reason).
 */
export function feedUpdated(articles: readonly Article[]): string {
  return articles.reduce((max, a) => (a.publishedAt > max ? a.publishedAt : max), '1970-01-01T00:00:00.000Z');
}
