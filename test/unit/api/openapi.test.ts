import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../../src/api/app.js';
import {
  articleListSchema,
  articleSchema,
  buildOpenApi,
  healthSchema,
  problemSchema,
  readySchema,
  searchResultSchema,
  sourcesSchema,
  storyListSchema,
  storySchema,
  themesSchema,
} from '../../../src/api/openapi.js';
import { querySchemas, searchQuerySchema } from '../../../src/api/params.js';
import { LANGUAGE_CODES } from '../../../src/model/source.js';
import { createLogger } from '../../../src/observability/log.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSourceAdmin } from '../../../src/sources/admin.js';
import { articleQuerySchema } from '../../../src/store/filter.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { shippedConfig } from '../../helpers/config.js';
import { makeArticle } from '../../helpers/factories.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';

const config = shippedConfig();
const store = createSqliteStore(':memory:');
const app = createApp({
  store,
  state: createMemoryFetchState(),
  catalogue: createStaticCatalogue(config.sources),
  taxonomy: config.taxonomy,
  gazetteer: config.gazetteer,
  redisReady: async () => true,
  log: createLogger('silent'),
});
const s3 = [{ id: 'smart-specialisation', score: 6, terms: ['smart spesialisering'] }];
const articles = [
  makeArticle({ title: 'Veileder i smart spesialisering', language: 'nob', sourceId: 'regjeringen-kdd', themes: s3, author: 'KDD' }),
  makeArticle({
    title: 'Remiss: regional utveckling',
    language: 'swe',
    sourceId: 'tillvaxtverket-nyheter',
    country: 'SE',
    countries: ['SE'],
    documentType: 'consultation',
    deadline: '2030-01-01T00:00:00.000Z',
    departments: ['Näringsdepartementet'],
    publishedAtOriginal: '1970-01-01',
    regions: [{ code: 'SE-AC', name: 'Västerbotten', terms: ['Västerbotten'] }],
  }),
];
beforeAll(async () => {
  await store.upsertBatch(articles);
  // Two reports of one story, so that `alsoReportedBy` and /api/stories answer with something to check.
  await store.setStories(articles.map((a) => ({ id: a.id, story: articles[0]!.id })));
});

const doc = buildOpenApi();
type Param = { name: string; in: string; required: boolean; schema: Record<string, any>; description?: string };
const paramsOf = (path: string, method = 'get'): Param[] => ((doc.paths as any)[path][method].parameters ?? []) as Param[];
const get = async (path: string) => {
  const res = await app.request(path);
  return { res, body: (await res.json()) as any };
};

/** A value of each documented query parameter that its schema allows (the test fails when a parameter has none here). */
const VALID: Record<string, string> = {
  theme: 'smart-specialisation',
  lang: 'nob',
  source: 'regjeringen-kdd',
  country: 'NO',
  region: 'SE-AC',
  since: '2020-01-01',
  until: '2030-01-01',
  type: 'consultation',
  deadline_from: '2020-01-01',
  deadline_to: '2030-01-01',
  status: 'open',
  limit: '5',
  q: 'smart',
  sort: 'published',
  qlang: 'nob',
};

/** The routes documented with query parameters, with the path to request and the schema each route validates with. */
const ROUTES: Array<[keyof typeof querySchemas, string, z.ZodObject]> = [
  ['/api/articles', '/api/articles', articleQuerySchema as unknown as z.ZodObject],
  ['/api/search', '/api/search', searchQuerySchema],
  ['/feeds/all.rss', '/feeds/all.rss', articleQuerySchema as unknown as z.ZodObject],
  ['/feeds/all.atom', '/feeds/all.atom', articleQuerySchema as unknown as z.ZodObject],
  ['/feeds/all.json', '/feeds/all.json', articleQuerySchema as unknown as z.ZodObject],
];

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document of every route of the JSON API', async () => {
    const { res, body } = await get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        '/api/articles',
        '/api/articles/{id}',
        '/api/search',
        '/api/stories',
        '/api/stories/{id}',
        '/api/themes',
        '/api/sources',
        '/feeds/all.rss',
        '/feeds/all.atom',
        '/feeds/all.json',
        '/healthz',
        '/readyz',
        '/api/openapi.json',
        '/api/docs',
        '/api/admin/sources',
        '/api/admin/sources/{id}',
        '/api/admin/sources/{id}/pause',
        '/api/admin/sources/{id}/resume',
        '/api/admin/sources/{id}/refresh',
        '/api/admin/opml',
        '/api/admin/webhooks',
        '/api/admin/webhooks/{id}',
        '/api/subscriptions',
        '/feeds/private/{feed}',
      ].sort(),
    );
    // Every $ref points at a component, and every admin operation needs the bearer token.
    const refs = [...JSON.stringify(body).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
    for (const name of refs) expect(body.components.schemas).toHaveProperty(name);
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const m of ['get', 'post', 'put', 'delete']) if (item[m] && path.startsWith('/api/admin')) expect(item[m].security).toEqual([{ adminToken: [] }]);
    }
    expect(body.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('states each parameter as z.toJSONSchema of the schema the route validates it with', () => {
    const lang = paramsOf('/api/articles').find((p) => p.name === 'lang')!;
    expect(lang.schema.type).toBe('array');
    expect(lang.schema.items.enum).toEqual([...LANGUAGE_CODES, 'und']);
    expect(lang).toMatchObject({ in: 'query', required: false, style: 'form', explode: false });
    expect(paramsOf('/api/search').find((p) => p.name === 'qlang')!.schema.enum).toEqual(['nob', 'nno', 'swe', 'dan', 'fin', 'eng']);
    expect(paramsOf('/api/search').find((p) => p.name === 'q')!.required).toBe(true);
    expect(paramsOf('/api/articles').find((p) => p.name === 'q')!.required).toBe(false);
    expect(paramsOf('/api/articles').find((p) => p.name === 'limit')!.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(paramsOf('/feeds/all.atom').find((p) => p.name === 'limit')!.schema.default).toBe(50);
    expect(paramsOf('/api/articles').find((p) => p.name === 'since')!.schema).toEqual({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' });
    expect(paramsOf('/api/articles/{id}')).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' } })]);
    for (const [route] of ROUTES) for (const p of paramsOf(route)) expect(p.description, `${route} ${p.name}`).toBeTruthy();
  });

  it.each(ROUTES)('%s: documents exactly the parameters the route accepts', async (route, path, schema) => {
    const documented = paramsOf(route).map((p) => p.name);
    expect(documented).toEqual(Object.keys(schema.shape));
    expect(documented).toEqual(Object.keys(querySchemas[route]));
    const required = route === '/api/search' ? `q=${VALID.q}&` : '';
    for (const name of documented) {
      // A documented parameter is never "unknown" to the route (a cursor is refused for its value, not its name).
      const res = await app.request(`${path}?${required}${name}=${encodeURIComponent(VALID[name] ?? 'bm9wZQ')}`);
      if (name !== 'cursor') expect(res.status, `${route} ?${name}`).toBe(200);
      else expect((await res.json()) as any).toMatchObject({ parameter: 'cursor', detail: expect.stringContaining('is not a cursor') });
    }
    // And a parameter the document does not name is refused.
    const { res, body } = await get(`${path}?${required}colour=red`);
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ parameter: 'colour', detail: expect.stringContaining('unknown parameter') });
  });

  it.each(ROUTES)('%s: a value the document forbids gets a 400 naming the parameter', async (route, path) => {
    const required = route === '/api/search' ? `q=${VALID.q}&` : '';
    let checked = 0;
    for (const p of paramsOf(route)) {
      const s = p.schema.type === 'array' ? p.schema.items : p.schema;
      const bad = Array.isArray(s.enum) ? 'xx' : s.pattern ? '!!' : s.maximum !== undefined ? String(s.maximum + 1) : s.maxLength !== undefined ? 'a'.repeat(s.maxLength + 1) : undefined;
      if (bad === undefined) continue;
      if (Array.isArray(s.enum)) expect(s.enum).not.toContain(bad);
      if (s.pattern) expect(new RegExp(s.pattern).test(bad)).toBe(false);
      const res = await app.request(`${path}?${p.name === 'q' ? '' : required}${p.name}=${encodeURIComponent(bad)}`);
      expect(res.status, `${route} ?${p.name}=${bad}`).toBe(400);
      expect(((await res.json()) as any).parameter).toBe(p.name);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

describe('the admin routes', () => {
  it('document the OPML import country as the route validates it', async () => {
    const catalogue = createStaticCatalogue(config.sources);
    const state = createMemoryFetchState();
    const token = 'test-admin-token-0123456789';
    const sources = createSourceAdmin({ catalogue, state, fetchNow: async () => {}, reschedule: async () => {}, checkUrl: async () => {} });
    const admin = createApp({ store, state, catalogue, taxonomy: config.taxonomy, redisReady: async () => true, log: createLogger('silent'), admin: { token, sources } });
    const country = paramsOf('/api/admin/opml', 'post').find((p) => p.name === 'country')!;
    expect(country).toMatchObject({ in: 'query', required: false, schema: { type: 'string', pattern: '^[A-Z]{2}$' } });
    const res = await admin.request('/api/admin/opml?country=no', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '<opml version="2.0"><body/></opml>' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).parameter).toBe('country');
    const listed = await admin.request('/api/admin/sources', { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
  });
});

describe('response schemas', () => {
  it('hold real answers of the routes', async () => {
    const list = await get('/api/articles?limit=1');
    expect(list.body.items).toHaveLength(1);
    articleListSchema.parse(list.body);
    const all = await get('/api/articles');
    articleListSchema.parse(all.body);
    expect(all.body.items).toHaveLength(2);
    for (const a of articles) articleSchema.parse((await get(`/api/articles/${a.id}`)).body);
    const search = await get('/api/search?q=smart+spesialisering');
    expect(search.body.total).toBeGreaterThan(0);
    searchResultSchema.parse(search.body);
    const stories = await get('/api/stories');
    storyListSchema.parse(stories.body);
    expect(stories.body.items).toHaveLength(1);
    expect(all.body.items[0].alsoReportedBy).toHaveLength(1);
    storySchema.parse((await get(`/api/stories/${articles[0]!.id}`)).body);
    problemSchema.parse((await get('/api/stories/AAAAAAAAAAAAAAAAAAAAAA')).body);
    themesSchema.parse((await get('/api/themes')).body);
    sourcesSchema.parse((await get('/api/sources')).body);
    healthSchema.parse((await get('/healthz')).body);
    readySchema.parse((await get('/readyz')).body);
    const bad = await get('/api/articles?lang=xx');
    expect(bad.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    problemSchema.parse(bad.body);
    problemSchema.parse((await get('/api/articles/AAAAAAAAAAAAAAAAAAAAAA')).body);
  });

  it('refuse an answer with a field they do not name (so they stay honest)', async () => {
    const { body } = await get('/api/articles');
    expect(() => articleListSchema.parse({ ...body, items: [{ ...body.items[0], extra: 1 }] })).toThrow();
  });

  it('are in components.schemas as z.toJSONSchema states them', () => {
    const { $schema: _, ...article } = z.toJSONSchema(articleSchema) as Record<string, unknown>;
    expect(doc.components.schemas.Article).toEqual(article);
    expect((doc.components.schemas.Problem as any).properties).toHaveProperty('parameter');
  });
});

describe('GET /api/docs', () => {
  it('shows every path, its parameters and responses as HTML without script', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).not.toMatch(/<script/i);
    for (const path of Object.keys(doc.paths)) expect(page).toContain(path);
    expect(page).toContain('<code>qlang</code>');
    expect(page).toContain('one of nob, nno, swe, dan, fin, eng');
    expect(page).toContain('list of string, one of nob, nno, swe, dan, fin, isl, eng, sme, fao, und');
    expect(page).toContain('application/problem+json: Problem');
  });
});
