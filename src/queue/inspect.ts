import type { Queue } from 'bullmq';

/** States an operator looks at; `failed` is what `jobs retry-failed` puts back. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

export interface QueueReport {
  queue: string;
  counts: Record<(typeof JOB_STATES)[number], number>;
  /** The newest failed jobs, with why. */
  failed: Array<{ id: string; name: string; reason: string; attempts: number; at?: string }>;
}

/** Job counts and the newest failed jobs of a queue, for `regionradar jobs`. */
export async function reportQueue(queue: Queue, failedShown = 20): Promise<QueueReport> {
  const counts = (await queue.getJobCounts(...JOB_STATES)) as QueueReport['counts'];
  const failed = await queue.getFailed(0, failedShown - 1);
  return {
    queue: queue.name,
    counts,
    failed: failed.map((j) => ({
      id: j.id ?? '?',
      name: j.name,
      reason: j.failedReason,
      attempts: j.attemptsMade,
      ...(j.finishedOn ? { at: new Date(j.finishedOn).toISOString() } : {}),
    })),
  };
}

/**
 * Puts every failed job of a queue back to waiting, with its attempts reset, so that what failed
 * (a store that was down longer than the retries lasted, say) is done once the cause is fixed.
 * Returns how many were failed.
 */
export async function retryFailed(queue: Queue): Promise<number> {
  const { failed = 0 } = await queue.getJobCounts('failed');
  if (failed) await queue.retryJobs({ state: 'failed', count: 1_000 });
  return failed;
}
