import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSourceAdmin } from '../../../src/sources/admin.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { shippedConfig } from '../../helpers/config.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';

const config = shippedConfig();
const TOKEN = 'test-admin-token-0123456789';

function instance(sources = config.sources) {
  const store = createSqliteStore(':memory:');
  const state = createMemoryFetchState();
  const catalogue = createStaticCatalogue(sources);
  const fetched: string[] = [];
  const admin = createSourceAdmin({ catalogue, state, fetchNow: async (id) => void fetched.push(id), reschedule: async () => {} });
  const app = createApp({ store, state, catalogue, taxonomy: config.taxonomy, redisReady: async () => true, admin: { token: TOKEN, sources: admin } });
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
    const app = createApp({ store: createSqliteStore(':memory:'), state: createMemoryFetchState(), catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, redisReady: async () => true });
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
