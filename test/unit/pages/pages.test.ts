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
const deps = { store, state: createMemoryFetchState(), catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, redisReady: async () => true, log: createLogger('silent') };
const app = createApp({ ...deps, gazetteer: config.gazetteer });

const s3 = [{ id: 'smart-specialisation', score: 6, terms: ['smart spesialisering', 'spesialiseringsstrategi'] }];
const nynorsk = makeArticle({
  title: 'Verkstad for regional utvikling',
  language: 'nno',
  sourceId: 'regjeringen-kdd',
  themes: s3,
  publishedAt: '2026-11-23T09:15:00.000Z',
  regions: [{ code: 'NO-18', name: 'Nordland', terms: ['Nordland'] }],
  contentHtml: '<p>Eit <strong>verkstad</strong> om smart spesialisering.</p>',
  contentText: 'Eit verkstad om smart spesialisering.',
});
const bokmal = makeArticle({ title: 'Veileder i smart spesialisering', language: 'nob', sourceId: 'regjeringen-kdd', themes: s3, publishedAt: '2018-03-22T08:00:00.000Z', summary: 'Ein veileder om smart spesialisering i fylkene.' });
const swedish = makeArticle({ title: 'Grön omställning', language: 'swe', sourceId: 'tillvaxtverket-nyheter', country: 'SE', countries: ['SE'], publishedAt: '2025-03-04T07:00:00.000Z' });
const hostile = makeArticle({ title: '<script>alert(1)</script> Høring', summary: '<img src=x onerror=alert(2)>', language: 'nob', publishedAt: '2024-01-01T00:00:00.000Z' });
const consultation = makeArticle({
  title: 'Høyring om regionalt partnarskap',
  language: 'nno',
  documentType: 'consultation',
  deadline: '2026-08-14T12:00:00.000Z',
  departments: ['Kommunal- og distriktsdepartementet'],
  publishedAt: '2020-01-01T00:00:00.000Z',
});

beforeAll(async () => {
  await store.upsertBatch([nynorsk, bokmal, swedish, hostile, consultation]);
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await app.request(path, { headers });
  const html = await res.text();
  return { res, html, $: cheerio.load(html) };
};

describe('every page answers HTML in the reader’s language', () => {
  // [path, interface language, text expected]
  it.each([
    ['/', 'en', 'Latest news'],
    ['/', 'nb', 'Siste nytt'],
    ['/', 'nn', 'Filtrer nyheitene'],
    ['/', 'fi', 'Uusimmat uutiset'],
    [`/articles/${nynorsk.id}`, 'en', 'Tagged because of'],
    [`/articles/${nynorsk.id}`, 'nb', 'Merket på grunn av'],
    [`/articles/${nynorsk.id}`, 'nn', 'Merka på grunn av'],
    [`/articles/${nynorsk.id}`, 'fi', 'Merkitty näiden sanojen vuoksi'],
    ['/search?q=spesialisering', 'en', 'hits for “spesialisering”'],
    ['/search?q=spesialisering', 'nb', 'treff på «spesialisering»'],
    ['/search?q=spesialisering', 'nn', 'Avgrens'],
    ['/search?q=spesialisering', 'fi', 'osumaa haulla ”spesialisering”'],
    ['/search', 'nn', 'Skriv ord på eit nordisk språk eller engelsk.'],
    ['/sources', 'en', 'Sources and their health'],
    ['/sources', 'nb', 'Kildene og helsen deres'],
    ['/sources', 'nn', 'Kjeldene og helsa deira'],
    ['/sources', 'fi', 'Lähteet ja niiden tila'],
    ['/themes', 'en', 'Smart specialisation'],
    ['/themes', 'nb', 'Smart spesialisering'],
    ['/themes', 'nn', 'Regionalt partnarskap og samarbeid'],
    ['/themes', 'fi', 'Älykäs erikoistuminen'],
    ['/themes/smart-specialisation', 'en', 'Words that tag an article with this theme'],
    ['/themes/smart-specialisation', 'nn', 'Ord som gjev ein artikkel dette temaet'],
    ['/themes/smart-specialisation', 'fi', 'älykkään erikoistumisen'],
    ['/themes/smart-specialisation', 'nb', 'spesialiseringsstrategi…'],
    ['/consultations', 'en', 'Open for responses'],
    ['/consultations', 'nb', 'Åpne for innspill'],
    ['/consultations', 'nn', 'Opne for innspel'],
    ['/consultations', 'fi', 'Avoinna lausunnoille'],
  ])('%s in %s', async (path, lang, text) => {
    const { res, html, $ } = await get(path, { 'accept-language': lang });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect($('html').attr('lang')).toBe(lang);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect($.text()).toContain(text);
    expect($('header').length + $('main').length + $('footer').length).toBe(3);
    expect($('script').length).toBe(0);
  });

  it('names themes in the interface language, from themes.yaml', async () => {
    const { $ } = await get(`/articles/${nynorsk.id}`, { 'accept-language': 'fi' });
    expect($('.themes li a').first().text()).toBe('Älykäs erikoistuminen');
    expect($('.themes li').first().text()).toContain('smart spesialisering');
    expect($('.themes li').first().text()).toContain('spesialiseringsstrategi');
  });
});

describe('the language switcher', () => {
  it('?ui= sets the language and remembers it in a cookie', async () => {
    const { res, $ } = await get('/?ui=nn&lang=nno', { 'accept-language': 'fi' });
    expect($('html').attr('lang')).toBe('nn');
    expect(res.headers.get('set-cookie')).toMatch(/^ui=nn;.*Path=\//);
    const again = await get('/', { cookie: 'ui=nn', 'accept-language': 'fi' });
    expect(again.$('html').attr('lang')).toBe('nn');
    expect(again.res.headers.get('set-cookie')).toBeNull();
  });
  it('links to this page in every language, keeping the filter', async () => {
    const { $ } = await get('/?lang=nno', { cookie: 'ui=fi' });
    const links = $('nav.langs a').map((_, a) => $(a).attr('href')).get();
    expect(links).toEqual(['nb', 'nn', 'sv', 'da', 'fi', 'en'].map((l) => `/?lang=nno&ui=${l}`));
    expect($('nav.langs a[aria-current]').attr('lang')).toBe('fi');
  });
  it('falls back to English', async () => {
    expect((await get('/', { 'accept-language': 'de' })).$('html').attr('lang')).toBe('en');
  });
});

describe('/', () => {
  it('lists newest first, with the filter form labelled and the feeds of the same filter', async () => {
    const { $ } = await get('/?theme=smart-specialisation&ui=en');
    expect($('.items h3').map((_, h) => $(h).text()).get()).toEqual(['Verkstad for regional utvikling', 'Veileder i smart spesialisering']);
    for (const el of $('form.filters select, form.filters input').toArray()) expect($(`label[for="${$(el).attr('id')}"]`).length).toBe(1);
    expect($('form.filters').attr('method')).toBe('get');
    expect($('#f-theme option[selected]').attr('value')).toBe('smart-specialisation');
    expect($('link[rel=alternate]').map((_, l) => $(l).attr('href')).get()).toEqual([
      '/feeds/all.rss?theme=smart-specialisation',
      '/feeds/all.atom?theme=smart-specialisation',
      '/feeds/all.json?theme=smart-specialisation',
    ]);
    expect($('#f-region option[value="NO-18"]').text()).toBe('Nordland');
  });
  it('reads what a GET form submits, unset fields included', async () => {
    const { res, $ } = await get('/?theme=&lang=nno&country=&region=&source=&type=&since=&until=');
    expect(res.status).toBe(200);
    expect($('.items h3').map((_, h) => $(h).text()).get()).toEqual(['Verkstad for regional utvikling', 'Høyring om regionalt partnarskap']);
    expect($('link[rel=alternate]').first().attr('href')).toBe('/feeds/all.rss?lang=nno');
  });
  it('pages through the cursor', async () => {
    const first = await get('/?limit=2');
    const next = first.$('a[rel=next]').attr('href')!;
    expect(next).toMatch(/^\/\?limit=2&cursor=/);
    const second = await get(next);
    expect(second.$('.items h3').map((_, h) => second.$(h).text()).get()).not.toContain('Verkstad for regional utvikling');
    expect(second.$('.pager a').first().attr('href')).toBe('/?limit=2');
  });
  it.each(['/?lang=xx&ui=en', '/?theme=no-such-theme&ui=en', '/search?q=x&region=NO-99&ui=en'])('answers a bad filter (%s) with a 400 page naming it', async (path) => {
    const { res, $ } = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect($('main').text()).toMatch(/“(lang|theme|region)”/);
  });
  it('escapes titles: a <script> title is text, never a tag', async () => {
    const { html, $ } = await get('/');
    expect($('script').length).toBe(0);
    expect($('img').length).toBe(0);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Høring');
    expect(html).not.toContain('<script>alert(1)');
    expect($('.items h3').text()).toContain('<script>alert(1)</script> Høring');
  });
});

describe('/articles/:id', () => {
  it('shows sources, date, language, themes with their words, regions and the sanitized body', async () => {
    const { $ } = await get(`/articles/${nynorsk.id}`, { cookie: 'ui=nb' });
    expect($('h1').text()).toBe('Verkstad for regional utvikling');
    expect($('h1').attr('lang')).toBe('nn');
    expect($('.facts').text()).toContain('23. november 2026');
    expect($('.facts').text()).toContain('Norsk nynorsk');
    expect($('.facts a[href="/?region=NO-18"]').text()).toBe('Nordland');
    expect($('.body strong').text()).toBe('verkstad');
    expect($('.original a').attr('href')).toBe(nynorsk.url);
  });
  it('shows a consultation’s deadline and departments', async () => {
    const { $ } = await get(`/articles/${consultation.id}`, { cookie: 'ui=nn' });
    expect($('.facts').text()).toContain('Høyringsfrist');
    expect($('.facts').text()).toContain('14. august 2026');
    expect($('.facts').text()).toContain('Kommunal- og distriktsdepartementet');
  });
  it('escapes a hostile title on the article page', async () => {
    const { $ } = await get(`/articles/${hostile.id}`);
    expect($('script').length).toBe(0);
    expect($('h1').text()).toBe('<script>alert(1)</script> Høring');
  });
  it.each(['AAAAAAAAAAAAAAAAAAAAAA', 'nope'])('answers %s with a 404 page', async (id) => {
    const { res, $ } = await get(`/articles/${id}`, { cookie: 'ui=nn' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect($('h1').text()).toBe('Fann ikkje sida');
  });
});

describe('/search', () => {
  it('ranks hits with highlights and gives facet counts as filter links', async () => {
    const { $ } = await get('/search?q=spesialisering&ui=en');
    expect($('.items h3').first().find('mark').first().text()).toBe('spesialisering');
    const themeLink = $('.facets a').filter((_, a) => $(a).text() === 'Smart specialisation');
    expect(themeLink.attr('href')).toBe('/search?q=spesialisering&theme=smart-specialisation');
    expect(themeLink.parent().find('.n').text()).toBe('2');
  });
  it('escapes what a hit holds, adding only <mark>', async () => {
    const { $ } = await get('/search?q=alert');
    expect($('script').length).toBe(0);
    expect($('img').length).toBe(0);
    expect($('.items h3').first().text()).toContain('<script>');
  });
  it('pages with the search cursor', async () => {
    const { $ } = await get('/search?q=spesialisering&limit=1');
    const next = $('a[rel=next]').attr('href')!;
    const second = await get(next);
    expect(second.res.status).toBe(200);
    expect(second.$('.items > li').length).toBe(1);
  });
});

describe('/sources, /themes, /consultations', () => {
  it('shows each source’s health and article count', async () => {
    await deps.state.recordFetch('regjeringen-kdd', { at: '2026-11-22T10:00:00.000Z', status: 'ok', itemCount: 3 });
    await deps.state.recordFetch('nordregio-news', { at: '2026-11-22T10:00:00.000Z', status: 'error', error: 'HTTP 503 (source nordregio-news)' });
    const { $ } = await get('/sources', { cookie: 'ui=en' });
    const row = (id: string) => $(`tbody tr:has(a[href="/?source=${id}"])`);
    expect(row('regjeringen-kdd').find('.status').text()).toBe('OK');
    expect(row('regjeringen-kdd').find('td.n').text()).toBe('2');
    expect(row('nordregio-news').find('.status').text()).toBe('Failing');
    expect(row('nordregio-news').find('.error').text()).toContain('HTTP 503');
    expect(row('tillvaxtverket-nyheter').find('td').eq(1).text()).toBe('Never');
  });
  it('lists themes with counts, and a theme with its recent articles and feeds', async () => {
    const { $ } = await get('/themes', { cookie: 'ui=en' });
    expect($('a[href="/themes/smart-specialisation"]').parent().find('.n').text()).toBe('2 articles');
    const theme = await get('/themes/smart-specialisation', { cookie: 'ui=nn' });
    expect(theme.$('h1').text()).toBe('Smart spesialisering');
    expect(theme.$('.items h3').map((_, h) => theme.$(h).text()).get()).toEqual(['Verkstad for regional utvikling', 'Veileder i smart spesialisering']);
    expect(theme.$('link[rel=alternate]').first().attr('href')).toBe('/feeds/all.rss?theme=smart-specialisation');
    expect((await get('/themes/no-such-theme')).res.status).toBe(404);
  });
  it('lists open consultations first, soonest deadline first, then closed ones', async () => {
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await store.upsertBatch([
      makeArticle({ title: 'Open later', documentType: 'consultation', deadline: later }),
      makeArticle({ title: 'Open soon', documentType: 'consultation', deadline: soon }),
      makeArticle({ title: 'No deadline', documentType: 'consultation' }),
    ]);
    const { $ } = await get('/consultations', { cookie: 'ui=en' });
    const titles = (id: string) => $(`section[aria-labelledby=${id}] .items h3`).map((_, h) => $(h).text()).get();
    expect(titles('open-heading')).toEqual(['Open soon', 'Open later']);
    expect(titles('closed-heading')).toEqual(['Høyring om regionalt partnarskap']);
    expect(titles('undated-heading')).toEqual(['No deadline']);
  });
});

describe('safety and weight', () => {
  it('pages carry a Content-Security-Policy without any script-src', async () => {
    for (const path of ['/', `/articles/${nynorsk.id}`, '/search?q=x', '/sources', '/themes', '/consultations', '/articles/nope']) {
      const csp = (await app.request(path)).headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toMatch(/script-src/);
    }
  });
  it('serves the stylesheet from /static/app.css', async () => {
    const res = await app.request('/static/app.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await res.text()).toContain(':focus-visible');
    expect((await app.request('/static/app.css', { headers: { 'if-none-match': res.headers.get('etag')! } })).status).toBe(304);
  });
  it('keeps a list page of 20 articles, with its CSS, under 60 kB', async () => {
    const big = createSqliteStore(':memory:');
    await big.upsertBatch(
      Array.from({ length: 20 }, (_, i) =>
        makeArticle({ title: `Regional utvikling og smart spesialisering i fylke nummer ${i} med en lang tittel`, summary: 'Et sammendrag på et par setninger om hva saken gjelder. '.repeat(4), themes: s3, language: 'nob' }),
      ),
    );
    const bigApp = createApp({ ...deps, store: big, gazetteer: config.gazetteer });
    const html = await (await bigApp.request('/')).text();
    expect(cheerio.load(html)('.items > li').length).toBe(20);
    const css = await (await bigApp.request('/static/app.css')).text();
    expect(Buffer.byteLength(html) + Buffer.byteLength(css)).toBeLessThan(60_000);
  });
});
