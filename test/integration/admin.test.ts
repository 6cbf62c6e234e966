import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { startFixtureServer, type FixtureServer } from '../../src/fixtures/server.js';
import type { Config } from '../../src/config/index.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'integration-admin-token-42';
const prefix = uniquePrefix('admin');
let fixtures: FixtureServer;
let config: Config;
let apiDeps: Deps;
let workerDeps: Deps;
let api: Running;
let workers: Running;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const env = { QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-admin-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1', ADMIN_TOKEN: TOKEN, PORT: '0' };
  // The config starts with one source; the API process and the worker process share the data directory, as in docker-compose.
  const shipped = shippedConfig(env);
  config = { ...shipped, sources: shipped.sources.filter((s) => s.id === 'regjeringen-kdd').map((s) => ({ ...s, url: fixtures.urls.get(s.id)!, enabled: false })) };
  apiDeps = await createDeps(config);
  workerDeps = await createDeps(config);
  api = await startServices(apiDeps, { api: true });
  workers = await startServices(workerDeps, { ingest: true, enrich: true });
});

afterAll(async () => {
  await api?.close();
  await workers?.close();
  await fixtures?.close();
  await clearPrefix(prefix);
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${api.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('admin API over real Redis and a shared data directory', () => {
  it('adds a source through the API process and a separate worker process fetches it at once', async () => {
    const res = await call('POST', '/api/admin/sources', {
      id: 'siva-runtime',
      name: 'Siva (added at runtime)',
      url: fixtures.urls.get('siva-nyheter'),
      kind: 'feed',
      country: 'NO',
      language: 'nob',
      schedule: { every: '6h' },
    });
    expect(res.status).toBe(201);
    await waitFor('the added source ingested by the worker process', async () => (await workerDeps.store.countBySource()).get('siva-runtime') === 2);
    // the schedule exists in Redis for every scheduler and worker to see
    const schedulers = await apiDeps.queues.ingest.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key)).toContain('siva-runtime');
  });

  it('pauses it for every worker, and the change outlives a restart', async () => {
    expect((await call('POST', '/api/admin/sources/siva-runtime/pause', { reason: 'omlegging av nettstaden' })).status).toBe(200);
    const health = await workerDeps.state.getHealth(['siva-runtime']);
    expect(health.get('siva-runtime')?.operatorPause).toBe('omlegging av nettstaden');
    expect((await call('PUT', '/api/admin/sources/siva-runtime', { name: 'Siva – nyheter', url: fixtures.urls.get('siva-nyheter'), kind: 'feed', country: 'NO' })).status).toBe(200);

    const restarted = await createDeps(config);
    try {
      const source = await restarted.catalogue.get('siva-runtime');
      expect(source).toMatchObject({ name: 'Siva – nyheter', kind: 'feed' });
      expect((await restarted.catalogue.list()).map((s) => s.id)).toEqual(['regjeringen-kdd', 'siva-runtime']);
    } finally {
      await restarted.close();
    }
  });

  it('deleting a source removes its schedule but keeps its stored articles', async () => {
    expect((await call('DELETE', '/api/admin/sources/siva-runtime')).status).toBe(204);
    const schedulers = await apiDeps.queues.ingest.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key)).not.toContain('siva-runtime');
    expect((await workerDeps.store.countBySource()).get('siva-runtime')).toBe(2);
  });
});

describe('admin API refuses source URLs that point inside the network', () => {
  it('answers 400 naming body.url for the metadata address, and stores and schedules nothing', async () => {
    const res = await call('POST', '/api/admin/sources', { id: 'metadata', name: 'Metadata', url: 'http://169.254.169.254/latest/meta-data/', kind: 'feed', country: 'NO' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { parameter: string; detail: string };
    expect(problem.parameter).toBe('body.url');
    expect(problem.detail).toContain('host 169.254.169.254 is a private, loopback or link-local address');
    expect((await call('GET', '/api/admin/sources/metadata')).status).toBe(404);
    expect(await workerDeps.catalogue.get('metadata')).toBeUndefined();
    expect((await apiDeps.queues.ingest.getJobSchedulers(0, -1)).map((s) => s.key)).not.toContain('metadata');
  });

  it('answers 400 naming body.url for a name that does not resolve (RFC 6761 .invalid)', async () => {
    const res = await call('POST', '/api/admin/sources', { id: 'nowhere', name: 'Nowhere', url: 'https://feeds.nowhere.invalid/rss', kind: 'feed', country: 'NO' });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { parameter: string; detail: string };
    expect(problem.parameter).toBe('body.url');
    expect(problem.detail).toContain('host feeds.nowhere.invalid does not resolve');
  });

  it('imports an OPML file without its metadata outline, and with the others', async () => {
    const opml = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0" xmlns:regionradar="https://regionradar.example/ns/opml/1"><body>
  <outline text="Metadata" type="rss" xmlUrl="http://169.254.169.254/latest/meta-data/"/>
  <outline text="Siva fra OPML" type="rss" xmlUrl="${fixtures.urls.get('siva-nyheter')}" regionradar:enabled="false"/>
</body></opml>`;
    const res = await fetch(`http://127.0.0.1:${api.port}/api/admin/opml?country=NO`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/x-opml' }, body: opml });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { created: string[]; updated: string[]; rejected: Array<{ outline: string; reason: string }> };
    expect(summary.created).toEqual(['siva-fra-opml']);
    expect(summary.rejected).toEqual([{ outline: 'Metadata', reason: expect.stringContaining('host 169.254.169.254 is a private') }]);
    // the worker process reads the shared catalogue: the allowed one is there, the refused one is not
    expect(await workerDeps.catalogue.get('siva-fra-opml')).toMatchObject({ name: 'Siva fra OPML', enabled: false });
    expect((await workerDeps.catalogue.list()).map((s) => s.id)).toEqual(['regjeringen-kdd', 'siva-fra-opml']);
  });
});
