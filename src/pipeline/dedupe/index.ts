import type { ArticleDraft } from '../../model/article.js';

export interface Novelty {
  fresh: ArticleDraft[];
  changed: ArticleDraft[];
  unchanged: ArticleDraft[];
}

/**
 * Splits drafts by what the store already holds: `known` maps article id → stored content hash.
 * Drafts repeated within one document (feeds do repeat items) count once, the first kept.
 */
export function partitionByNovelty(drafts: readonly ArticleDraft[], known: ReadonlyMap<string, string>): Novelty {
  const out: Novelty = { fresh: [], changed: [], unchanged: [] };
  const seen = new Set<string>();
  for (const d of drafts) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    const stored = known.get(d.id);
    if (stored === undefined) out.fresh.push(d);
    else if (stored !== d.contentHash) out.changed.push(d);
    else out.unchanged.push(d);
  }
  return out;
}
