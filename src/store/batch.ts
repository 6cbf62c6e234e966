import type { Article } from '../model/article.js';
import type { ArticleStore } from './port.js';

export interface BatchWriter {
  /** Resolves once the article is committed as part of a batch; rejects if that batch failed. */
  write(article: Article): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Gathers articles from concurrent enrich jobs into one upsert per batch: one SQLite transaction
 * (or one Meilisearch task) for many articles instead of one each. Each job still completes only
 * after its own article is stored, so a crash loses nothing.
 */
export function createBatchWriter(store: Pick<ArticleStore, 'ingestBatch'>, opts: { maxItems: number; maxWaitMs: number }): BatchWriter {
  let pending: Array<{ article: Article; resolve: () => void; reject: (e: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return inFlight;
    // Batches are written one after another, so a later version of an article never loses to an earlier one.
    inFlight = inFlight.then(async () => {
      try {
        await store.ingestBatch(batch.map((b) => b.article));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    });
    return inFlight;
  };

  return {
    write(article) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ article, resolve, reject });
        if (pending.length >= opts.maxItems) void flush();
        else if (!timer) timer = setTimeout(() => void flush(), opts.maxWaitMs);
      });
    },
    flush,
  };
}
