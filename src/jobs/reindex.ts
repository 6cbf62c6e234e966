import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { ArticleStore } from '../store/port.js';

export interface ReindexProgress {
  copied: number;
  /** Articles in the store read from, when the run started. */
  total: number;
  /** Id of the last article written: the run resumes after it. */
  lastId?: string;
}

/** Where an interrupted run left off. */
export interface ReindexCheckpoint {
  read(): string | undefined;
  save(lastId: string): void;
  clear(): void;
}

/** A checkpoint in a small file, replaced atomically (write, then rename) so that a crash never leaves half a line. */
export function fileCheckpoint(file: string): ReindexCheckpoint {
  return {
    read: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined),
    save(lastId) {
      writeFileSync(`${file}.tmp`, lastId);
      renameSync(`${file}.tmp`, file);
    },
    clear: () => rmSync(file, { force: true }),
  };
}

/**
 * Rebuilds an index from a store: every article, in id order, a page at a time, upserted into the
 * target, which derives its search fields (folded words, stems) anew. The target may be the store
 * itself (after the analysis changed) or the other engine (moving from SQLite to Meilisearch or back).
 * Upserts are idempotent, and the checkpoint is saved after each page is written, so an interrupted
 * run resumes after the last page written and never duplicates or loses an article.
 */
export async function reindexAll(
  from: Pick<ArticleStore, 'scan' | 'count'>,
  to: Pick<ArticleStore, 'upsertBatch'>,
  opts: { pageSize?: number; checkpoint?: ReindexCheckpoint; onProgress?: (p: ReindexProgress) => void } = {},
): Promise<ReindexProgress & { resumedAfter?: string }> {
  const pageSize = opts.pageSize ?? 1000;
  const total = await from.count();
  const resumedAfter = opts.checkpoint?.read();
  const progress: ReindexProgress = { copied: 0, total, lastId: resumedAfter };
  for (;;) {
    const page = await from.scan(progress.lastId, pageSize);
    if (!page.length) break;
    await to.upsertBatch(page);
    progress.copied += page.length;
    progress.lastId = page.at(-1)!.id;
    opts.checkpoint?.save(progress.lastId);
    opts.onProgress?.({ ...progress });
  }
  opts.checkpoint?.clear();
  return { ...progress, resumedAfter };
}
