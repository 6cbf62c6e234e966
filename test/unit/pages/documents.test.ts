import * as cheerio from 'cheerio';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import { inboxId, issueUrl } from '../../../src/newsletters/ids.js';
import { articleId } from '../../../src/pipeline/normalize/id.js';
import { canonicalUrl } from '../../../src/pipeline/normalize/url.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { createLogger } from '../../../src/observability/log.js';
import { shippedConfig } from '../../helpers/config.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';
import { makeArticle } from '../../helpers/factories.js';

const config = shippedConfig();
const store = createSqliteStore(':memory:');
const PUBLIC = 'https://radar.example.org';
const app = createApp({ store, state: createMemoryFetchState(), catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, gazetteer: config.gazetteer, redisReady: async () => true, log: createLogger('silent'), publicUrl: PUBLIC });

const report = makeArticle({
  title: 'Ny rapport om smart spesialisering',
  language: 'nob',
  documents: [{ url: 'https://www.nfk.no/docs/Statusrapport%202026.pdf', pages: 12, bytes: 480_000, text: 'tareskogsnæringen …' }, { url: 'https://www.nfk.no/docs/vedlegg.pdf', title: 'Vedlegg 1', pages: 1, bytes: 9_000, text: '' }],
});
const url = canonicalUrl(issueUrl(PUBLIC, 'reglab-nyhetsbrev', inboxId('issue-7@lists.example')));
const issue = makeArticle({ id: articleId(url), url, title: 'Nyhetsbrev november', language: 'swe', mailAuth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } });

beforeAll(async () => {
  await store.upsertBatch([report, issue]);
});

it.each([
  ['en', 'Documents', '12 pages', '1 page'],
  ['nb', 'Dokumenter', '12 sider', '1 side'],
  ['sv', 'Dokument', '12 sidor', '1 sida'],
  ['fi', 'Asiakirjat', '12 sivua', '1 sivu'],
])('the article page lists its linked documents with their page count (%s)', async (ui, heading, many, one) => {
  const $ = cheerio.load(await (await app.request(`/articles/${report.id}?ui=${ui}`)).text());
  expect($('#documents-heading').text()).toBe(heading);
  const items = $('.documents li');
  expect(items.eq(0).find('a').attr('href')).toBe('https://www.nfk.no/docs/Statusrapport%202026.pdf');
  expect(items.eq(0).find('a').text()).toBe('Statusrapport 2026.pdf');
  expect(items.eq(0).text()).toContain(many);
  expect(items.eq(1).find('a').text()).toBe('Vedlegg 1');
  expect(items.eq(1).text()).toContain(one);
  expect($('.documents').text()).not.toContain('tareskogsnæringen');
});

it('an e-mailed issue shows what SPF, DKIM and DMARC said; its own URL leads to its page', async () => {
  const $ = cheerio.load(await (await app.request(`/articles/${issue.id}?ui=nb`)).text());
  expect($('dt:contains("Mottatt på e-post") + dd').text().replace(/\s+/g, ' ').trim()).toBe('SPF pass · DKIM pass · DMARC pass');
  const res = await app.request(new URL(url).pathname);
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe(`/articles/${issue.id}`);
  expect((await app.request('/newsletters/reglab-nyhetsbrev/unknownkey0000000000000')).status).toBe(404);
});
