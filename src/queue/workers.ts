import { metrics, since } from '../observability/metrics.js';
import { Worker, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { ArticleDraft } from '../model/article.js';
import { runIngest } from '../jobs/ingest.js';
import { enrichArticle } from '../jobs/enrich.js';
import { createBatchWriter } from '../store/batch.js';
import { createRedis, redisErrorLogger } from './connection.js';
import { JOB, QUEUE } from './names.js';
import { enrichPayloadSchema, ingestPayloadSchema, parsePayload } from './payloads.js';
import { cappedBackoff, ENRICH_ATTEMPTS, ENRICH_BACKOFF, MAX_STALLED_COUNT, toIngestJobError, toJobError } from './retry.js';
import { classifyIngestFailure } from '../jobs/failure.js';
import { UnavailableError } from '../errors.js';

/**
 * Enrich jobs are retained only while they may still run: once complete their id is free again. Failed
 * ones stay a week, listed by `regionradar jobs` and retried by `regionradar jobs retry-failed`.
 */
export const ENRICH_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400 },
  attempts: ENRICH_ATTEMPTS,
  backoff: ENRICH_BACKOFF,
} as const;

/**
 * One job per article version per source: a re-run of the same fetch queues nothing new, while a changed
 * article (another content hash) gets its own job instead of being dropped behind one still waiting.
 * Versions that arrive out of order are put in order by the store's merge (pipeline/dedupe/merge.ts).
 */
export const enrichJobId = (draft: Pick<ArticleDraft, 'id' | 'contentHash' | 'sourceId'>): string => `${draft.id}.${draft.contentHash}.${draft.sourceId}`;

/** Queues drafts for enrichment in one round trip; re-queueing a version still queued is a no-op. */
export function enqueueEnrich(deps: Pick<Deps, 'queues'>) {
  const queue = deps.queues.enrich;
  return async (drafts: readonly ArticleDraft[], opts: { revive?: ReadonlySet<string> } = {}) => {
    if (drafts.length === 0) return;
    try {
      await queue.addBulk(drafts.map((draft) => ({ name: JOB.enrichArticle, data: { draft }, opts: { jobId: enrichJobId(draft), ...ENRICH_JOB_OPTIONS } })));
      // A version whose job failed for good keeps its id in the failed set, where adding it again is a no-op.
      for (const draft of drafts) {
        if (!opts.revive?.has(draft.id)) continue;
        const job = await queue.getJob(enrichJobId(draft));
        if (job && (await job.isFailed())) await job.retry('failed');
      }
    } catch (err) {
      throw new UnavailableError('queue', `cannot queue ${drafts.length} article(s) for enrichment: ${(err as Error).message}`, { cause: err });
    }
  };
}

export interface WorkerTuning {
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a killed worker's jobs are taken over after it. */
  lockDuration?: number;
  stalledInterval?: number;
}

/** A running queue worker; close() lets in-flight jobs finish, then releases its Redis connection. */
export interface RunningWorker {
  worker: Worker;
  close(): Promise<void>;
}

export function workerOptions(deps: Deps, connection: ReturnType<typeof createRedis>, concurrency: number, tuning: WorkerTuning) {
  return {
    connection,
    prefix: deps.config.env.QUEUE_PREFIX,
    concurrency: tuning.concurrency ?? concurrency,
    lockDuration: tuning.lockDuration,
    stalledInterval: tuning.stalledInterval,
    maxStalledCount: MAX_STALLED_COUNT,
    settings: { backoffStrategy: cappedBackoff },
  };
}

export function startIngestWorker(deps: Deps, tuning: WorkerTuning = {}): RunningWorker {
  const enqueue = enqueueEnrich(deps);
  // BullMQ leaves a connection it was handed open on close, so each worker owns and ends its own.
  const errors = redisErrorLogger(deps.log, 'ingest worker');
  const connection = createRedis(deps.config.env.REDIS_URL, 'worker', { onError: errors.onError });
  const worker = new Worker(
    QUEUE.ingest,
    async (job: Job) => {
      let payload;
      try {
        payload = parsePayload(ingestPayloadSchema, job.data, job.id);
      } catch (err) {
        throw toJobError(err);
      }
      try {
        const result = await runIngest(payload, {
          catalogue: deps.catalogue,
          http: deps.http,
          state: deps.state,
          robots: deps.robots,
          knownHashes: (sourceId, ids) => deps.store.knownHashes(sourceId, ids),
          enqueueEnrich: enqueue,
          userAgent: deps.userAgent,
          log: deps.log,
        });
        deps.log.info({ jobId: job.id, ...result }, 'ingested');
        metrics.fetches.inc({ source: payload.sourceId, outcome: result.status });
        if (result.fresh + result.changed) metrics.itemsQueued.inc({ source: payload.sourceId }, result.fresh + result.changed);
        return result;
      } catch (err) {
        const failure = classifyIngestFailure(err);
        const fields = { jobId: job.id, sourceId: payload.sourceId, failure };
        metrics.fetches.inc({ source: payload.sourceId, outcome: failure });
        if (failure === 'bug') deps.log.error({ ...fields, err }, 'ingest failed: unexpected error');
        else deps.log.warn({ ...fields, err: (err as Error).message }, 'ingest failed');
        throw toIngestJobError(err);
      }
    },
    workerOptions(deps, connection, deps.config.env.INGEST_CONCURRENCY, tuning),
  );
  worker.on('error', errors.onEmitterError);
  return closesWithItsConnection(worker, connection);
}

/** A worker that, closed, lets its jobs finish and then ends the Redis connection it owns. */
export function closesWithItsConnection(worker: Worker, connection: ReturnType<typeof createRedis>): RunningWorker {
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}

export function startEnrichWorker(deps: Deps, tuning: WorkerTuning & { batchSize?: number; batchWaitMs?: number } = {}): RunningWorker {
  // Batches of 200 keep a SQLite transaction under ~10 ms while amortising its commit.
  const writer = createBatchWriter(deps.store, { maxItems: tuning.batchSize ?? 200, maxWaitMs: tuning.batchWaitMs ?? 25 });
  const errors = redisErrorLogger(deps.log, 'enrich worker');
  const connection = createRedis(deps.config.env.REDIS_URL, 'worker', { onError: errors.onError });
  const worker = new Worker(
    QUEUE.enrich,
    async (job: Job) => {
      try {
        const { draft } = parsePayload(enrichPayloadSchema, job.data, job.id);
        const start = performance.now();
        const article = enrichArticle(draft, deps);
        metrics.enrichSeconds.observe(since(start));
        const written = performance.now();
        await writer.write(article);
        metrics.storeSeconds.observe(since(written));
        metrics.articlesStored.inc({ language: article.language });
        return { language: article.language, themes: article.themes.map((t) => t.id) };
      } catch (err) {
        throw toJobError(err);
      }
    },
    workerOptions(deps, connection, deps.config.env.ENRICH_CONCURRENCY, tuning),
  );
  worker.on('error', errors.onEmitterError);
  return {
    worker,
    async close() {
      // close() waits for active jobs, whose writes the writer is holding; flush them as they come.
      const flusher = setInterval(() => void writer.flush(), 10);
      try {
        await worker.close();
      } finally {
        clearInterval(flusher);
        await writer.flush();
        connection.disconnect();
      }
    },
  };
}
