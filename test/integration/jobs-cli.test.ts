import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { QUEUE } from '../../src/queue/names.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { ROOT } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const prefix = uniquePrefix('jobs-cli');
const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const enrich = new Queue(QUEUE.enrich, { connection, prefix });
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'jobs', ...args], { env: { ...process.env, QUEUE_PREFIX: prefix, REDIS_URL }, encoding: 'utf8', timeout: 30_000 });

afterAll(async () => {
  await enrich.close();
  connection.disconnect();
  await clearPrefix(prefix);
});

it('lists failed jobs with their reasons, and retry-failed puts them back in their queue', async () => {
  await enrich.add('enrich-article', { draft: {} }, { jobId: 'article-1' });
  const failing = new Worker(
    QUEUE.enrich,
    async () => {
      throw new UnrecoverableError('the store was down longer than the retries lasted');
    },
    { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix },
  );
  await waitFor('the job failed', async () => (await enrich.getJobCounts('failed')).failed === 1, 10_000, 20);
  await failing.close();
  await (failing.opts.connection as Redis).quit();

  const listed = cli();
  expect(listed.status).toBe(0);
  expect(listed.stdout).toMatch(/^enrich: 0 waiting, 0 active, 0 delayed, 0 prioritized, 1 failed$/m);
  expect(listed.stdout).toContain('failed article-1 after 1 attempt(s)');
  expect(listed.stdout).toContain('the store was down longer than the retries lasted');

  const retried = cli('retry-failed', 'enrich');
  expect(retried.status).toBe(0);
  expect(retried.stdout).toContain('enrich: 1 failed job(s) put back in the queue');
  expect(await enrich.getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 1 });

  const wrong = cli('retry-failed', 'digest');
  expect(wrong.status).toBe(64);
  expect(wrong.stderr).toContain('unknown queue "digest"');
});
