import type { Queue } from 'bullmq';
import type { Source } from '../sources/schema.js';
import { JOB } from './names.js';
import type { IngestPayload } from './payloads.js';
import { INGEST_ATTEMPTS, INGEST_BACKOFF } from './retry.js';
import { jitterShare } from '../sources/health.js';

/** Ingest jobs keep a short history for the operator; failures keep a longer one. */
export const INGEST_JOB_OPTIONS = {
  attempts: INGEST_ATTEMPTS,
  backoff: INGEST_BACKOFF,
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 5_000 },
} as const;

export function schedulerOptions(source: Source): { every: number; offset: number } {
  const every = source.schedule.every;
  return { every, offset: Math.floor(jitterShare(source.id) * source.schedule.jitter * every) };
}

/**
 * Upserts one job scheduler per enabled fetched source and removes schedulers of sources no longer
 * configured. Upserting is idempotent, so every process may call this at start.
 *
 * A jittered scheduler first fires at its next slot, up to one interval away; sources never fetched,
 * or not fetched for a whole interval (the service was down), get one catch-up fetch now. Its job id
 * is fixed per source, so several processes starting together queue it once.
 */
export async function syncSchedulers(
  queue: Queue,
  sources: readonly Source[],
  lastFetchAt: (ids: string[]) => Promise<Map<string, string | undefined>>,
  now = Date.now(),
): Promise<{ upserted: number; removed: number; catchUp: number }> {
  // Newsletters arrive by e-mail: nothing to fetch on a schedule.
  const enabled = sources.filter((s) => s.enabled && s.kind !== 'newsletter');
  const wanted = new Set(enabled.map((s) => s.id));
  let upserted = 0;
  for (const s of enabled) {
    const data: IngestPayload = { sourceId: s.id };
    await queue.upsertJobScheduler(s.id, schedulerOptions(s), { name: JOB.ingestSource, data, opts: INGEST_JOB_OPTIONS });
    upserted++;
  }
  const last = await lastFetchAt(enabled.map((s) => s.id));
  const due = enabled.filter((s) => {
    const at = last.get(s.id);
    return !at || now - Date.parse(at) >= s.schedule.every;
  });
  await queue.addBulk(
    due.map((s) => ({
      name: JOB.ingestSource,
      data: { sourceId: s.id } satisfies IngestPayload,
      opts: { ...INGEST_JOB_OPTIONS, jobId: `catchup-${s.id}`, removeOnComplete: true, removeOnFail: true },
    })),
  );
  let removed = 0;
  for (const existing of await queue.getJobSchedulers(0, -1)) {
    if (existing.key && !wanted.has(existing.key)) {
      await queue.removeJobScheduler(existing.key);
      removed++;
    }
  }
  return { upserted, removed, catchUp: due.length };
}
