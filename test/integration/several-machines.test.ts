import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { startFixtureServer, type FixtureServer } from '../../src/fixtures/server.js';
import { shippedConfig } from '../helpers/config.js';
import { ITEMS_PER_SOURCE } from '../helpers/catalogue.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { startLocalPostgres, type LocalPostgres } from '../helpers/postgres.js';
import { startLocalMeili } from '../../bench/meili-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Processes as on several hosts: two API processes and two worker processes, each with a data directory
 * of its own, sharing only Redis, PostgreSQL (the records) and Meilisearch (the search index).
 */
const TOKEN = 'several-machines-admin-token';
const prefix = uniquePrefix('hosts');
let cluster: LocalPostgres;
let meili: Awaited<ReturnType<typeof startLocalMeili>>;
let fixtures: FixtureServer;
let api: { deps: Deps; running: Running };
let api2: { deps: Deps; running: Running };
let workers: Array<{ deps: Deps; running: Running }>;
const DEFAULT_SOURCES = ['regjeringen-kdd', 'nordregio-news', 'tillvaxtverket-nyheter', 'stockholmregion-eu'];

beforeAll(async () => {
  cluster = await startLocalPostgres();
  meili = await startLocalMeili();
  if ('skip' in meili) throw new Error(`Meilisearch cannot run here: ${meili.skip}`);
  const index = { MEILI_HOST: meili.host, MEILI_API_KEY: meili.apiKey, MEILI_INDEX: `hosts_${process.pid}` };
  fixtures = await startFixtureServer();
  const databaseUrl = await cluster.createDatabase();
  const host = async (services: Parameters<typeof startServices>[1]) => {
    const env = { QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-host-')), DATABASE_URL: databaseUrl, ALLOW_PRIVATE_HOSTS: '127.0.0.1', ADMIN_TOKEN: TOKEN, PORT: '0', HOST_INTERVAL_MS: '0', ...index };
    const shipped = shippedConfig(env);
    const config = { ...shipped, sources: shipped.sources.filter((s) => DEFAULT_SOURCES.includes(s.id)).map((s) => ({ ...s, url: fixtures.urls.get(s.id)! })) };
    const deps = await createDeps(config);
    return { deps, running: await startServices(deps, services) };
  };
  api = await host({ api: true, schedulers: true });
  api2 = await host({ api: true });
  workers = [await host({ ingest: true, enrich: true }), await host({ ingest: true, enrich: true })];
}, 120_000);

afterAll(async () => {
  await api?.running.close();
  await api2?.running.close();
  for (const w of workers ?? []) await w.running.close();
  await fixtures?.close();
  await clearPrefix(prefix);
  await cluster?.stop();
  if (meili && !('skip' in meili)) await meili.stop();
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${api.running.port}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('several machines: separate data directories, shared Redis, PostgreSQL and Meilisearch', () => {
  it('stores every article of the sources once, whichever worker took them, and the index equals the records', async () => {
    const expected = DEFAULT_SOURCES.reduce((n, id) => n + ITEMS_PER_SOURCE.get(id)!, 0);
    await waitFor('the sources ingested', async () => (await api.deps.store.count({ withDuplicates: true })) === expected, 60_000, 250);
    for (const w of workers) expect(await w.deps.store.count({ withDuplicates: true })).toBe(expected);
    // The index follows the records (each write brings it up to date once the records are committed): it comes to
    // hold the same articles, and both API processes answer from them.
    await waitFor('the index to follow the records', async () => (await api.deps.store.checkIndex()).indexed === expected, 30_000, 250);
    const check = await api.deps.store.checkIndex();
    expect([check.stored, check.indexed, check.onlyStoredCount, check.onlyIndexedCount, check.differingCount]).toEqual([expected, expected, 0, 0, 0]);
    for (const a of [api, api2]) {
      const body = (await (await fetch(`http://127.0.0.1:${a.running.port}/api/articles?limit=100`)).json()) as { items: unknown[] };
      expect(body.items).toHaveLength(expected);
      const hits = (await (await fetch(`http://127.0.0.1:${a.running.port}/api/search?q=regional`)).json()) as { total: number };
      expect(hits.total).toBeGreaterThan(0);
    }
  });

  it('applies an admin change made through the API process at the other workers’ next fetch', async () => {
    const res = await call('POST', '/api/admin/sources', { id: 'siva-runtime', name: 'Siva (added at runtime)', url: fixtures.urls.get('siva-nyheter'), kind: 'feed', country: 'NO', language: 'nob', schedule: { every: '6h' } });
    expect(res.status).toBe(201);
    // Each worker reads the catalogue from PostgreSQL, not from its own data directory.
    for (const w of workers) expect(await w.deps.catalogue.get('siva-runtime')).toMatchObject({ name: 'Siva (added at runtime)' });
    await waitFor('the added source ingested', async () => (await api.deps.store.countBySource()).get('siva-runtime') === ITEMS_PER_SOURCE.get('siva-nyheter'), 60_000, 250);
    expect((await call('POST', '/api/admin/sources/siva-runtime/pause', { reason: 'flytting' })).status).toBe(200);
    for (const w of workers) expect((await w.deps.state.getHealth(['siva-runtime'])).get('siva-runtime')?.operatorPause).toBe('flytting');
  });

  it('keeps webhooks in PostgreSQL too: one made through the API process is the one every worker host delivers', async () => {
    const res = await call('POST', '/api/admin/webhooks', { url: 'http://127.0.0.1:9/hook', format: 'json' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    for (const w of workers) expect((await w.deps.webhooks.list()).map((h) => h.id)).toContain(id);
  });
});
