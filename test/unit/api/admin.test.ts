import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSourceAdmin } from '../../../src/sources/admin.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { checkPublicUrl, type LookupAll } from '../../../src/pipeline/fetch/address.js';
import { shippedConfig } from '../../helpers/config.js';
import { createLogger } from '../../../src/observability/log.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';

const config = shippedConfig();
const log = createLogger('silent');
const TOKEN = 'test-admin-token-0123456789';

/** No DNS in unit tests: these names resolve privately or not at all, every other name to a public address. */
const lookup: LookupAll = async (host) => {
  if (host === 'intranet.example') return [{ address: '93.184.216.34' }, { address: '192.168.1.10' }];
  if (host.endsWith('.invalid')) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address: '93.184.216.34' }];
};

function instance(sources = config.sources) {
  const store = createSqliteStore(':memory:');
  const state = createMemoryFetchState();
  const catalogue = createStaticCatalogue(sources);
  const fetched: string[] = [];
  const admin = createSourceAdmin({
    catalogue,
    state,
    fetchNow: async (id) => void fetched.push(id),
    reschedule: async () => {},
    checkUrl: (url) => checkPublicUrl(url, { allowPrivateHosts: config.env.ALLOW_PRIVATE_HOSTS, lookup }),
  });
  const app = createApp({ store, state, catalogue, taxonomy: config.taxonomy, redisReady: async () => true, log, admin: { token: TOKEN, sources: admin } });
  const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, call, fetched };
}

const newSource = { id: 'trondelag-fylke', name: 'Trøndelag fylkeskommune', url: 'https://www.trondelagfylke.no/rss', kind: 'feed', country: 'NO', language: 'nob', schedule: { every: '3h', jitter: 0.2 } };

describe('admin API', () => {
  it('is absent without ADMIN_TOKEN', async () => {
    const app = createApp({ store: createSqliteStore(':memory:'), state: createMemoryFetchState(), catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, redisReady: async () => true, log });
    expect((await app.request('/api/admin/sources', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('refuses requests without the bearer token, or with a wrong one, as problem+json', async () => {
    const { call } = instance();
    for (const token of [null, 'wrong-token-wrong-token']) {
      const res = await call('GET', '/api/admin/sources', undefined, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('adds a newsletter source without queueing a fetch; refreshing it is refused, naming why', async () => {
    const { call, fetched } = instance();
    const nl = { id: 'reglab-nyhetsbrev', name: 'Reglab', url: 'https://www.reglab.se/nyhetsbrev', kind: 'newsletter', country: 'SE', newsletter: { token: 'reglab-7f3a', from: ['@reglab.se'] } };
    const created = await call('POST', '/api/admin/sources', nl);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ kind: 'newsletter', newsletter: { token: 'reglab-7f3a', from: ['@reglab.se'], listId: [], requireAuth: false } });
    const refresh = await call('POST', '/api/admin/sources/reglab-nyhetsbrev/refresh');
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ parameter: 'id', detail: expect.stringContaining('its issues arrive by e-mail') });
    expect(await (await call('POST', '/api/admin/sources/reglab-nyhetsbrev/resume')).json()).toEqual({ id: 'reglab-nyhetsbrev', status: 'resumed' });
    expect(fetched).toEqual([]);
    const bad = await call('POST', '/api/admin/sources', { ...nl, id: 'x-nl', newsletter: { token: 'reglab-7f3a' }, listing: { item: 'li', title: 'a', link: 'a' } });
    expect(bad.status).toBe(400);
  });

  it('adds, changes, pauses, resumes, refreshes and deletes a source, and /api/sources follows', async () => {
    const { call, fetched } = instance();
    const created = await call('POST', '/api/admin/sources', newSource);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/admin/sources/trondelag-fylke');
    expect((await call('POST', '/api/admin/sources', newSource)).status).toBe(409);
    expect(fetched).toEqual(['trondelag-fylke']);

    const changed = await call('PUT', '/api/admin/sources/trondelag-fylke', { ...newSource, name: 'Trøndelag fylke' });
    expect(((await changed.json()) as any).name).toBe('Trøndelag fylke');

    expect((await call('POST', '/api/admin/sources/trondelag-fylke/pause', { reason: 'nettstaden blir bygd om' })).status).toBe(200);
    const listed = (await (await call('GET', '/api/sources', undefined, null)).json()) as any;
    expect(listed.items.find((s: any) => s.id === 'trondelag-fylke')).toMatchObject({ name: 'Trøndelag fylke', status: 'paused', pausedReason: 'paused by the operator: nettstaden blir bygd om' });

    expect((await call('POST', '/api/admin/sources/trondelag-fylke/resume')).status).toBe(202);
    expect((await call('POST', '/api/admin/sources/trondelag-fylke/refresh')).status).toBe(202);
    expect(fetched).toEqual(['trondelag-fylke', 'trondelag-fylke', 'trondelag-fylke']);

    expect((await call('DELETE', '/api/admin/sources/trondelag-fylke')).status).toBe(204);
    expect((await call('DELETE', '/api/admin/sources/trondelag-fylke')).status).toBe(404);
    const after = (await (await call('GET', '/api/sources', undefined, null)).json()) as any;
    expect(after.items.map((s: any) => s.id)).not.toContain('trondelag-fylke');
  });

  it('names the field at fault in a bad source, and refuses a body that is no JSON', async () => {
    const { call } = instance();
    const bad = await call('POST', '/api/admin/sources', { ...newSource, country: 'Norway' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).parameter).toBe('body.country');
    const notJson = await call('POST', '/api/admin/sources', '{"id":', TOKEN);
    expect(notJson.status).toBe(400);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'host 169.254.169.254 is a private, loopback or link-local address'],
    ['http://[::ffff:10.0.0.1]/feed', 'host ::ffff:a00:1 is a private, loopback or link-local address'],
    ['https://intranet.example/rss', 'host intranet.example resolves to 192.168.1.10, a private, loopback or link-local address'],
    ['https://nowhere.invalid/rss', 'host nowhere.invalid does not resolve'],
  ])('refuses to add or change a source at %s, naming body.url, and stores nothing', async (url, reason) => {
    const { call, fetched } = instance();
    const res = await call('POST', '/api/admin/sources', { ...newSource, url });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as any;
    expect(problem.parameter).toBe('body.url');
    expect(problem.detail).toContain(reason);
    expect((await call('GET', '/api/admin/sources/trondelag-fylke')).status).toBe(404);
    expect(fetched).toEqual([]);

    const existing = config.sources[0]!;
    const put = await call('PUT', `/api/admin/sources/${existing.id}`, { ...newSource, url });
    expect(put.status).toBe(400);
    expect(((await put.json()) as any).parameter).toBe('body.url');
    expect(((await (await call('GET', `/api/admin/sources/${existing.id}`)).json()) as any).url).toBe(existing.url);
  });

  it('imports OPML without the outlines whose URL is refused, and says why', async () => {
    const { call } = instance([]);
    const opml = `<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="Siva" type="rss" xmlUrl="https://siva.no/feed/"/>
  <outline text="Metadata" type="rss" xmlUrl="http://169.254.169.254/latest/meta-data/"/>
  <outline text="Intranett" type="rss" xmlUrl="https://intranet.example/rss"/>
  <outline text="Distriktssenteret" type="rss" xmlUrl="https://distriktssenteret.no/feed/"/>
</body></opml>`;
    const res = await call('POST', '/api/admin/opml?country=NO', opml);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as any;
    expect(summary.created).toEqual(['siva', 'distriktssenteret']);
    expect(summary.rejected).toEqual([
      { outline: 'Metadata', reason: expect.stringContaining('host 169.254.169.254 is a private') },
      { outline: 'Intranett', reason: expect.stringContaining('resolves to 192.168.1.10') },
    ]);
    const stored = (await (await call('GET', '/api/admin/sources')).json()) as any;
    expect(stored.items.map((s: any) => s.id)).toEqual(['siva', 'distriktssenteret']);
  });

  it('exports OPML that, imported into an empty instance, reproduces the catalogue', async () => {
    const full = instance();
    const opml = await (await full.call('GET', '/api/admin/opml')).text();
    const empty = instance([]);
    const res = await empty.call('POST', '/api/admin/opml', opml);
    const summary = (await res.json()) as any;
    expect(summary.created).toHaveLength(config.sources.length);
    expect(summary.rejected).toEqual([]);
    const exported = (await (await full.call('GET', '/api/admin/sources')).json()) as any;
    const imported = (await (await empty.call('GET', '/api/admin/sources')).json()) as any;
    expect(imported.items).toEqual(exported.items);
    expect((await empty.call('POST', '/api/admin/opml', '<html/>')).status).toBe(422);
  });
});
