import { beforeAll, describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { createApp } from '../../../src/api/app.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { createLogger } from '../../../src/observability/log.js';
import { shippedConfig } from '../../helpers/config.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';
import { makeArticle } from '../../helpers/factories.js';

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
const summitSv = makeArticle({ title: 'Innovationstoppmöte i Stockholm', language: 'swe', sourceId: 'tillvaxtverket-nyheter', publishedAt: '2026-11-12T08:00:00.000Z' });
const summitEn = makeArticle({ title: 'Innovation Summit in Stockholm', language: 'eng', sourceId: 'nordregio-news', publishedAt: '2026-11-13T08:00:00.000Z' });
const copy = makeArticle({ title: 'Innovationstoppmöte i Stockholm', language: 'swe', sourceId: 'regjeringen-kdd', publishedAt: '2026-11-14T08:00:00.000Z' });
const alone = makeArticle({ title: 'Ferjeruter i Vestland', language: 'nno', sourceId: 'regjeringen-kdd', publishedAt: '2026-11-15T08:00:00.000Z' });

beforeAll(async () => {
  await store.upsertBatch([summitSv, summitEn, copy, alone]);
  await store.setStories([
    { id: summitSv.id, story: summitSv.id },
    { id: summitEn.id, story: summitSv.id },
    { id: copy.id, story: summitSv.id, duplicateOf: summitSv.id },
  ]);
});

const json = async (path: string) => {
  const res = await app.request(path);
  return { res, body: (await res.json()) as any };
};

describe('stories in the JSON API', () => {
  it('gives each article its story and the other reports of it; a near-copy is listed under its original only', async () => {
    const { body } = await json('/api/articles');
    expect(body.items.map((a: any) => a.title)).toEqual(['Ferjeruter i Vestland', 'Innovation Summit in Stockholm', 'Innovationstoppmöte i Stockholm']);
    const [lone, en, sv] = body.items;
    expect(lone.story).toBe(alone.id);
    expect(lone.alsoReportedBy).toEqual([]);
    expect(en.story).toBe(summitSv.id);
    expect(en.alsoReportedBy.map((m: any) => [m.id, m.duplicate])).toEqual([
      [summitSv.id, false],
      [copy.id, false],
    ]);
    expect(sv.alsoReportedBy.map((m: any) => [m.source, m.language, m.duplicate])).toEqual([
      ['nordregio-news', 'eng', false],
      ['regjeringen-kdd', 'swe', true],
    ]);
  });

  it('lists stories of two or more reports, latest first, each whole however the filter matched it', async () => {
    const { body } = await json('/api/stories');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: summitSv.id,
      title: 'Innovationstoppmöte i Stockholm',
      firstPublishedAt: summitSv.publishedAt,
      lastPublishedAt: copy.publishedAt,
      languages: ['swe', 'eng'],
      sources: ['tillvaxtverket-nyheter', 'nordregio-news', 'regjeringen-kdd'],
    });
    expect(body.items[0].articles.map((a: any) => a.id)).toEqual([summitSv.id, summitEn.id, copy.id]);
    // Matched through its English report, the story still comes with all three.
    expect((await json('/api/stories?lang=eng')).body.items[0].articles).toHaveLength(3);
    expect((await json('/api/stories?lang=nno')).body.items).toEqual([]);
    const all = await json('/api/stories?min=1');
    expect(all.body.items.map((s: any) => [s.id, s.articles.length])).toEqual([
      [alone.id, 1],
      [summitSv.id, 3],
    ]);
  });

  it('answers one story by id; an article never grouped is a story of its own; bad ids and parameters are named', async () => {
    expect((await json(`/api/stories/${summitSv.id}`)).body.articles).toHaveLength(3);
    expect((await json(`/api/stories/${alone.id}`)).body.articles.map((a: any) => a.id)).toEqual([alone.id]);
    const missing = await json('/api/stories/AAAAAAAAAAAAAAAAAAAAAA');
    expect(missing.res.status).toBe(404);
    const bad = await json('/api/stories/nope');
    expect([bad.res.status, bad.body.parameter]).toEqual([400, 'id']);
    const limit = await json('/api/stories?limit=0');
    expect([limit.res.status, limit.body.parameter]).toEqual([400, 'limit']);
  });
});

describe('stories in the feeds and pages', () => {
  it('links the other reports in Atom (rel=related), says "also reported by" in the HTML, and lists them in JSON Feed', async () => {
    const atom = await (await app.request('/feeds/all.atom')).text();
    const $ = cheerio.load(atom, { xml: true });
    const entry = $('entry').filter((_, e) => $(e).children('title').text() === 'Innovation Summit in Stockholm');
    expect(entry.find('link[rel=related]').map((_, l) => $(l).attr('href')).get()).toEqual([summitSv.url, copy.url]);
    expect(entry.find('content').text()).toContain('Also reported by');
    const feed = JSON.parse(await (await app.request('/feeds/all.json')).text());
    const item = feed.items.find((i: any) => i.id === summitEn.id);
    expect(item._regionradar.story).toBe(summitSv.id);
    expect(item._regionradar.also_reported_by.map((m: any) => m.id)).toEqual([summitSv.id, copy.id]);
    expect(feed.items.map((i: any) => i.id)).not.toContain(copy.id);
  });

  it('shows the story’s other reports on an article’s page, the copy marked', async () => {
    const html = await (await app.request(`/articles/${summitSv.id}`, { headers: { 'accept-language': 'en' } })).text();
    const $ = cheerio.load(html);
    const items = $('section.story li');
    expect(items.map((_, li) => $(li).find('a').attr('href')).get()).toEqual([`/articles/${summitEn.id}`, `/articles/${copy.id}`]);
    expect(items.last().text()).toContain('the same text');
  });
});
