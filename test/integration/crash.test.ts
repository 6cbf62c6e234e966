import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { ArticleStore } from '../../src/store/port.js';
import { QUEUE } from '../../src/queue/names.js';
import { CONFIG_DIR } from '../helpers/config.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { exited, ROOT, startProcess, startWorkload } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const FEEDS = 60;
const ITEMS = 50;
const TOTAL = FEEDS * ITEMS;
const prefix = uniquePrefix('crash');
const dataDir = mkdtempSync(join(tmpdir(), 'rr-crash-'));
let workload: Awaited<ReturnType<typeof startWorkload>>;
let env: NodeJS.ProcessEnv;
let store: ArticleStore | undefined;
let enrich: Queue;

async function stored(): Promise<number> {
  if (!store) {
    if (!existsSync(join(dataDir, 'regionradar.sqlite'))) return 0;
    store = createSqliteStore(join(dataDir, 'regionradar.sqlite'));
  }
  return store.count();
}

const startApp = () => startProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'start'], { env, ready: /schedulers synced/ });

beforeAll(async () => {
  workload = await startWorkload(FEEDS, ITEMS);
  const configDir = mkdtempSync(join(tmpdir(), 'rr-crash-config-'));
  cpSync(CONFIG_DIR, configDir, { recursive: true });
  const sources = Array.from({ length: FEEDS }, (_, i) => ({ id: `workload-${i}`, name: `Workload feed ${i}`, url: workload.feedUrl(i), kind: 'feed', country: 'NO', schedule: { every: '1h' } }));
  writeFileSync(join(configDir, 'sources.yaml'), stringify({ sources }));
  env = {
    CONFIG_DIR: configDir,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    HOST_INTERVAL_MS: '0',
    HOST_CONCURRENCY: '64',
    JOB_LOCK_MS: '2000',
    ENRICH_CONCURRENCY: '8',
    LOG_LEVEL: 'info',
  };
  enrich = new Queue(QUEUE.enrich, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix });
});

afterAll(async () => {
  workload?.child.kill();
  await store?.close();
  await enrich?.close();
  await clearPrefix(prefix);
});

it('loses and duplicates nothing when the worker is killed, then stopped, mid-run', { timeout: 180_000 }, async () => {
  // 1. killed without warning once part of the items are stored
  const first = await startApp();
  const atKill = await waitFor('first articles stored', async () => ((await stored()) >= TOTAL * 0.1 ? stored() : false), 60_000, 10);
  first.kill('SIGKILL');
  await exited(first);
  expect(atKill).toBeLessThan(TOTAL);

  // 2. asked to stop (SIGTERM) while working: it finishes or returns its jobs and exits cleanly
  const second = await startApp();
  await waitFor('more articles stored', async () => (await stored()) > atKill + 200, 60_000, 10);
  second.kill('SIGTERM');
  expect(await exited(second)).toBe(0);
  expect(second.output()).toContain('shutting down');

  // 3. a fresh process takes over whatever is left
  const third = await startApp();
  await waitFor(
    'every item stored and the enrich queue drained',
    async () => {
      const counts = await enrich.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return (await stored()) === TOTAL && Object.values(counts).every((n) => n === 0);
    },
    120_000,
    200,
  );
  third.kill('SIGTERM');
  expect(await exited(third)).toBe(0);

  expect(await stored()).toBe(TOTAL);
  expect(await enrich.getJobCounts('failed')).toEqual({ failed: 0 });
  const bySource = await store!.countBySource();
  expect(bySource.size).toBe(FEEDS);
  for (const n of bySource.values()) expect(n).toBe(ITEMS);
  // every stored article went through enrichment
  const page = await store!.list({}, { limit: 100 });
  for (const a of page.items) expect(a.language).not.toBe('und');
});
