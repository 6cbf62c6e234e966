import type { Article } from '../model/article.js';
import type { ArticleStore } from '../store/port.js';
import { enrichArticle, type EnrichDeps } from './enrich.js';

export interface RetagProgress {
  scanned: number;
  changed: number;
  total: number;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The article tagged by today's rules, or undefined when its language, themes, regions and countries would stay as they are. */
export function retagArticle(article: Article, deps: EnrichDeps): Article | undefined {
  const next = enrichArticle(article, deps);
  const unchanged =
    next.language === article.language &&
    sameJson(next.themes, article.themes) &&
    sameJson(next.regions, article.regions) &&
    sameJson(next.countries, article.countries);
  return unchanged ? undefined : next;
}

/**
 * Re-tags stored articles after the taxonomy or the gazetteer changed: every article is read in id
 * order, a page at a time, and only those whose tags change are written, a page per transaction.
 * Running it again (after an interruption, or twice) rewrites nothing already current, so it resumes
 * by simply starting over; `after` starts from a given id.
 */
export async function retagAll(
  store: Pick<ArticleStore, 'scan' | 'upsertBatch' | 'count'>,
  deps: EnrichDeps,
  opts: { pageSize?: number; after?: string; onProgress?: (p: RetagProgress) => void } = {},
): Promise<RetagProgress> {
  const pageSize = opts.pageSize ?? 500;
  const total = await store.count();
  const progress: RetagProgress = { scanned: 0, changed: 0, total };
  let after = opts.after;
  for (;;) {
    const page = await store.scan(after, pageSize);
    if (!page.length) break;
    const changed = page.map((a) => retagArticle(a, deps)).filter((a): a is Article => a !== undefined);
    if (changed.length) await store.upsertBatch(changed);
    progress.scanned += page.length;
    progress.changed += changed.length;
    after = page.at(-1)!.id;
    opts.onProgress?.({ ...progress });
  }
  return progress;
}
