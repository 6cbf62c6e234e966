import { sightingOf, type Article, type ArticleSighting } from '../../model/article.js';

/**
 * What the store keeps when ingestion delivers `incoming` for an article it may already hold. Article
 * ids come from the canonical URL, so several sources can carry the same story; the rules:
 * - every source that carried it is recorded, with the version it last served;
 * - a version older than one already recorded from the same source is stale (its job ran late) and
 *   changes nothing, so updates land in order however their jobs are scheduled;
 * - the publisher's version (from a source on the article URL's host) is never replaced by a copy from
 *   another host, and replaces such a copy when it arrives;
 * - otherwise the first version seen stays, and only its own source's updates replace it.
 * - the time the article was first stored (`storedAt`) never changes; a new article is stored at `now`;
 * - its story and near-duplicate link stay until the stories pass changes them.
 * Returns the article to write, or undefined when nothing changes (re-delivery is a no-op). Pure.
 */
export function mergeArticle(stored: Article | undefined, incoming: Article, now: string = new Date().toISOString()): Article | undefined {
  const seen = sightingOf(incoming);
  if (!stored) return { ...incoming, sources: [seen], storedAt: incoming.storedAt ?? now };
  const sources = sightingsOf(stored);
  const before = sources.find((s) => s.sourceId === seen.sourceId);
  if (before && before.fetchedAt > seen.fetchedAt) return undefined;
  const takesOver = seen.sourceId === stored.sourceId || (seen.fromPublisher && !stored.fromPublisher);
  const merged = [...sources.filter((s) => s.sourceId !== seen.sourceId), seen].sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  // The story and near-duplicate links belong to the stories pass, not to any one version: they carry over.
  if (takesOver) return { ...incoming, sources: merged, storedAt: stored.storedAt ?? incoming.storedAt ?? now, ...storyOf(stored) };
  if (before && before.contentHash === seen.contentHash && before.fetchedAt === seen.fetchedAt) return undefined;
  return { ...stored, sources: merged };
}

/**
 * When an article without a recorded `storedAt` was first stored, at the latest: its earliest sighting's
 * fetch. For maintenance writes (re-index, re-tag) of articles stored before the time was recorded.
 */
export function firstSeenAt(a: Article): string {
  return sightingsOf(a).reduce((min, s) => (s.fetchedAt < min ? s.fetchedAt : min), a.fetchedAt);
}

/** An article's sightings; articles stored before sources were recorded stand for their own source alone. */
export function sightingsOf(a: Article): ArticleSighting[] {
  return a.sources?.length ? a.sources : [sightingOf({ ...a, fromPublisher: a.fromPublisher ?? false })];
}

const storyOf = (a: Article): Pick<Article, 'story' | 'duplicateOf'> => ({
  ...(a.story ? { story: a.story } : {}),
  ...(a.duplicateOf ? { duplicateOf: a.duplicateOf } : {}),
});
