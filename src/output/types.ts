import type { Article } from '../model/article.js';

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
