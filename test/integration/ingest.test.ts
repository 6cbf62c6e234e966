import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { startFixtureServer, type FixtureServer } from '../../src/fixtures/server.js';
import { withFixtureUrls } from '../../src/demo.js';
import { JOB } from '../../src/queue/names.js';
import type { Article } from '../../src/model/article.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { EXPECTED_ITEMS, ITEMS_PER_SOURCE } from '../helpers/catalogue.js';
import type { ArticleStore } from '../../src/store/port.js';
import { createMeiliStore } from '../../src/store/meili/index.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { reindexAll } from '../../src/jobs/reindex.js';
import { startLocalMeili } from '../../bench/meili-server.js';

let fixtures: FixtureServer;
let deps: Deps;
let running: Running;
const prefix = uniquePrefix('ingest');

async function allArticles(): Promise<Article[]> {
  return (await deps.store.list({}, { limit: 200 })).items;
}

async function queuesIdle(): Promise<boolean> {
  const [i, e] = await Promise.all([deps.queues.ingest.getJobCounts('waiting', 'active', 'prioritized'), deps.queues.enrich.getJobCounts('waiting', 'active', 'prioritized', 'delayed')]);
  return Object.values(i).every((n) => n === 0) && Object.values(e).every((n) => n === 0);
}

async function allFetchedSince(t: string, statuses: string[]): Promise<boolean> {
  const health = await deps.state.getHealth((await deps.catalogue.list()).map((s) => s.id));
  return [...health.values()].every((h) => h.lastFetchAt !== undefined && h.lastFetchAt >= t && statuses.includes(h.lastStatus ?? ''));
}

/** A theme's term in nb, nn, sv, da, fi or en finds the seeds and fixtures of that theme in the other languages; folding meets ø. */
async function expectCrossLingualSearch(store: ArticleStore): Promise<void> {
  for (const q of ['smart spesialisering', 'smart specialisering', 'smart specialisation', 'smart specialisering', 'älykäs erikoistuminen']) {
    const hits = (await store.search({ q, filter: {}, limit: 100, offset: 0 })).items.map((a) => a.title);
    for (const t of ['Verkstad for regional utvikling', 'Veileder i smart spesialisering', 'Smart specialisation strategies in the Nordic regions', 'EU vill se mer samarbete']) {
      expect(hits.some((h) => h.startsWith(t)), `${q} → ${t}`).toBe(true);
    }
  }
  // Finnish in any inflection, and through the theme terms: the base form finds the genitive in the title.
  const finnish = async (q: string) => (await store.search({ q, filter: {}, limit: 100, offset: 0 })).items.map((a) => a.title);
  for (const q of ['kiertotalous', 'kiertotaloutta', 'circular economy']) expect(await finnish(q), q).toContain('Kiertotalouden ohjelma tukee kuntien ja maakuntien hankkeita');
  expect(await finnish('kehittäminen')).toContain('Alueiden kehittämisen painopisteet vuosille 2027–2031 valmisteluun');
  expect((await store.search({ q: 'Tromso', filter: {}, limit: 10, offset: 0 })).total).toBe(0);
  const trondelag = await store.search({ q: 'Trondelag', filter: {}, limit: 10, offset: 0 });
  expect(trondelag.items.some((a) => a.title.startsWith('Landsbygdens företag växer'))).toBe(true);
}

// The real Meilisearch, for the reindex into it; the test reports itself skipped, with the reason, when it cannot run.
const meili = await startLocalMeili();

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const config = withFixtureUrls(
    shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-ingest-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1' }),
    fixtures.urls,
  );
  // every source of the shipped catalogue has recorded fixtures, and the other way round
  const fetched = config.sources.filter((s) => s.kind !== 'newsletter');
  expect(fetched.length).toBeGreaterThanOrEqual(20);
  expect(fetched.map((s) => s.id).sort()).toEqual([...fixtures.urls.keys()].sort());
  deps = await createDeps(config);
  running = await startServices(deps, { ingest: true, enrich: true, schedulers: true });
});

afterAll(async () => {
  if (!('skip' in meili)) await meili.stop();
  await running?.close();
  await fixtures?.close();
  await clearPrefix(prefix);
});

describe('scheduled ingestion of the default sources, through real Redis', () => {
  it('lands every item exactly once, with language and themes', async () => {
    // The schedulers' first runs start at once; nothing else triggers them.
    await waitFor('every source fetched and all items stored', async () =>
      (await allFetchedSince('2000', ['ok', 'not-modified'])) && (await queuesIdle()) && (await allArticles()).length === EXPECTED_ITEMS,
    );
    const articles = await allArticles();
    expect(new Set(articles.map((a) => a.url)).size).toBe(EXPECTED_ITEMS);
    expect(await deps.store.countBySource()).toEqual(ITEMS_PER_SOURCE);
    for (const a of articles) {
      expect(['nob', 'nno', 'swe', 'dan', 'fin', 'eng']).toContain(a.language);
      expect(a.tagVersion).toBe(deps.config.tagVersion);
    }
    const byTitle = (t: string) => articles.find((a) => a.title.startsWith(t))!;
    const themeIds = (a: Article) => a.themes.map((t) => t.id);
    // the seeds, carried by the KDD feed, the Stockholm Atom feed and the Reglab listing
    expect(byTitle('Verkstad for regional utvikling')).toMatchObject({ language: 'nno', url: 'https://www.regjeringen.no/no/aktuelt/verkstad-for-regional-utvikling/id2676614/' });
    expect(themeIds(byTitle('Verkstad for regional utvikling'))).toEqual(expect.arrayContaining(['smart-specialisation', 'regional-partnership']));
    expect(byTitle('Veileder i smart spesialisering').language).toBe('nob');
    expect(themeIds(byTitle('Veileder i smart spesialisering'))).toContain('smart-specialisation');
    expect(byTitle('Håndtrykk for bedre regionalt samarbeid').language).toBe('nob');
    expect(themeIds(byTitle('Håndtrykk for bedre regionalt samarbeid'))).toContain('regional-partnership');
    expect(byTitle('Förslag Reglab aktiviteter 2018').language).toBe('swe');
    const s4 = byTitle('EU vill se mer samarbete');
    expect(s4).toMatchObject({ language: 'swe', author: 'Maria Lindqvist', publishedAt: '2018-03-14T09:12:00.000Z' });
    expect(themeIds(s4)).toContain('smart-specialisation');
    // hostile markup in the feed is gone, relative image URLs are absolute
    expect(s4.contentHtml).not.toMatch(/<script|javascript:|onerror/);
    expect(s4.contentHtml).toContain('src="https://stockholmregion.org/wp-content/uploads/2018/03/summit.jpg"');
    // legacy encodings: windows-1252 (HTTP header) and ISO-8859-1 (XML declaration only)
    expect(byTitle('Regionernas arbete med smart specialisering').title).toBe('Regionernas arbete med smart specialisering – ny rapport');
    expect(byTitle('Nytt stöd för grön omställning').summary).toContain('”Företagen i regionerna är nyckeln till den gröna omställningen”');
    expect(byTitle('Landsbygdens företag växer').summary).toContain('Jämförelsen med Trøndelag och Bornholm (Ærø, Bodø)');
    expect(byTitle('Utlysning: Kompetensförsörjning').summary).toContain('partner i Østfold, Trøndelag eller på Ærø');
    expect(byTitle('Utlysning: Regionalfonden').title).toBe('Utlysning: Regionalfonden - innovation och klusterutveckling i Övre Norrland');
    // the regjeringen.no consultation listing: 20 consultations with department and deadline
    const consultations = (await deps.store.list({ types: ['consultation'] }, { limit: 100, sort: 'deadline' })).items;
    expect(consultations.filter((a) => a.sourceId === 'regjeringen-hoyringar')).toHaveLength(20);
    expect(consultations[0]).toMatchObject({ deadline: '2026-08-02T12:00:00.000Z' });
    for (const c of consultations) expect(c.departments?.length).toBeGreaterThan(0);
    // search across languages: a theme's term in any language finds the seeds and fixtures of that theme in the others
    await expectCrossLingualSearch(deps.store);
    // listing dates in their own formats and locales
    expect(byTitle('Nordic Innovation Summit').publishedAt).toBe('2018-03-14T12:00:00.000Z');
    expect(byTitle('Regionerne vil styrke').publishedAt).toBe('2026-10-12T12:00:00.000Z');
    expect(byTitle('Regional analyse for Vestfold').publishedAt).toBe('2026-10-12T12:00:00.000Z');
    expect(byTitle('RUFS 2050').publishedAt).toBe('2026-10-15T12:00:00.000Z');
    expect(byTitle('Regionale forskningsfond').publishedAt).toBe('2026-10-14T12:00:00.000Z');
    // a listing without dates gets its fetch time; an xml:base resolves a relative feed link
    expect(Date.parse(byTitle('Nordland får ny regional plan').publishedAt)).toBeGreaterThan(Date.parse('2026-11-01'));
    expect(byTitle('Grænsehindringer koster').url).toBe('https://www.norden.org/sv/news/graensehindringer-koster-graenseregioner');
    // the catalogue's languages, item by item rather than by source
    expect(byTitle('Ny regional plan for innovasjon').language).toBe('nno');
    expect(byTitle('Pilotar for berekraftig omstilling').language).toBe('nno');
    expect(byTitle('Ny rapport om regional omstilling i Nordland').regions.map((r) => r.code)).toEqual(['NO-18']);
    expect(byTitle('Grænsehindringer koster').countries).toEqual(['DK']);
    expect(byTitle('Grænsehindringer koster').language).toBe('dan');
    expect(byTitle('Maakuntaohjelma 2026–2029').language).toBe('fin');
    expect(byTitle('Smart specialisation strategies in the Nordic regions').language).toBe('eng');
    expect(themeIds(byTitle('Smart specialisation strategies in the Nordic regions'))).toContain('smart-specialisation');
  });

  it('gets 304s on a second run and adds or rewrites nothing', async () => {
    const before = new Map((await allArticles()).map((a) => [a.id, a.fetchedAt]));
    const t = new Date().toISOString();
    const hitsBefore = [...fixtures.hits.values()].reduce((n, h) => n + h.notModified, 0);
    await deps.queues.ingest.addBulk((await deps.catalogue.list()).map((s) => s.id).map((sourceId) => ({ name: JOB.ingestSource, data: { sourceId } })));
    await waitFor('second pass done', async () => (await allFetchedSince(t, ['not-modified'])) && (await queuesIdle()));
    const notModified = [...fixtures.hits.values()].reduce((n, h) => n + h.notModified, 0) - hitsBefore;
    expect(notModified).toBe((await deps.catalogue.list()).length);
    const after = await allArticles();
    expect(after).toHaveLength(EXPECTED_ITEMS);
    for (const a of after) expect(a.fetchedAt).toBe(before.get(a.id));
  });

  it.skipIf('skip' in meili)(`reindexed into Meilisearch, answers the same searches${'skip' in meili ? ` (skipped: ${meili.skip})` : ''}`, async () => {
    if ('skip' in meili) return;
    const target = await createMeiliStore({ host: meili.host, apiKey: meili.apiKey, index: 'catalogue', synonyms: buildSynonyms(deps.config.taxonomy) });
    const r = await reindexAll(deps.store, target, { pageSize: 25 });
    expect(r.copied).toBe(EXPECTED_ITEMS);
    expect(await target.countBySource()).toEqual(ITEMS_PER_SOURCE);
    const ids = async (s: ArticleStore) => (await s.list({}, { limit: 200 })).items.map((a) => a.id);
    expect(await ids(target)).toEqual(await ids(deps.store));
    await expectCrossLingualSearch(target);
    await target.close();
  });
});
