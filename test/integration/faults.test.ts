import { expect, it } from 'vitest';
import { runFaults } from '../../bench/faults/run.js';

/**
 * The fault benchmark's reduced matrix (npm run bench:faults runs the full one): 12 feeds × 20 items
 * published progressively, two worker SIGKILLs, one Redis restart without persistence and one with AOF,
 * a cross-posting aggregator. Its own Redis and processes; the shared Redis is not touched.
 */
it('loses, duplicates and overwrites nothing through worker kills and Redis restarts, and resumes within 30 s', { timeout: 360_000 }, async () => {
  const report = await runFaults({
    feeds: 12,
    items: 20,
    workerKills: 2,
    plainRestarts: 1,
    aofRestarts: 1,
    periodsSeconds: [60],
    onLine: (line) => console.log(line),
  });
  expect(report.lines.at(-1)).toMatch(/^faults: \d+ injected, \d+ lost, \d+ duplicated, \d+ overwritten$/);
  expect(report.injected).toBe(5);
  expect({ lost: report.lost, duplicated: report.duplicated, overwritten: report.overwritten }).toEqual({ lost: 0, duplicated: 0, overwritten: 0 });
  // every recovery bound held: jobs in flight at a kill finished, ingestion resumed after each restart, no source left failing
  expect(report.failures).toEqual([]);
});
