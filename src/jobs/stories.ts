import { oldestFirst, type Article, type StoryAssignment, type StoryMate } from '../model/article.js';

export type { StoryMate };
import type { ArticleStore } from '../store/port.js';
import { groupStories, type StoryInput } from '../pipeline/stories/index.js';

/**
 * Articles first stored this many days back are grouped again on each pass (by when they were stored,
 * not published: a source added today brings its archive, whose reports of one event belong together
 * too). Older articles keep the story they were given; reports published far apart never group.
 */
export const STORY_WINDOW_DAYS = 21;
/** Articles read from the store per page. */
const PAGE = 500;
/** Of each article's text, the grouping reads this much: names, numbers and dates of an event sit near the top. */
const TEXT_CHARS = 4_000;

export interface StoriesPassResult {
  /** Articles grouped (those first stored within the window). */
  considered: number;
  /** Articles whose story or near-duplicate link changed. */
  changed: number;
  /** Stories of two or more articles in the window. */
  stories: number;
  duplicates: number;
}

export function storyInput(a: Article): StoryInput {
  return {
    id: a.id,
    sourceId: a.sourceId,
    title: a.title,
    text: `${a.summary}\n${a.contentText}`.slice(0, TEXT_CHARS),
    language: a.language,
    publishedAt: a.publishedAt,
    themes: a.themes.map((t) => t.id),
    regions: a.regions.map((r) => r.code),
    ...(a.story ? { story: a.story } : {}),
  };
}

/**
 * The stories pass: groups the articles first stored within the window (copies included) into stories and
 * near-duplicates, and records what changed through `ArticleStore.setStories`, which touches nothing
 * else of an article, so a version ingested meanwhile is never overwritten. Re-running it changes nothing.
 */
export async function updateStories(store: ArticleStore, opts: { now?: Date; windowDays?: number } = {}): Promise<StoriesPassResult> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - (opts.windowDays ?? STORY_WINDOW_DAYS) * 86_400_000).toISOString();
  const articles: Article[] = [];
  for (let cursor: Awaited<ReturnType<ArticleStore['list']>>['nextCursor']; ; ) {
    const page = await store.list({ storedFrom: since, withDuplicates: true }, { limit: PAGE, cursor });
    articles.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const byId = new Map(articles.map((a) => [a.id, a]));
  const assignments = groupStories(articles.map(storyInput));
  const changed: StoryAssignment[] = assignments.filter((s) => {
    const a = byId.get(s.id)!;
    return a.story !== s.story || a.duplicateOf !== s.duplicateOf;
  });
  const sizes = new Map<string, number>();
  for (const s of assignments) sizes.set(s.story, (sizes.get(s.story) ?? 0) + 1);
  return {
    considered: articles.length,
    changed: changed.length ? await store.setStories(changed) : 0,
    stories: [...sizes.values()].filter((n) => n > 1).length,
    duplicates: assignments.filter((s) => s.duplicateOf).length,
  };
}

/** Reports of one story an output lists under an article at most. */
const MATES_MAX = 20;
/** Articles read per 50 stories at most: a runaway story must not make a feed read the store for ever. */
const MEMBERS_MAX = 1_000;

/**
 * The stored articles of each story (near-copies included), read in one query per 50 stories; stories
 * with no stored member are absent.
 */
export async function storyMembers(store: Pick<ArticleStore, 'list'>, stories: readonly string[]): Promise<Map<string, Article[]>> {
  const out = new Map<string, Article[]>();
  const ids = [...new Set(stories)];
  for (let i = 0; i < ids.length; i += 50) {
    for (let cursor: Awaited<ReturnType<ArticleStore['list']>>['nextCursor'], n = 0; n < MEMBERS_MAX; ) {
      const page = await store.list({ stories: ids.slice(i, i + 50), withDuplicates: true }, { limit: 100, cursor });
      for (const m of page.items) out.set(m.story!, [...(out.get(m.story!) ?? []), m]);
      n += page.items.length;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
  }
  return out;
}


/**
 * For each article, the other articles of its story (near-copies included), oldest first: what feeds,
 * pages, the API and digests show as "also reported by".
 */
export async function storyMates(store: Pick<ArticleStore, 'list'>, articles: readonly Article[]): Promise<Map<string, StoryMate[]>> {
  const out = new Map<string, StoryMate[]>();
  const byStory = await storyMembers(store, articles.map((a) => a.story).filter((s): s is string => !!s));
  for (const a of articles) {
    const mates = (byStory.get(a.story ?? '') ?? [])
      .filter((m) => m.id !== a.id)
      .sort(oldestFirst)
      .slice(0, MATES_MAX)
      .map((m) => toMate(m, m.duplicateOf === a.id));
    if (mates.length) out.set(a.id, mates);
  }
  return out;
}

export const toMate = (m: Article, duplicate: boolean): StoryMate => ({ id: m.id, title: m.title, url: m.url, sourceId: m.sourceId, language: m.language, publishedAt: m.publishedAt, duplicate });
