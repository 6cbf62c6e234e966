/**
 * At most `n` tasks at once in this process, the rest wait in order. PDF extraction runs a child
 * process of up to its memory cap each; ingest jobs run in parallel, so the extractions are limited
 * here, not by the number of jobs.
 */
export function createLimiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
