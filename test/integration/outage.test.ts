import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { createRedis, redisErrorLogger } from '../../src/queue/connection.js';
import { createLogger } from '../../src/observability/log.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { createMeiliStore } from '../../src/store/meili/index.js';
import { startLocalMeili, type LocalMeili } from '../../bench/meili-server.js';
import { shippedConfig } from '../helpers/config.js';
import { makeArticle } from '../helpers/factories.js';
import { exited, ROOT } from '../helpers/processes.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startRedisServer, type RedisServer } from '../../bench/redis-server.js';
import { waitFor } from '../helpers/wait.js';

/** The outage issue's acceptance bound: the API answers within a second while Redis is down. */
const ANSWER_WITHIN_MS = 1_000;

async function timed(url: string, init?: RequestInit) {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as any;
  return { status: res.status, body, ms: performance.now() - t0 };
}

describe('the API while its own Redis goes down and comes back', () => {
  let redis: RedisServer;
  let deps: Deps;
  let running: Running;
  let api: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'rr-outage-'));

  beforeAll(async () => {
    redis = await startRedisServer();
    deps = await createDeps(shippedConfig({ REDIS_URL: redis.url, QUEUE_PREFIX: uniquePrefix('outage'), DATA_DIR: dataDir, PORT: '0' }), { store: createSqliteStore(':memory:') });
    running = await startServices(deps, { api: true });
    api = `http://127.0.0.1:${running.port}`;
    await deps.store.upsertBatch([makeArticle({ sourceId: 'regjeringen-kdd' })]);
    await deps.state.recordFetch('regjeringen-kdd', { at: '2026-11-22T10:00:00.000Z', status: 'ok', itemCount: 1 });
  });

  afterAll(async () => {
    await running?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says what is unavailable within a second, and is ready again once Redis is back', async () => {
    const before = await timed(`${api}/api/sources`);
    expect(before.body.unavailable).toEqual([]);
    expect(before.body.items.find((s: any) => s.id === 'regjeringen-kdd')).toMatchObject({ status: 'ok', itemCount: 1 });
    expect((await timed(`${api}/readyz`)).status).toBe(200);

    // A worker's connection must keep waiting through the outage (BullMQ's blocking connections need it).
    const worker = createRedis(redis.url, 'worker');
    await worker.set('outage-probe', 'waited');
    try {
      await redis.kill();
      const waiting = worker.get('outage-probe');
      // The fault run's slow answers came once the client's reconnect delays had grown: ask a few seconds in.
      await new Promise((r) => setTimeout(r, 3_000));

      const ready = await timed(`${api}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'not-ready', store: true, redis: false, unavailable: ['redis'] });
      expect(ready.ms).toBeLessThan(ANSWER_WITHIN_MS);

      const sources = await timed(`${api}/api/sources`);
      expect(sources.status).toBe(200);
      expect(sources.body.unavailable).toEqual(['redis']);
      expect(sources.body.items.find((s: any) => s.id === 'regjeringen-kdd')).toMatchObject({ status: 'unknown', lastFetchAt: null, itemCount: 1 });
      expect(sources.body.items.some((s: any) => s.status === 'never-fetched')).toBe(false);
      expect(sources.ms).toBeLessThan(ANSWER_WITHIN_MS);

      await redis.restart();
      await waitFor('/readyz to answer 200 after the restart', async () => (await fetch(`${api}/readyz`)).status === 200, 5_000);
      // The restarted Redis is empty (no persistence), so the probe's value is gone; what matters is that the command waited.
      expect(await waiting).toBeNull();
    } finally {
      worker.disconnect();
    }
  });
});

describe('Redis connection errors', () => {
  it('are logged as JSON, once per outage at error level, never printed by ioredis', async () => {
    const redis = await startRedisServer();
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const consoleError = vi.spyOn(console, 'error');
    const connection = createRedis(redis.url, 'producer', { onError: redisErrorLogger(createLogger('debug', sink), 'test').onError });
    try {
      await connection.ping();
      await redis.kill();
      // Several reconnect attempts, each an 'error' event.
      await waitFor('repeated connection errors', async () => lines.filter((l) => l.level === 20).length >= 2, 10_000);
      const errors = lines.filter((l) => l.level === 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ connection: 'test', msg: 'redis connection error', err: { code: 'ECONNREFUSED' } });
      expect(errors[0].err.stack).toMatch(/\n\s+at /);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
      connection.disconnect();
      await redis.stop();
    }
  });
});

describe("the Meilisearch store's ping while the engine hangs", () => {
  let meili: LocalMeili | { skip: string };
  beforeAll(async () => {
    meili = await startLocalMeili();
  });
  afterAll(async () => {
    if (!meili || 'skip' in meili) return;
    // A test that timed out while the engine was stopped must not leave it stopped.
    try {
      process.kill(meili.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    await meili.stop();
  });

  it('answers false instead of waiting for an engine that does not answer', async (ctx) => {
    if ('skip' in meili) return ctx.skip(meili.skip);
    const store = await createMeiliStore({ host: meili.host, apiKey: meili.apiKey, index: uniquePrefix('outage') });
    try {
      expect(await store.ping()).toBe(true);
      // Stopped, not killed: its port still accepts connections, so only a timeout ends the request.
      process.kill(meili.pid, 'SIGSTOP');
      const stopped = (pid: number) => readdirSync(`/proc/${pid}/task`).every((t) => readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1]?.startsWith('T'));
      await waitFor('every Meilisearch thread to stop', async () => stopped((meili as LocalMeili).pid), 5_000, 10);
      try {
        expect(await store.ping()).toBe(false);
      } finally {
        process.kill(meili.pid, 'SIGCONT');
      }
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('regionradar api while Redis is down', () => {
  it('writes nothing but JSON lines to stdout and stderr', async () => {
    const redis = await startRedisServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'rr-outage-cli-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: redis.url,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      QUEUE_PREFIX: uniquePrefix('outage-cli'),
      API_PROCESSES: '1',
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: 'outage-test-admin-token',
    };
    // The embedded store: this is about Redis.
    delete env.MEILI_HOST;
    delete env.MEILI_API_KEY;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'api'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const listening = await Promise.race([
        waitFor('the API to listen', async () => /"msg":"API listening"/.test(stdout) && stdout, 30_000),
        exited(child).then((code) => Promise.reject(new Error(`regionradar api exited (${code}) before listening:\n${stdout}${stderr}`))),
      ]);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(listening.split('\n').find((l) => l.includes('API listening'))!)![1]);
      const api = `http://127.0.0.1:${port}`;
      expect((await fetch(`${api}/readyz`)).status).toBe(200);

      await redis.kill();
      expect((await fetch(`${api}/readyz`)).status).toBe(503);
      expect((await fetch(`${api}/api/sources`)).status).toBe(200);
      expect((await fetch(`${api}/api/articles`)).status).toBe(200);
      // An admin action needs Redis: a 5xx, whose error goes to the log.
      const pause = await fetch(`${api}/api/admin/sources/regjeringen-kdd/pause`, {
        method: 'POST',
        headers: { authorization: 'Bearer outage-test-admin-token', 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'outage test' }),
      });
      expect(pause.status).toBeGreaterThanOrEqual(500);
      // Let the connections fail a few reconnect attempts, each an 'error' event.
      await new Promise((r) => setTimeout(r, 2_500));

      child.kill('SIGTERM');
      await exited(child);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }

    const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
    const notJson = [...lines(stdout), ...lines(stderr)].filter((l) => {
      try {
        return typeof JSON.parse(l) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const logged = lines(stdout).map((l) => JSON.parse(l));
    // The outage and the failed request are in the log, each error with its stack inside the object.
    expect(logged.some((l) => l.level === 50 && l.msg === 'redis connection error' && typeof l.err?.stack === 'string')).toBe(true);
    expect(logged.some((l) => l.level === 50 && l.msg === 'request failed' && l.path === '/api/admin/sources/regjeringen-kdd/pause')).toBe(true);
  });
});
