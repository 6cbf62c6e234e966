/**
 * The standard ingest workload (../shared/bench/workload-server.mjs: 200 feeds × 50 items in six
 * languages, RSS and Atom) pushed through the real pipeline: BullMQ queues on Redis, fetch, parse,
 * normalize, language, themes, batched SQLite upserts. Prints items/s end to end, the time of a
 * second pass (all 304) and the peak RSS of this process, which runs API-less workers and the store.
 *
 *   npm run bench:ingest [-- --feeds 200 --items 50 --enrich-processes 0 --engine sqlite|postgres]
 *
 * With --engine postgres the articles go to a private PostgreSQL cluster started for the run (fsync on,
 * as a production server runs it; bench/postgres-server.ts) instead of the embedded SQLite store.
 *
 * With --enrich-processes N, enrichment runs in N separate `regionradar worker enrich` processes
 * (as docker-compose scales workers) and this process only ingests; peak RSS is then this
 * process's alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config/index.js';
import { createDeps, type Deps } from '../src/deps.js';
import { startLocalPostgres } from './postgres-server.js';
import { startServices } from '../src/runtime.js';
import { JOB } from '../src/queue/names.js';
import { createRedis, deleteKeysWithPrefix } from '../src/queue/connection.js';
import type { Source } from '../src/sources/schema.js';
import { freePort } from './ports.js';

/** The workload's feeds are served by one local server but stand for as many sites: no per-host spacing. */
const ONE_SERVER_MANY_HOSTS = { HOST_INTERVAL_MS: '0', HOST_CONCURRENCY: '64' };

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FEEDS = arg('feeds', 200);
const ITEMS = arg('items', 50);
const ENRICH_PROCESSES = arg('enrich-processes', 0);
const engineAt = process.argv.indexOf('--engine');
const ENGINE = engineAt > 0 ? process.argv[engineAt + 1]! : 'sqlite';
if (ENGINE !== 'sqlite' && ENGINE !== 'postgres') throw new Error(`--engine must be sqlite or postgres, not ${ENGINE}`);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workloadScript = join(root, '..', 'shared', 'bench', 'workload-server.mjs');

async function until(probe: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('benchmark did not finish in time');
    // Polling is cheap next to the work measured: a queue check, then one COUNT when the queues are idle.
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stored(deps: Deps): Promise<number> {
  return deps.store.count();
}

async function idle(deps: Deps): Promise<boolean> {
  const [i, e] = await Promise.all([deps.queues.ingest.getJobCounts('waiting', 'active', 'prioritized'), deps.queues.enrich.getJobCounts('waiting', 'active', 'prioritized', 'delayed')]);
  return [...Object.values(i), ...Object.values(e)].every((n) => n === 0);
}

async function main() {
  const port = await freePort();
  const server = spawn(process.execPath, [workloadScript, '--port', String(port), '--feeds', String(FEEDS), '--items', String(ITEMS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));

  const dataDir = mkdtempSync(join(tmpdir(), 'rr-bench-'));
  const prefix = `rr-bench-${process.pid}`;
  const postgres = ENGINE === 'postgres' ? await startLocalPostgres({ durable: true }) : undefined;
  const database = postgres ? { DATABASE_URL: await postgres.createDatabase() } : {};
  const base = loadConfig({ ...process.env, CONFIG_DIR: join(root, 'config'), DATA_DIR: dataDir, QUEUE_PREFIX: prefix, ALLOW_PRIVATE_HOSTS: '127.0.0.1', LOG_LEVEL: 'warn', ...ONE_SERVER_MANY_HOSTS, ...database });
  const sources: Source[] = Array.from({ length: FEEDS }, (_, i) => ({
    id: `workload-${i}`,
    name: `Workload feed ${i}`,
    url: `http://127.0.0.1:${port}/feed/${i}.xml`,
    kind: 'feed',
    country: 'NO',
    schedule: { every: 3_600_000, jitter: 0.1 },
    enabled: true,
  }));
  const config: Config = { ...base, sources };
  const deps = await createDeps(config);
  await deps.queues.ingest.obliterate({ force: true });
  await deps.queues.enrich.obliterate({ force: true });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const enrichers = [];
  for (let i = 0; i < ENRICH_PROCESSES; i++) {
    const child = spawn(process.execPath, [join(root, 'dist', 'src', 'cli.js'), 'worker', 'enrich'], {
      env: { ...process.env, CONFIG_DIR: join(root, 'config'), DATA_DIR: dataDir, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', ...ONE_SERVER_MANY_HOSTS, ...database },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    enrichers.push(child);
  }
  const running = await startServices(deps, { ingest: true, enrich: ENRICH_PROCESSES === 0 });
  const addAll = () => deps.queues.ingest.addBulk(sources.map((s) => ({ name: JOB.ingestSource, data: { sourceId: s.id }, opts: { removeOnComplete: true } })));

  const t0 = performance.now();
  await addAll();
  await until(async () => (await idle(deps)) && (await stored(deps)) === FEEDS * ITEMS);
  const ingestSeconds = (performance.now() - t0) / 1000;

  const since = new Date().toISOString();
  const t1 = performance.now();
  await addAll();
  await until(async () => {
    const health = await deps.state.getHealth(sources.map((s) => s.id));
    return [...health.values()].every((h) => (h.lastFetchAt ?? '') >= since && h.lastStatus === 'not-modified') && (await idle(deps));
  });
  const notModifiedSeconds = (performance.now() - t1) / 1000;
  clearInterval(sampler);

  const total = await stored(deps);
  await running.close();
  await Promise.all(enrichers.map((c) => new Promise((resolve) => (c.once('exit', resolve), c.kill('SIGTERM')))));
  const redis = createRedis(base.env.REDIS_URL, 'producer');
  await deleteKeysWithPrefix(redis, prefix).finally(() => redis.disconnect());
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
  await postgres?.stop();

  console.log(`workload: ${FEEDS} feeds × ${ITEMS} items, ${total} stored in ${ENGINE} in ${ingestSeconds.toFixed(2)} s (enrichment ${ENRICH_PROCESSES ? `in ${ENRICH_PROCESSES} worker process(es)` : 'in-process'})`);
  console.log(`ingest: ${Math.round(total / ingestSeconds)} items/s, 304 pass: ${notModifiedSeconds.toFixed(2)} s, peak RSS: ${Math.round(peakRss / 1024 / 1024)} MB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
