/**
 * The fault benchmark's core (bench/faults.ts is its command line; test/integration/faults.test.ts runs
 * a reduced matrix): the standard workload, published progressively through a proxy, ingested by real
 * Regionradar processes (`regionradar scheduler`, `api`, `worker all` ×2) on a private Redis, while
 *
 *   a) worker processes are SIGKILLed at random moments 6–10 s apart (each when jobs are in flight,
 *      waiting up to 5 s for some), each but the last replaced;
 *   b) Redis is restarted without persistence, then with AOF, no Regionradar process restarted;
 *   c) with `meili`, Meilisearch (the store) is SIGKILLed and restarted on its port and data dir;
 *   d) a cross-posting aggregator on another host relays a sixth of the items under tracking links.
 *
 * After each phase, and at the end, it audits: waits for the queues to drain, reads /api/sources, queues
 * a forced fetch of every source (as `regionradar refresh` does), waits again, then compares the store
 * with what the feeds served, parsed by the project's own parse and normalize stages.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/store/index.js';
import type { ArticleStore, IndexCheck } from '../../src/store/port.js';
import { sourceSchema, type Source } from '../../src/sources/schema.js';
import { JOB, QUEUE } from '../../src/queue/names.js';
import { INGEST_JOB_OPTIONS } from '../../src/queue/schedulers.js';
import { freePort } from '../ports.js';
import { startRedisServer, type RedisServer } from '../redis-server.js';
import { startRestartableMeili, type RestartableMeili } from '../meili-server.js';
import { startPublication, type Publication } from './publication.js';
import { killAllStarted, startProc, type Proc } from './processes.js';
import { compare, expectedArticles, type AuditResult, type ExpectedArticle, type StoredArticle } from './audit.js';

export { killAllStarted };

export interface FaultOptions {
  /** Workload feeds and items per feed (standard: 60 × 50). */
  feeds?: number;
  items?: number;
  /** SIGKILLs of worker processes (10). */
  workerKills?: number;
  /** Redis restarts without persistence (3), then with AOF (3). */
  plainRestarts?: number;
  aofRestarts?: number;
  /** Run the store on a local Meilisearch and kill it once mid-ingest. */
  meili?: boolean;
  /** The cross-posting aggregator source (on by default). */
  crosspost?: boolean;
  /** Publication time over which the second half of each feed's items comes out; by default fitted to the faults. */
  publishSeconds?: number;
  /** Schedule of feed i: periodsSeconds[i % length] (default 60, 65 … 95 s; 60 s is the least the config allows). */
  periodsSeconds?: number[];
  /** Seed of the random kill moments and gaps. */
  seed?: number;
  /** How Redis is ended at each restart (default SIGTERM: a clean restart; SIGKILL: a crash). */
  redisSignal?: 'SIGTERM' | 'SIGKILL';
  /** How long Redis stays down at each restart (default 2 s). */
  redisDownMs?: number;
  /** Ingestion must resume within this after each Redis restart (30 s). */
  recoveryBoundMs?: number;
  /** Jobs in flight at a worker kill must be finished within this (60 s). */
  killSettleBoundMs?: number;
  /** Keep the work dir (logs, store): 'on-failure' (default), 'always', 'never'. */
  keep?: 'on-failure' | 'always' | 'never';
  /** The regionradar command; by default dist/src/cli.js when running compiled, src/cli.ts through tsx otherwise. */
  cli?: string[];
  /** Each result line as it is made. */
  onLine?: (line: string) => void;
  /** Progress notes (not part of the result). */
  onProgress?: (note: string) => void;
}

export interface FaultReport {
  /** One line per fault, the audits, failures, and last `faults: <N> injected, <L> lost, <D> duplicated, <O> overwritten`. */
  lines: string[];
  injected: number;
  lost: number;
  duplicated: number;
  overwritten: number;
  /** Bounds and checks that did not hold, one sentence each. */
  failures: string[];
  /** L = D = O = 0 and every bound held. */
  ok: boolean;
  /** Logs of every process and the store, kept unless `keep` says otherwise. */
  workDir: string;
}

const PREFIX = 'rr-faults';
const AGGREGATOR = 'aggregator';
const HERE = dirname(fileURLToPath(import.meta.url));
/** The package root, whether this runs from bench/faults (tsx) or dist/bench/faults (compiled). */
const ROOT = [join(HERE, '..', '..'), join(HERE, '..', '..', '..')].find((d) => existsSync(join(d, 'package.json')))!;
const FROM_SOURCE = import.meta.url.endsWith('.ts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves with `p`, or rejects after `ms` (the operation goes on unobserved). */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

const s1 = (ms: number) => (ms / 1000).toFixed(1);

export async function runFaults(options: FaultOptions = {}): Promise<FaultReport> {
  const o = {
    feeds: 60,
    items: 50,
    workerKills: 10,
    plainRestarts: 3,
    aofRestarts: 3,
    meili: false,
    crosspost: true,
    periodsSeconds: [60, 65, 70, 75, 80, 85, 90, 95],
    seed: Math.floor(Math.random() * 2 ** 31),
    redisSignal: 'SIGTERM' as const,
    redisDownMs: 2_000,
    recoveryBoundMs: 30_000,
    killSettleBoundMs: 60_000,
    keep: 'on-failure' as const,
    ...options,
  };
  const restarts = o.plainRestarts + o.aofRestarts;
  // Long enough that items keep coming out through every phase when recovery is prompt: ~9 s per kill, ~30 s per restart.
  // Audits pause it; whatever is left when the faults are over comes out at once (finish()).
  const publishMs = (o.publishSeconds ?? Math.max(60, 9 * o.workerKills + 30 * restarts + (o.meili ? 35 : 0) + 20)) * 1000;
  const cli = o.cli ?? (FROM_SOURCE ? [process.execPath, '--import', 'tsx', join(ROOT, 'src', 'cli.ts')] : [process.execPath, join(ROOT, 'dist', 'src', 'cli.js')]);
  const rng = mulberry32(o.seed);
  const between = (a: number, b: number) => a + (b - a) * rng();

  const work = mkdtempSync(join(tmpdir(), 'rr-faults-'));
  const logDir = join(work, 'logs');
  const dataDir = join(work, 'data');
  const configDir = join(work, 'config');
  mkdirSync(logDir);
  mkdirSync(dataDir);

  const lines: string[] = [];
  const failures: string[] = [];
  let t0 = Date.now();
  const at = (t = Date.now()) => `${s1(t - t0).padStart(6)} s`;
  const emit = (line: string) => {
    lines.push(line);
    o.onLine?.(line);
  };
  const progress = (note: string) => o.onProgress?.(`[${at()}] ${note}`);
  const fail = (why: string) => {
    failures.push(why);
    progress(`FAIL: ${why}`);
  };

  const lostIds = new Set<string>();
  const duplicatedIds = new Set<string>();
  const overwrittenIds = new Set<string>();
  let injected = 0;

  let workload: Proc | undefined;
  let pub: Publication | undefined;
  let redis: RedisServer | undefined;
  let meili: RestartableMeili | undefined;
  let probe: Redis | undefined;
  let ingestQ: Queue | undefined;
  let enrichQ: Queue | undefined;
  let store: ArticleStore | undefined;
  let api: Proc | undefined;
  const workers: Array<Proc | undefined> = [];
  /** Processes we end on purpose; any other exit is a failure. */
  const ending = new Set<Proc>();

  try {
    // --- the workload, its rolling publication, Redis, Meilisearch -------------------------------------
    const workloadPort = await freePort();
    workload = await startProc('workload', [process.execPath, join(ROOT, '..', 'shared', 'bench', 'workload-server.mjs'), '--port', String(workloadPort), '--feeds', String(o.feeds), '--items', String(o.items)], {
      env: process.env,
      cwd: ROOT,
      logDir,
      ready: /workload:/,
    });
    pub = await startPublication({ upstream: `http://127.0.0.1:${workloadPort}`, feeds: o.feeds, items: o.items, durationMs: publishMs, aggregator: o.crosspost });
    pub.pause();
    redis = await startRedisServer({ appendonly: false, dir: join(work, 'redis') });
    if (o.meili) {
      const m = await startRestartableMeili();
      if ('skip' in m) fail(`Meilisearch was asked for but cannot run here: ${m.skip}`);
      else meili = m;
    }

    // --- configuration: the workload feeds (and the aggregator) as sources ----------------------------
    cpSync(join(ROOT, 'config'), configDir, { recursive: true });
    const periodOf = (i: number) => o.periodsSeconds[i % o.periodsSeconds.length]!;
    const raw = Array.from({ length: o.feeds }, (_, i) => ({
      id: `workload-${i}`,
      name: `Workload feed ${i}`,
      url: pub!.feedUrl(i),
      kind: 'feed',
      country: 'NO',
      schedule: { every: `${periodOf(i)}s`, jitter: 0.5 },
    }));
    if (pub.aggregatorUrl) raw.push({ id: AGGREGATOR, name: 'Cross-posting aggregator', url: pub.aggregatorUrl, kind: 'feed', country: 'NO', schedule: { every: '60s', jitter: 0.5 } });
    writeFileSync(join(configDir, 'sources.yaml'), stringify({ sources: raw }));
    const sources: Source[] = raw.map((r) => sourceSchema.parse(r));
    const feedSource = (feed: number) => (feed < 0 ? sources[sources.length - 1]! : sources[feed]!);
    const sourceIds = sources.map((s) => s.id);
    const feedIndexes = [...Array.from({ length: o.feeds }, (_, i) => i), ...(pub.aggregatorUrl ? [-1] : [])];
    const idOfFeed = (feed: number) => (feed < 0 ? AGGREGATOR : `workload-${feed}`);

    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['MEILI_HOST', 'MEILI_API_KEY', 'MEILI_INDEX', 'PORT', 'API_PROCESSES', 'ADMIN_TOKEN', 'INGEST_CONCURRENCY', 'ENRICH_CONCURRENCY', 'FETCH_TIMEOUT_MS', 'HOST']) delete env[k];
    Object.assign(env, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: PREFIX,
      DATA_DIR: dataDir,
      CONFIG_DIR: configDir,
      ALLOW_PRIVATE_HOSTS: '127.0.0.1,127.0.0.2',
      HOST_INTERVAL_MS: '0',
      HOST_CONCURRENCY: '8',
      JOB_LOCK_MS: '5000',
      LOG_LEVEL: 'info',
      ...(meili ? { MEILI_HOST: meili.host, MEILI_API_KEY: meili.apiKey } : {}),
    });

    let procSeq = 0;
    const watchExit = (p: Proc, onUnexpected: () => void) => {
      void p.exited.then((code) => {
        if (ending.has(p)) return;
        fail(`${p.name} (pid ${p.pid}) exited by itself (${code}) at ${at()}; see ${p.logFile}`);
        onUnexpected();
      });
    };
    const startWorker = async (slot: number): Promise<Proc> => {
      const p = await startProc(`worker-${++procSeq}`, [...cli, 'worker', 'all'], { env, cwd: ROOT, logDir, ready: /workers started/ });
      workers[slot] = p;
      watchExit(p, () => {
        if (workers[slot] === p) void startWorker(slot).catch((err) => fail(`could not restart a worker: ${(err as Error).message}`));
      });
      return p;
    };
    const endProc = async (p: Proc | undefined, signal: NodeJS.Signals) => {
      if (!p) return;
      ending.add(p);
      await p.kill(signal);
    };
    const runScheduler = async () => {
      const p = await startProc(`scheduler-${++procSeq}`, [...cli, 'scheduler'], { env, cwd: ROOT, logDir, timeoutMs: 60_000 });
      const code = await p.exited;
      if (code !== 0) fail(`regionradar scheduler exited with ${code}; see ${p.logFile}`);
    };

    // --- start: schedulers synced once, the API, two workers ------------------------------------------
    progress(`seed ${o.seed}; work dir ${work}; ${o.feeds} feeds × ${o.items} items, publication over ${s1(publishMs)} s`);
    await runScheduler();
    const apiPort = await freePort();
    api = await startProc('api', [...cli, 'api'], { env: { ...env, PORT: String(apiPort) }, cwd: ROOT, logDir, ready: /API listening/ });
    watchExit(api, () => {});
    t0 = Date.now();
    pub.resume();
    await Promise.all([startWorker(0), startWorker(1)]);
    progress('workers ready; ingesting');

    // --- our own view of Redis, the queues and the store -----------------------------------------------
    probe = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 100, 1_000) });
    probe.on('error', () => {});
    ingestQ = new Queue(QUEUE.ingest, { connection: probe, prefix: PREFIX });
    enrichQ = new Queue(QUEUE.enrich, { connection: probe, prefix: PREFIX });
    ingestQ.on('error', () => {});
    enrichQ.on('error', () => {});
    const qI = ingestQ;
    const qE = enrichQ;
    const config = loadConfig(env);
    store = await openStore(config);
    const st = store;

    const count = async (): Promise<number | undefined> => {
      try {
        const withCount = st as ArticleStore & { count?: () => Promise<number> };
        if (typeof withCount.count === 'function') return await within(5_000, withCount.count());
        return [...(await within(5_000, st.countBySource())).values()].reduce((a, b) => a + b, 0);
      } catch {
        return undefined;
      }
    };
    const storedText = async () => `${(await count()) ?? '?'} stored`;

    /** Jobs still to run: ingest jobs other than the schedulers' next fires, and every pending enrich job. */
    const pending = async (): Promise<number> => {
      const [ic, ec, delayed] = await Promise.all([
        qI.getJobCounts('wait', 'active', 'prioritized'),
        qE.getJobCounts('wait', 'active', 'prioritized', 'delayed'),
        qI.getRanges(['delayed'], 0, -1),
      ]);
      const retries = delayed.filter((id) => !id.startsWith('repeat:')).length;
      return [...Object.values(ic), ...Object.values(ec)].reduce((a, b) => a + b, 0) + retries;
    };
    const drain = async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      let idle = 0;
      while (Date.now() < deadline) {
        const n = await within(5_000, pending()).catch(() => -1);
        idle = n === 0 ? idle + 1 : 0;
        if (idle >= 4) return true;
        await sleep(300);
      }
      return false;
    };
    const failedCounts = async () => {
      const [i, e] = await Promise.all([within(5_000, qI.getJobCounts('failed')), within(5_000, qE.getJobCounts('failed'))]).catch(() => [{ failed: NaN }, { failed: NaN }]);
      return { ingest: i.failed ?? 0, enrich: e.failed ?? 0 };
    };
    const health = async (): Promise<Map<string, Record<string, string>>> => {
      const pipeline = probe!.pipeline();
      for (const id of sourceIds) pipeline.hgetall(`${PREFIX}:source:${id}`);
      const results = (await within(2_000, pipeline.exec())) ?? [];
      return new Map(sourceIds.map((id, k) => [id, (results[k]?.[1] ?? {}) as Record<string, string>]));
    };
    /** Sources /api/sources shows as failing (error or paused), or, when the API does not answer, the Redis hashes do. */
    const failingSources = async (): Promise<{ via: string; items: Array<{ id: string; status: string; lastError?: string }> }> => {
      try {
        const r = await fetch(`http://127.0.0.1:${apiPort}/api/sources`, { signal: AbortSignal.timeout(10_000) });
        const body = (await r.json()) as { items: Array<{ id: string; status: string; lastError?: string | null }> };
        return { via: '/api/sources', items: body.items.filter((s) => s.status === 'error' || s.status === 'paused').map((s) => ({ id: s.id, status: s.status, lastError: s.lastError ?? undefined })) };
      } catch (err) {
        const h = await health().catch(() => new Map<string, Record<string, string>>());
        const items = [...h].filter(([, v]) => v.lastStatus === 'error' || Number(v.consecutiveFailures ?? 0) >= 5 || v.operatorPause).map(([id, v]) => ({ id, status: v.lastStatus ?? '?', lastError: v.lastError }));
        return { via: `the Redis hashes (/api/sources: ${(err as Error).message})`, items };
      }
    };
    const summarizeErrors = (items: Array<{ id: string; lastError?: string }>) => {
      const by = new Map<string, number>();
      for (const s of items) by.set((s.lastError ?? '?').slice(0, 90), (by.get((s.lastError ?? '?').slice(0, 90)) ?? 0) + 1);
      return [...by].map(([e, n]) => `${n}× "${e}"`).join('; ');
    };

    /** The store as ingestion left it: every article, through the store port's scan. */
    const storedView = async (): Promise<Map<string, StoredArticle>> => {
      const out = new Map<string, StoredArticle>();
      let after: string | undefined;
      for (;;) {
        const page = await within(60_000, st.scan(after, 1_000));
        for (const a of page) out.set(a.id, { id: a.id, sourceId: a.sourceId, url: a.url, title: a.title, contentHash: a.contentHash });
        if (page.length < 1_000) return out;
        after = page[page.length - 1]!.id;
      }
    };
    /** Meilisearch only: `regionradar check-index`, the documents as stored against what search (the index) finds. */
    const meiliConsistency = async (): Promise<string | undefined> => {
      if (!meili) return undefined;
      const r = spawnSync(cli[0]!, [...cli.slice(1), 'check-index', '--json'], { env, cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      const line = r.stdout.trim().split('\n').at(-1) ?? '';
      let c: IndexCheck & { ok: boolean };
      try {
        c = JSON.parse(line);
      } catch {
        return `check-index failed (exit ${r.status}): ${r.stderr.trim().slice(0, 300)}`;
      }
      return `check-index: store ${c.stored} documents, index (search) ${c.indexed}: ${c.ok ? 'the same articles' : `${c.onlyStoredCount} only stored, ${c.onlyIndexedCount} only found by search, ${c.differingCount} with another version`}`;
    };

    /** Queues a forced fetch of every source, as `regionradar refresh <id>` does. */
    const forcePass = async () => {
      await within(10_000, qI.addBulk(sourceIds.map((sourceId) => ({ name: JOB.ingestSource, data: { sourceId, force: true }, opts: { ...INGEST_JOB_OPTIONS } }))));
    };
    const fetchedSince = (since: number) => new Set(pub!.requestsSince(since).map((r) => r.feed));

    const audit = async (label: string, final: boolean): Promise<AuditResult> => {
      if (!final) pub!.pause();
      try {
        const start = Date.now();
        progress(`audit ${label}: draining`);
        if (!(await drain(180_000))) fail(`${label}: the queues did not drain within 180 s`);
        const failing = await failingSources();
        const failed = await failedCounts();
        const passStart = Date.now();
        await forcePass().catch((err) => fail(`${label}: could not queue the forced pass: ${(err as Error).message}`));
        const deadline = Date.now() + 60_000;
        while (fetchedSince(passStart).size < feedIndexes.length && Date.now() < deadline) await sleep(250);
        const fetched = fetchedSince(passStart).size;
        if (!(await drain(180_000))) fail(`${label}: the queues did not drain within 180 s after the forced pass`);

        const publisher = new Map<string, ExpectedArticle>();
        const relayed = new Set<string>();
        for (const feed of feedIndexes) {
          const t = final ? publishMs : pub!.lastServed(feed);
          if (t === undefined) continue;
          const xml = feed < 0 ? pub!.renderAggregator(t) : pub!.render(feed, t);
          const contentType = feed < 0 || feed % 2 === 0 ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8';
          for (const a of await expectedArticles(xml, feedSource(feed), contentType)) {
            if (feed < 0) relayed.add(a.id);
            else publisher.set(a.id, a);
          }
        }
        const stored = await storedView();
        const result = compare(publisher, relayed, stored);
        result.lost.forEach((id) => lostIds.add(id));
        result.duplicated.forEach((id) => duplicatedIds.add(id));
        result.overwritten.forEach((id) => overwrittenIds.add(id));
        const consistency = await meiliConsistency();
        if (consistency && !consistency.endsWith('the same articles')) fail(`${label}: Meilisearch ${consistency}`);
        if (failing.items.length) fail(`${label}: ${failing.items.length} sources left failing (${summarizeErrors(failing.items)})`);
        if (fetched < feedIndexes.length) fail(`${label}: the forced pass fetched ${fetched} of ${feedIndexes.length} sources within 60 s`);
        emit(
          `audit ${label} at ${at(start)}: ${result.expected} items served, ${result.stored} stored: ${result.lost.length} lost, ${result.duplicated.length} duplicated, ${result.overwritten.length} overwritten` +
            `${result.foreignSource ? ` (${result.foreignSource} under another source)` : ''}; failed jobs: enrich ${failed.enrich}, ingest ${failed.ingest}; ` +
            `sources failing (${failing.via}): ${failing.items.length}${failing.items.length ? ` [${summarizeErrors(failing.items)}]` : ''}; forced pass fetched ${fetched}/${feedIndexes.length}` +
            (consistency ? `; Meilisearch: ${consistency}` : ''),
        );
        for (const e of result.examples) emit(`    ${e}`);
        return result;
      } finally {
        if (!final) pub!.resume();
      }
    };

    // --- a) worker kills -------------------------------------------------------------------------------
    if (o.workerKills > 0) {
      const kills: Array<Promise<string>> = [];
      // The first kill falls in the initial burst (half of every feed at once), the others in the rolling publication.
      const burst = Math.max(1, Math.min(50, Math.floor((o.feeds * Math.ceil(o.items / 2)) / 4)));
      for (let k = 1; k <= o.workerKills; k++) {
        if (k > 1) await sleep(between(6_000, 10_000));
        const slots = workers.map((w, i) => (w?.alive ? i : -1)).filter((i) => i >= 0);
        if (!slots.length) {
          fail(`worker kill ${k}: no worker alive to kill`);
          break;
        }
        const slot = slots[Math.floor(rng() * slots.length)]!;
        const victim = workers[slot]!;
        // The moment is random; from there it waits (up to 5 s) for jobs to be in flight, so that kills hit work, not idle
        // workers. The first waits (up to 10 s) for the initial burst's enrich jobs (a worker holds up to ENRICH_CONCURRENCY).
        const snapshot = () => within(3_000, Promise.all([qI.getRanges(['active'], 0, -1), qE.getRanges(['active'], 0, -1)])).catch(() => [[], []] as string[][]);
        const waitFor = async (enough: (f: string[][]) => boolean, ms: number) => {
          const until = Date.now() + ms;
          let f = await snapshot();
          while (!enough(f) && Date.now() < until) {
            await sleep(20);
            f = await snapshot();
          }
          return f;
        };
        const busy = (f: string[][]) => f[0]!.length + f[1]!.length > 0;
        let inflight = k === 1 ? await waitFor((f) => f[1]!.length >= burst, 10_000) : await waitFor(busy, 5_000);
        if (!busy(inflight)) inflight = await waitFor(busy, 5_000);
        const storedNow = await storedText();
        const tKill = Date.now();
        await endProc(victim, 'SIGKILL');
        injected++;
        const last = k === o.workerKills;
        workers[slot] = undefined;
        progress(`kill ${k}/${o.workerKills}: ${victim.name} (pid ${victim.pid}), ${inflight[0]!.length} ingest + ${inflight[1]!.length} enrich jobs in flight`);
        const replacement = last ? Promise.resolve(undefined) : startWorker(slot);
        const settle = (async () => {
          const ids = { ingest: new Set(inflight[0]), enrich: new Set(inflight[1]) };
          const deadline = tKill + o.killSettleBoundMs + 30_000;
          const types = ['active', 'wait', 'prioritized', 'delayed', 'waiting-children'] as const;
          for (;;) {
            const [pi, pe] = await within(5_000, Promise.all([qI.getRanges([...types], 0, -1), qE.getRanges([...types], 0, -1)])).catch(() => [undefined, undefined]);
            if (pi && pe) {
              const left = pi.filter((id) => ids.ingest.has(id)).length + pe.filter((id) => ids.enrich.has(id)).length;
              if (left === 0) break;
            }
            if (Date.now() > deadline) return { ms: undefined, failed: 0 };
            await sleep(250);
          }
          const ms = Date.now() - tKill;
          const [fi, fe] = await within(5_000, Promise.all([qI.getRanges(['failed'], 0, -1), qE.getRanges(['failed'], 0, -1)])).catch(() => [[], []] as string[][]);
          return { ms, failed: fi.filter((id) => ids.ingest.has(id)).length + fe.filter((id) => ids.enrich.has(id)).length };
        })();
        kills.push(
          Promise.all([replacement.catch(() => undefined), settle]).then(([rep, s]) => {
            const settled = s.ms === undefined ? `NOT settled within ${s1(o.killSettleBoundMs + 30_000)} s` : `settled in ${s1(s.ms)} s${s.failed ? ` (${s.failed} of them FAILED)` : ''}`;
            if (s.ms === undefined || s.ms > o.killSettleBoundMs) fail(`worker kill ${k}: the jobs in flight did not finish within ${s1(o.killSettleBoundMs)} s`);
            const total = inflight[0]!.length + inflight[1]!.length;
            return (
              `worker kill ${String(k).padStart(2)}/${o.workerKills} at ${at(tKill)}: SIGKILL ${victim.name} (pid ${victim.pid}); ${total} jobs running in the queues (${inflight[0]!.length} ingest, ${inflight[1]!.length} enrich) ${settled} [bound ${s1(o.killSettleBoundMs)} s]; ` +
              `${rep ? `replacement ready in ${s1(rep.readyAt - rep.startedAt)} s` : last ? 'not replaced: one worker finishes the run' : 'replacement did NOT start'}; ${storedNow}`
            );
          }),
        );
        await replacement.catch((err) => fail(`worker replacement did not start: ${(err as Error).message}`));
      }
      for (const line of await Promise.all(kills)) emit(line);
      await audit('after the worker kills', false);
    }

    // --- b) Redis restarts -----------------------------------------------------------------------------
    if (restarts > 0) {
      const errorsByRestart: Array<Map<string, string>> = [];
      let current = -1;
      let tDown = Date.now();
      let polling = true;
      const poller = (async () => {
        while (polling) {
          if (current >= 0) {
            const h = await health().catch(() => undefined);
            for (const [id, v] of h ?? []) {
              if (v.lastStatus === 'error' && v.lastFetchAt && Date.parse(v.lastFetchAt) >= tDown - 1_000) errorsByRestart[current]!.set(id, v.lastError ?? '?');
            }
          }
          await sleep(1_000);
        }
      })();
      const pendingLines: Array<() => string> = [];
      const flush = () => {
        for (const l of pendingLines.splice(0)) emit(l());
      };
      for (let r = 0; r < restarts; r++) {
        await sleep(between(8_000, 14_000));
        flush();
        const aof = r >= o.plainRestarts;
        const storedNow = await storedText();
        const schedulers = await within(3_000, qI.getJobSchedulers(0, -1)).catch(() => []);
        const dues = schedulers.map((s) => Number(s.next)).filter((n) => Number.isFinite(n));
        tDown = Date.now();
        errorsByRestart[r] = new Map();
        current = r;
        await redis.restart({ appendonly: aof, signal: o.redisSignal, downMs: o.redisDownMs });
        injected++;
        const tReady = Date.now();
        const due = Math.max(tReady, dues.length ? Math.min(...dues) : tReady);
        progress(`redis restart ${r + 1}/${restarts} (${aof ? 'AOF' : 'no persistence'}): up again; first fetch due ${s1(due - tReady)} s after`);
        let firstReq: number | undefined;
        let schedBack: number | undefined;
        let schedCount = 0;
        const watchUntil = due + o.recoveryBoundMs + 15_000;
        while (Date.now() < watchUntil && (firstReq === undefined || schedBack === undefined)) {
          firstReq ??= pub.requestsSince(tReady)[0]?.at;
          if (schedBack === undefined) {
            schedCount = await within(1_000, qI.getJobSchedulersCount()).catch(() => schedCount);
            if (schedCount >= sourceIds.length) schedBack = Date.now();
          }
          await sleep(200);
        }
        const recovery = firstReq !== undefined && schedBack !== undefined ? Math.max(firstReq - due, schedBack - tReady) : undefined;
        const ok = recovery !== undefined && recovery <= o.recoveryBoundMs;
        let repaired = '';
        if (!ok) {
          fail(`redis restart ${r + 1} (${aof ? 'AOF' : 'no persistence'}): ingestion did not resume within ${s1(o.recoveryBoundMs)} s (feed request ${firstReq === undefined ? 'none' : `after ${s1(firstReq - tReady)} s`}, schedulers ${schedCount}/${sourceIds.length})`);
          if (schedBack === undefined) {
            // As an operator would, so the rest of the matrix still measures something.
            await runScheduler();
            repaired = '; ran `regionradar scheduler` to go on';
          }
        }
        const alive = `${workers.filter((w) => w?.alive).length} worker, api ${api.alive ? 'up' : 'DOWN'}`;
        const line =
          `redis restart ${r + 1}/${restarts} at ${at(tDown)} (${aof ? 'AOF everysec' : 'no persistence'}, ${o.redisSignal}, down ${s1(tReady - tDown)} s): ` +
          `feed requests again after ${firstReq === undefined ? `none in ${s1(watchUntil - tReady)} s` : `${s1(firstReq - tReady)} s`} (first fetch was due ${s1(due - tReady)} s after), ` +
          `schedulers ${schedBack === undefined ? `${schedCount}/${sourceIds.length} after ${s1(watchUntil - tReady)} s` : `${sourceIds.length}/${sourceIds.length} after ${s1(schedBack - tReady)} s`} → ` +
          `${ok ? `resumed in ${s1(recovery!)} s` : 'NOT resumed'} [bound ${s1(o.recoveryBoundMs)} s]${repaired}; ${alive}; ${storedNow}`;
        const errors = errorsByRestart[r]!;
        pendingLines.push(() => `${line}; sources that recorded an error since: ${errors.size}${errors.size ? ` [${summarizeErrors([...errors].map(([id, e]) => ({ id, lastError: e })))}]` : ''}`);
      }
      await sleep(5_000);
      polling = false;
      await poller;
      flush();
      await audit('after the Redis restarts', false);
    }

    // --- c) Meilisearch killed and restarted --------------------------------------------------------------
    if (meili) {
      await sleep(between(4_000, 8_000));
      const storedNow = await storedText();
      const tKill = Date.now();
      const pid = meili.pid;
      await meili.kill();
      injected++;
      // Long enough for several scheduled fetches to queue articles the store cannot take.
      await sleep(10_000);
      const backlog = await within(3_000, pending()).catch(() => NaN);
      await meili.restart();
      const tUp = Date.now();
      const before = await count();
      let resumed: number | undefined;
      while (Date.now() < tUp + 90_000) {
        const n = await count();
        const p = await within(3_000, pending()).catch(() => -1);
        if ((n !== undefined && before !== undefined && n > before) || p === 0) {
          resumed = Date.now();
          break;
        }
        await sleep(250);
      }
      const ok = resumed !== undefined && resumed - tUp <= 60_000;
      if (!ok) fail(`Meilisearch restart: articles were not stored again within 60 s`);
      emit(
        `meili kill 1/1 at ${at(tKill)}: SIGKILL Meilisearch (pid ${pid}), down ${s1(tUp - tKill)} s, restarted on port ${meili.port} with its data dir; ${backlog} jobs pending at the restart; ` +
          `${resumed === undefined ? 'NOT storing again within 90 s' : `storing again ${s1(resumed - tUp)} s after`} [bound 60.0 s]; ${storedNow}`,
      );
      await audit('after the Meilisearch restart', false);
    }

    // --- the end of publication, a scheduled pass, the final audit ----------------------------------------
    pub.finish();
    const tFinish = Date.now();
    const maxPeriod = Math.max(...o.periodsSeconds, 60) * 1000;
    progress('publication finished; waiting for every source to be fetched by its scheduler');
    while (fetchedSince(tFinish).size < feedIndexes.length && Date.now() < tFinish + maxPeriod + 30_000) await sleep(500);
    const scheduled = fetchedSince(tFinish);
    const missing = feedIndexes.filter((f) => !scheduled.has(f)).map(idOfFeed);
    if (missing.length) fail(`${missing.length} sources were not fetched by their schedulers within ${s1(maxPeriod + 30_000)} s after publication ended: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ' …' : ''}`);
    emit(`scheduled pass after publication ended: ${scheduled.size}/${feedIndexes.length} sources fetched by their schedulers within ${s1(Date.now() - tFinish)} s; ${await storedText()}`);
    await audit('final', true);

    // --- d) the cross-posting source, as the final store has it -------------------------------------------
    if (pub.aggregatorUrl) {
      injected++;
      const relayed = (await expectedArticles(pub.renderAggregator(publishMs), feedSource(-1), 'application/rss+xml; charset=utf-8')).map((a) => a.id);
      const stored = await storedView();
      const underAggregator = relayed.filter((id) => stored.get(id)?.sourceId === AGGREGATOR).length;
      const underPublisher = relayed.filter((id) => stored.get(id)?.sourceId.startsWith('workload-')).length;
      emit(
        `cross-posting source "${AGGREGATOR}" (${new URL(pub.aggregatorUrl).host}): relayed ${relayed.length} items of ${o.feeds} feeds under ?utm_source links; ` +
          `stored under their publisher: ${underPublisher}, under the aggregator: ${underAggregator}, missing: ${relayed.length - underPublisher - underAggregator}`,
      );
    }

    // --- diagnosis: why jobs failed, what the workers complained about ------------------------------------
    for (const [name, q] of [['enrich', qE], ['ingest', qI]] as const) {
      const failed = await within(10_000, q.getFailed(0, 999)).catch(() => []);
      if (!failed.length) continue;
      const by = new Map<string, number>();
      for (const j of failed) by.set((j.failedReason ?? '?').slice(0, 100), (by.get((j.failedReason ?? '?').slice(0, 100)) ?? 0) + 1);
      emit(`failed ${name} jobs left: ${failed.length} [${[...by].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([m, n]) => `${n}× "${m}"`).join('; ')}]`);
    }
    const complaints = new Map<string, number>();
    for (const f of logFiles(logDir)) {
      for (const l of readFileSync(f, 'utf8').split('\n')) {
        if (!l.startsWith('{')) continue;
        try {
          const j = JSON.parse(l) as { level?: number; msg?: string; err?: unknown };
          if ((j.level ?? 0) < 40) continue;
          const err = typeof j.err === 'string' ? j.err : ((j.err as { message?: string } | undefined)?.message ?? '');
          const key = `${j.msg}: ${err}`.slice(0, 110);
          complaints.set(key, (complaints.get(key) ?? 0) + 1);
        } catch {
          // not a log line
        }
      }
    }
    if (complaints.size) {
      emit(`warnings and errors in the process logs: ${[...complaints].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([m, n]) => `${n}× "${m}"`).join('; ')}`);
    }
  } catch (err) {
    fail(`the benchmark itself failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await Promise.allSettled([...workers, api].map((p) => (p ? (ending.add(p), within(15_000, p.kill('SIGTERM')).catch(() => p.kill('SIGKILL'))) : undefined)));
    await Promise.allSettled([ingestQ?.close(), enrichQ?.close()]);
    probe?.disconnect();
    await store?.close().catch(() => {});
    await redis?.stop().catch(() => {});
    await meili?.stop().catch(() => {});
    await pub?.close().catch(() => {});
    if (workload) {
      ending.add(workload);
      await workload.kill('SIGTERM');
    }
  }

  for (const f of failures) emit(`FAIL: ${f}`);
  const ok = failures.length === 0 && lostIds.size === 0 && duplicatedIds.size === 0 && overwrittenIds.size === 0;
  if (o.keep === 'always' || (o.keep === 'on-failure' && !ok)) emit(`logs and store kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  emit(`faults: ${injected} injected, ${lostIds.size} lost, ${duplicatedIds.size} duplicated, ${overwrittenIds.size} overwritten`);
  return { lines, injected, lost: lostIds.size, duplicated: duplicatedIds.size, overwritten: overwrittenIds.size, failures, ok, workDir: work };
}

function logFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.startsWith('worker-') || f.startsWith('api'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
