import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Source } from '../sources/schema.js';
import { JOB } from './names.js';
import type { IngestPayload } from './payloads.js';

/**
 * A stable share 0..1 per source id: the jitter is random across sources but the same on every
 * start, so re-syncing schedulers does not move them (NewsBlur adds 0–25% random jitter).
 */
export function jitterShare(sourceId: string): number {
  return createHash('sha1').update(sourceId).digest().readUInt32BE(0) / 2 ** 32;
}

export function schedulerOptions(source: Source): { every: number; offset: number } {
  const every = source.schedule.every;
  return { every, offset: Math.floor(jitterShare(source.id) * source.schedule.jitter * every) };
}

/**
 * Upserts one job scheduler per enabled source and removes schedulers of sources no longer
 * configured. Upserting is idempotent, so every process may call this at start.
 */
export async function syncSchedulers(queue: Queue, sources: readonly Source[]): Promise<{ upserted: number; removed: number }> {
  const wanted = new Set(sources.filter((s) => s.enabled).map((s) => s.id));
  let upserted = 0;
  for (const s of sources) {
    if (!s.enabled) continue;
    const data: IngestPayload = { sourceId: s.id };
    await queue.upsertJobScheduler(s.id, schedulerOptions(s), { name: JOB.ingestSource, data });
    upserted++;
  }
  let removed = 0;
  for (const existing of await queue.getJobSchedulers(0, -1)) {
    if (existing.key && !wanted.has(existing.key)) {
      await queue.removeJobScheduler(existing.key);
      removed++;
    }
  }
  return { upserted, removed };
}
