import { Worker, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { ArticleDraft } from '../model/article.js';
import { runIngest } from '../jobs/ingest.js';
import { enrichArticle } from '../jobs/enrich.js';
import { createBatchWriter } from '../store/batch.js';
import { createRedis } from './connection.js';
import { JOB, QUEUE } from './names.js';
import { enrichPayloadSchema, ingestPayloadSchema, parsePayload } from './payloads.js';
import { ENRICH_ATTEMPTS, toJobError } from './retry.js';

/**
 * Enrich jobs are retained only while they may still run: once complete their id (the article id)
 * is free again, so a changed article can be queued anew; failed ones stay a day for inspection.
 */
export const ENRICH_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: { age: 86_400 },
  attempts: ENRICH_ATTEMPTS,
  backoff: { type: 'exponential', delay: 2_000 },
} as const;

/** Queues drafts for enrichment in one round trip; job id = article id, so re-queueing is a no-op. */
export function enqueueEnrich(deps: Pick<Deps, 'queues'>) {
  return async (drafts: readonly ArticleDraft[]) => {
    if (drafts.length === 0) return;
    await deps.queues.enrich.addBulk(drafts.map((draft) => ({ name: JOB.enrichArticle, data: { draft }, opts: { jobId: draft.id, ...ENRICH_JOB_OPTIONS } })));
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

function workerOptions(deps: Deps, connection: ReturnType<typeof createRedis>, concurrency: number, tuning: WorkerTuning) {
  return {
    connection,
    prefix: deps.config.env.QUEUE_PREFIX,
    concurrency: tuning.concurrency ?? concurrency,
    lockDuration: tuning.lockDuration,
    stalledInterval: tuning.stalledInterval,
  };
}

export function startIngestWorker(deps: Deps, tuning: WorkerTuning = {}): RunningWorker {
  const enqueue = enqueueEnrich(deps);
  // BullMQ leaves a connection it was handed open on close, so each worker owns and ends its own.
  const connection = createRedis(deps.config.env.REDIS_URL, 'worker');
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
          knownHashes: (ids) => deps.store.knownHashes(ids),
          enqueueEnrich: enqueue,
          userAgent: deps.userAgent,
        });
        deps.log.info({ jobId: job.id, ...result }, 'ingested');
        return result;
      } catch (err) {
        deps.log.warn({ jobId: job.id, sourceId: payload.sourceId, err: (err as Error).message }, 'ingest failed');
        throw toJobError(err);
      }
    },
    workerOptions(deps, connection, deps.config.env.INGEST_CONCURRENCY, tuning),
  );
  worker.on('error', (err) => deps.log.error({ err: err.message }, 'ingest worker error'));
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
  const connection = createRedis(deps.config.env.REDIS_URL, 'worker');
  const worker = new Worker(
    QUEUE.enrich,
    async (job: Job) => {
      try {
        const { draft } = parsePayload(enrichPayloadSchema, job.data, job.id);
        const article = enrichArticle(draft, deps);
        await writer.write(article);
        return { language: article.language, themes: article.themes.map((t) => t.id) };
      } catch (err) {
        throw toJobError(err);
      }
    },
    workerOptions(deps, connection, deps.config.env.ENRICH_CONCURRENCY, tuning),
  );
  worker.on('error', (err) => deps.log.error({ err: err.message }, 'enrich worker error'));
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
