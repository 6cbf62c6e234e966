import { beforeAll, describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { createApp } from '../../../src/api/app.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { shippedConfig } from '../../helpers/config.js';
import { createLogger } from '../../../src/observability/log.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';
import { makeArticle } from '../../helpers/factories.js';

const config = shippedConfig();
const log = createLogger('silent');
const store = createSqliteStore(':memory:');
const state = createMemoryFetchState();
const app = createApp({ store, state, catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, gazetteer: config.gazetteer, redisReady: async () => true, log });
const s3 = [{ id: 'smart-specialisation', score: 6, terms: ['smart spesialisering'] }];
const articles = [
  makeArticle({ title: 'Verkstad for regional utvikling', language: 'nno', sourceId: 'regjeringen-kdd', themes: s3, publishedAt: '2020-11-23T09:15:00.000Z', regions: [{ code: 'SE-AC', name: 'Västerbotten', terms: ['Västerbotten'] }] }),
  makeArticle({ title: 'Veileder i smart spesialisering', language: 'nob', sourceId: 'regjeringen-kdd', themes: s3, publishedAt: '2018-03-22T08:00:00.000Z' }),
  makeArticle({ title: 'Grön omställning', language: 'swe', sourceId: 'tillvaxtverket-nyheter', country: 'SE', countries: ['SE'], publishedAt: '2025-03-04T07:00:00.000Z', contentHtml: '<p>Safe</p>' }),
];

beforeAll(async () => {
  await store.upsertBatch(articles);
  await state.recordFetch('regjeringen-kdd', { at: '2026-11-22T10:00:00.000Z', status: 'ok', itemCount: 3 });
  await state.recordFetch('nordregio-news', { at: '2026-11-22T10:00:00.000Z', status: 'error', error: 'HTTP 503 (source nordregio-news, url https://nordregio.org/news/)' });
});

const titles = (body: any): string[] => body.items.map((a: any) => a.title);
const json = async (path: string, init?: RequestInit) => {
  const res = await app.request(path, init);
  return { res, body: (await res.json()) as any };
};

describe('GET /api/articles', () => {
  it('lists newest first, with themes and their terms', async () => {
    const { res, body } = await json('/api/articles');
    expect(res.status).toBe(200);
    expect(body.items.map((a: any) => a.title)).toEqual(['Grön omställning', 'Verkstad for regional utvikling', 'Veileder i smart spesialisering']);
    expect(body.items[1].themes[0]).toEqual({ id: 'smart-specialisation', label: 'Smart specialisation', score: 6, terms: ['smart spesialisering'] });
    expect(body.items[0].contentHtml).toBeUndefined();
  });

  it.each([
    ['?lang=nno', ['Verkstad for regional utvikling']],
    ['?theme=smart-specialisation', ['Verkstad for regional utvikling', 'Veileder i smart spesialisering']],
    ['?source=tillvaxtverket-nyheter', ['Grön omställning']],
    ['?country=SE', ['Grön omställning', 'Verkstad for regional utvikling']],
    ['?region=SE-AC', ['Verkstad for regional utvikling']],
    ['?region=NO-18,SE-AC&lang=swe', []],
    ['?since=2019-01-01&until=2021-01-01', ['Verkstad for regional utvikling']],
    ['?q=veileder', ['Veileder i smart spesialisering']],
    ['?lang=nob&lang=swe', ['Grön omställning', 'Veileder i smart spesialisering']],
  ])('filters %s', async (query, titles) => {
    const { body } = await json(`/api/articles${query}`);
    expect(body.items.map((a: any) => a.title)).toEqual(titles);
  });

  it('pages with a cursor', async () => {
    const first = await json('/api/articles?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await json(first.body.next);
    expect(second.body.items.map((a: any) => a.title)).toEqual(['Veileder i smart spesialisering']);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ['?limit=101', 'limit'],
    ['?limit=abc', 'limit'],
    ['?lang=xx', 'lang'],
    ['?since=yesterday', 'since'],
    ['?cursor=garbage', 'cursor'],
    ['?theme=Not%20A%20Slug', 'theme'],
    ['?colour=red', 'colour'],
    ['?region=Nordland', 'region'],
  ])('answers %s with a 400 problem naming the parameter', async (query, parameter) => {
    const { res, body } = await json(`/api/articles${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: 400, title: 'Bad Request', parameter });
    expect(body.detail).toContain(parameter);
  });

  // A value no config or catalogue knows is a typing mistake, not "no news": 400, naming parameter and value.
  it.each([
    ['?theme=smart-spesialisation', 'theme', 'smart-spesialisation'],
    ['?theme=smart-specialisation,nope', 'theme', 'nope'],
    ['?region=NO-99', 'region', 'NO-99'],
    ['?country=US', 'country', 'US'],
    ['?source=no-such-source', 'source', 'no-such-source'],
    ['?type=memo', 'type', 'memo'],
    ['?lang=nob,xx', 'lang', 'xx'],
    ['?status=closed', 'status', 'closed'],
  ])('answers %s, an unknown value, with a 400 naming %s and the value', async (query, parameter, value) => {
    const { res, body } = await json(`/api/articles${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: 400, parameter });
    expect(body.detail).toContain(`"${value}`);
  });

  it.each([
    ['/api/articles?q=%E0%A4%A', 'q'],
    ['/api/articles?theme=%zz', 'theme'],
    ['/api/search?q=%FFa', 'q'],
    ['/feeds/all.atom?lang=%C3', 'lang'],
  ])('answers %s, an invalid percent-encoding, with a 400 naming %s', async (path, parameter) => {
    const { res, body } = await json(path);
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ status: 400, parameter });
    expect(body.detail).toContain('percent-encoded');
  });

  it('accepts every known value: a theme, region, gazetteer country, catalogue source', async () => {
    for (const query of ['?theme=circular-economy', '?region=NO-18', '?country=FI', '?source=nordregio-news', '?q=gr%C3%B8n+omst%C3%A4llning']) {
      expect((await app.request(`/api/articles${query}`)).status).toBe(200);
    }
  });
});

describe('consultations', () => {
  it('filters on type and deadline and sorts soonest deadline first, with its own cursor', async () => {
    const a = makeArticle({ title: 'Høyring A', documentType: 'consultation', deadline: '2026-09-30T12:00:00.000Z', departments: ['Finansdepartementet'] });
    const b = makeArticle({ title: 'Høring B', documentType: 'consultation', deadline: '2026-08-14T12:00:00.000Z' });
    await store.upsertBatch([a, b]);
    const { body } = await json('/api/articles?type=consultation&sort=deadline&limit=1');
    expect(titles(body)).toEqual(['Høring B']);
    expect(body.items[0]).toMatchObject({ documentType: 'consultation', deadline: '2026-08-14T12:00:00.000Z' });
    const next = await json(body.next);
    expect(titles(next.body)).toEqual(['Høyring A']);
    expect(next.body.items[0].departments).toEqual(['Finansdepartementet']);
    expect(titles((await json('/api/articles?deadline_from=2026-09-01')).body)).toEqual(['Høyring A']);
    const mixed = await json(`/api/articles?cursor=${body.nextCursor}`);
    expect(mixed.res.status).toBe(400);
    expect(mixed.body.parameter).toBe('cursor');
    expect((await json('/api/articles?type=memo')).body.parameter).toBe('type');
  });

  it('lists open consultations, deadline not passed, with status=open', async () => {
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
    const open = makeArticle({ title: 'Høring om regionreformen', documentType: 'consultation', deadline: inDays(14) });
    const closed = makeArticle({ title: 'Høring som er lukket', documentType: 'consultation', deadline: inDays(-3) });
    await store.upsertBatch([open, closed]);
    const { res, body } = await json('/api/articles?status=open&sort=deadline');
    expect(res.status).toBe(200);
    expect(titles(body)).toEqual(['Høring om regionreformen']);
    await store.remove([open.id, closed.id]);
  });
});

describe('GET /api/articles/:id', () => {
  it('returns one article with its sanitized HTML', async () => {
    const { body } = await json(`/api/articles/${articles[2]!.id}`);
    expect(body).toMatchObject({ id: articles[2]!.id, contentHtml: '<p>Safe</p>', language: 'swe' });
  });
  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await app.request('/api/articles/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const { res, body } = await json('/api/articles/nope');
    expect(res.status).toBe(400);
    expect(body.parameter).toBe('id');
  });
});

describe('catalogue', () => {
  it('GET /api/themes gives every theme with labels and counts', async () => {
    const { body } = await json('/api/themes');
    expect(body.items.length).toBe(config.taxonomy.themes.length);
    expect(body.items.find((t: any) => t.id === 'smart-specialisation')).toMatchObject({ count: 2, labels: { nn: 'Smart spesialisering' } });
  });

  it('GET /api/sources gives each source with last fetch, status, last error and item count', async () => {
    const { body } = await json('/api/sources');
    expect(body.unavailable).toEqual([]);
    const kdd = body.items.find((s: any) => s.id === 'regjeringen-kdd');
    expect(kdd).toMatchObject({ status: 'ok', lastFetchAt: '2026-11-22T10:00:00.000Z', itemCount: 2, lastError: null });
    const nordregio = body.items.find((s: any) => s.id === 'nordregio-news');
    expect(nordregio).toMatchObject({ status: 'error', consecutiveFailures: 1, itemCount: 0 });
    expect(nordregio.lastError).toContain('HTTP 503');
    expect(body.items.find((s: any) => s.id === 'reglab-nyheter').status).toBe('never-fetched');
  });
});

describe('output feeds', () => {
  it('serves Atom with the same filters, and 304 for an unchanged feed', async () => {
    const res = await app.request('/feeds/all.atom?lang=nno');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const $ = cheerio.load(await res.text(), { xml: true });
    expect($('entry > title').map((_, e) => $(e).text()).get()).toEqual(['Verkstad for regional utvikling']);
    const again = await app.request('/feeds/all.atom?lang=nno', { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('names its filter in its title and links to the same filter’s page', async () => {
    const $ = cheerio.load(await (await app.request('/feeds/all.atom?theme=smart-specialisation&lang=nno')).text(), { xml: true });
    expect($('feed > title').text()).toBe('Regionradar — Smart specialisation · nynorsk');
    expect($('feed > link[rel=alternate]').attr('href')).toBe('http://localhost/?theme=smart-specialisation&lang=nno');
    const rss = cheerio.load(await (await app.request('/feeds/all.rss?region=NO-18&limit=5')).text(), { xml: true });
    expect(rss('channel > title').text()).toBe('Regionradar — Nordland');
    expect(rss('channel > link').text()).toBe('http://localhost/?region=NO-18');
    const feed = (await (await app.request('/feeds/all.json?source=regjeringen-kdd')).json()) as any;
    expect(feed.home_page_url).toBe('http://localhost/?source=regjeringen-kdd');
    expect(feed.title).toMatch(/^Regionradar — \S/);
    const all = cheerio.load(await (await app.request('/feeds/all.atom')).text(), { xml: true });
    expect(all('feed > title').text()).toBe('Regionradar');
    expect(all('feed > link[rel=alternate]').attr('href')).toBe('http://localhost/');
  });

  it('serves RSS and JSON Feed, and rejects bad filters with a problem', async () => {
    expect((await app.request('/feeds/all.rss')).headers.get('content-type')).toMatch(/rss\+xml/);
    const feed = (await (await app.request('/feeds/all.json?theme=smart-specialisation')).json()) as any;
    expect(feed.items).toHaveLength(2);
    const bad = await app.request('/feeds/all.json?lang=klingon');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).parameter).toBe('lang');
  });
});

describe('health and errors', () => {
  it('/healthz and /readyz', async () => {
    expect((await json('/healthz')).body).toEqual({ status: 'ok' });
    expect((await json('/readyz')).body).toEqual({ status: 'ready', store: true, redis: true, unavailable: [] });
    const down = createApp({ store, state, catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, redisReady: async () => false, log });
    const res = await down.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not-ready', store: true, redis: false, unavailable: ['redis'] });
  });

  it('answers unknown routes with a 404 problem and serves a restrictive CSP', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('/api/search', () => {
  it('ranks hits, marks the matched words, counts facets and pages with a cursor', async () => {
    const { res, body } = await json('/api/search?q=ve&limit=1');
    expect(res.status).toBe(200);
    expect(body.total).toBe(2);
    expect(body.items).toHaveLength(1);
    expect(body.items[0].highlight.title).toMatch(/<mark>/);
    expect(body.facets.languages).toEqual({ nno: 1, nob: 1 });
    expect(body.facets.themes).toEqual({ 'smart-specialisation': 2 });
    const second = await json(body.next);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(body.items[0].id);
    expect(second.body.nextCursor).toBeNull();
  });

  it('folds letters and escapes what it highlights', async () => {
    const { body } = await json('/api/search?q=gron+omstallning');
    expect(body.items.map((a: any) => a.title)).toEqual(['Grön omställning']);
    expect(body.items[0].highlight.title).toBe('<mark>Grön</mark> <mark>omställning</mark>');
  });

  it.each([
    ['', 'q'],
    ['?q=', 'q'],
    ['?q=x&sort=deadline', 'sort'],
    ['?q=x&cursor=abc', 'cursor'],
    // ranked hits page 10,000 deep at most (MAX_SEARCH_HITS), in both engines
    [`?q=x&cursor=${Buffer.from('s10000').toString('base64url')}`, 'cursor'],
    ['?q=x&qlang=de', 'qlang'],
  ])('answers %s with a 400 naming %s', async (query, parameter) => {
    const { res, body } = await json(`/api/search${query}`);
    expect(res.status).toBe(400);
    expect(body.parameter).toBe(parameter);
  });
});
