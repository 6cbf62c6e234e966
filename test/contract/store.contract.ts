import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleStore } from '../../src/store/port.js';
import type { Article } from '../../src/model/article.js';
import { makeArticle } from '../helpers/factories.js';

export interface StoreContractOptions {
  name: string;
  create(): Promise<ArticleStore>;
  /** A reason to skip the whole suite (e.g. the engine is not available), printed as the suite name. */
  skip?: string;
  additionalTests?: (get: () => ArticleStore) => void;
}

const day = (d: number) => new Date(Date.UTC(2026, 0, d, 12)).toISOString();

/** The behaviour every ArticleStore adapter must have. */
export function runStoreContract(opts: StoreContractOptions): void {
  describe.skipIf(!!opts.skip)(`ArticleStore contract: ${opts.name}${opts.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let store: ArticleStore;
    beforeEach(async () => {
      store = await opts.create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a batch and gets an article back whole', async () => {
      const a = makeArticle({ themes: [{ id: 'bioeconomy', score: 3, terms: ['bioøkonomi'] }], author: 'KDD', publishedAtOriginal: '0001-01-01' });
      await store.upsertBatch([a, makeArticle()]);
      // Written without storedAt, an article counts as stored at its first sighting.
      expect(await store.get(a.id)).toEqual({ ...a, storedAt: a.fetchedAt });
      expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    });

    it('upserts idempotently: a re-run batch changes nothing, a changed article replaces its row', async () => {
      const a = makeArticle({ themes: [{ id: 'x', score: 2, terms: ['x'] }] });
      await store.upsertBatch([a]);
      await store.upsertBatch([a]);
      expect((await store.list({}, { limit: 10 })).items).toHaveLength(1);
      const changed = { ...a, title: 'Changed', contentHash: 'other', themes: [{ id: 'y', score: 2, terms: ['y'] }] };
      await store.upsertBatch([changed]);
      expect((await store.get(a.id))!.title).toBe('Changed');
      expect(await store.countByTheme()).toEqual(new Map([['y', 1]]));
    });

    it('deletes articles by id: gone from get, list, search and counts; unknown ids are ignored', async () => {
      const a = makeArticle({ title: 'Bioøkonomi i Trøndelag', sourceId: 'kdd', themes: [{ id: 'bioeconomy', score: 3, terms: ['bioøkonomi'] }] });
      const b = makeArticle({ title: 'Bioøkonomi i Norrbotten', sourceId: 'tvv', themes: [{ id: 'bioeconomy', score: 3, terms: ['bioøkonomi'] }] });
      await store.upsertBatch([a, b]);
      await store.remove([a.id, 'AAAAAAAAAAAAAAAAAAAAAA']);
      expect(await store.get(a.id)).toBeUndefined();
      expect((await store.list({}, { limit: 10 })).items.map((x) => x.id)).toEqual([b.id]);
      expect((await store.search({ q: 'bioøkonomi', filter: {}, limit: 10, offset: 0 })).items.map((x) => x.id)).toEqual([b.id]);
      expect(await store.count({ q: 'bioøkonomi' })).toBe(1);
      expect(await store.count({ q: 'bioøkonomi', sources: ['kdd'] })).toBe(0);
      expect(await store.countBySource()).toEqual(new Map([['tvv', 1]]));
      expect(await store.countByTheme()).toEqual(new Map([['bioeconomy', 1]]));
      expect(await store.knownHashes('tvv', [a.id, b.id])).toEqual(new Map([[b.id, b.contentHash]]));
      expect(await store.count()).toBe(1);
      expect(await store.checkIndex()).toEqual({ stored: 1, indexed: 1, onlyStored: [], onlyStoredCount: 0, onlyIndexed: [], onlyIndexedCount: 0, differing: [], differingCount: 0 });
      await store.upsertBatch([a]);
      expect(await store.get(a.id)).toEqual({ ...a, storedAt: a.fetchedAt });
    });

    it('records when an article was first stored and keeps it through later versions, merges and maintenance writes', async () => {
      const before = new Date().toISOString();
      const a = makeArticle({ sourceId: 'kdd', fetchedAt: '2026-11-02T00:00:00.000Z' });
      await store.ingestBatch([a]);
      const first = (await store.get(a.id))!.storedAt!;
      expect(first >= before && first <= new Date().toISOString()).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
      await store.ingestBatch([{ ...a, title: 'Revised', contentHash: 'revised', fetchedAt: '2026-11-03T00:00:00.000Z' }]);
      await store.ingestBatch([{ ...a, sourceId: 'relay', fromPublisher: false, fetchedAt: '2026-11-04T00:00:00.000Z' }]);
      const revised = (await store.get(a.id))!;
      expect(revised.title).toBe('Revised');
      expect(revised.storedAt).toBe(first);
      // Re-tagging writes the article as read; re-indexing an article read without the field keeps the stored time.
      await store.upsertBatch([{ ...revised, themes: [{ id: 'x', score: 2, terms: ['x'] }] }]);
      const { storedAt: _dropped, ...withoutStoredAt } = revised;
      await store.upsertBatch([withoutStoredAt]);
      expect((await store.get(a.id))!.storedAt).toBe(first);
    });

    it('filters by the window in which articles were first stored: after storedFrom, up to and including storedTo', async () => {
      const at = (h: number) => new Date(Date.UTC(2026, 10, 1, h)).toISOString();
      const [a, b, c] = [1, 2, 3].map((h) => makeArticle({ storedAt: at(h), themes: [{ id: 'bioeconomy', score: 3, terms: ['bioøkonomi'] }] }));
      await store.upsertBatch([a!, b!, c!]);
      const ids = async (f: object) => (await store.list({ ...f }, { limit: 10 })).items.map((x) => x.id).sort();
      expect(await ids({ storedFrom: at(1), storedTo: at(3) })).toEqual([b!.id, c!.id].sort());
      expect(await ids({ storedFrom: at(1), storedTo: at(2) })).toEqual([b!.id]);
      expect(await ids({ storedTo: at(1) })).toEqual([a!.id]);
      expect(await ids({ storedFrom: at(3) })).toEqual([]);
      expect(await ids({ storedFrom: at(0), themes: ['bioeconomy'] })).toEqual([a!.id, b!.id, c!.id].sort());
      // Counted as listed.
      expect(await store.count({ storedFrom: at(1), storedTo: at(3) })).toBe(2);
      expect(await store.count({ storedFrom: at(1), themes: ['nothing-here'] })).toBe(0);
      expect(await store.count({ q: 'bioøkonomi' })).toBe(0);
      expect(await store.count({})).toBe(3);
    });

    it('lists newest first and pages with a cursor without gaps or repeats', async () => {
      const all = Array.from({ length: 25 }, (_, i) => makeArticle({ publishedAt: day((i % 10) + 1) }));
      await store.upsertBatch(all);
      const seen: string[] = [];
      let cursor;
      do {
        const page = await store.list({}, { limit: 7, cursor });
        seen.push(...page.items.map((a) => a.id));
        for (let i = 1; i < page.items.length; i++) expect(page.items[i - 1]!.publishedAt >= page.items[i]!.publishedAt).toBe(true);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
    });

    it('filters by theme, language, source, country and date range, combining fields with AND and values with OR', async () => {
      const s3 = [{ id: 'smart-specialisation', score: 3, terms: ['smart spesialisering'] }];
      const a = makeArticle({ language: 'nno', themes: s3, sourceId: 'kdd', country: 'NO', publishedAt: day(1) });
      const b = makeArticle({ language: 'swe', themes: s3, sourceId: 'tvv', country: 'SE', publishedAt: day(5) });
      const c = makeArticle({ language: 'nob', sourceId: 'kdd', country: 'NO', publishedAt: day(10) });
      await store.upsertBatch([a, b, c]);
      const ids = async (f: Parameters<ArticleStore['list']>[0]) => (await store.list(f, { limit: 10 })).items.map((x) => x.id);
      expect(await ids({ themes: ['smart-specialisation'] })).toEqual([b.id, a.id]);
      expect(await ids({ languages: ['nno', 'nob'] })).toEqual([c.id, a.id]);
      expect(await ids({ sources: ['kdd'], themes: ['smart-specialisation'] })).toEqual([a.id]);
      expect(await ids({ countries: ['SE'] })).toEqual([b.id]);
      expect(await ids({ since: day(5), until: day(10) })).toEqual([b.id]);
      expect(await ids({ themes: ['nothing'] })).toEqual([]);
    });

    it('scans every article in id order, a page at a time', async () => {
      const all = Array.from({ length: 7 }, () => makeArticle());
      await store.upsertBatch(all);
      const seen: string[] = [];
      for (let after: string | undefined, page; (page = await store.scan(after, 3)).length; after = page.at(-1)!.id) seen.push(...page.map((a) => a.id));
      expect(seen).toEqual(all.map((a) => a.id).sort());
    });

    it('filters by the regions an article names, and by their countries as well as the source’s', async () => {
      const nordland = { code: 'NO-18', name: 'Nordland', terms: ['Nordland'] };
      const vbotten = { code: 'SE-AC', name: 'Västerbotten', terms: ['Västerbottens'] };
      const a = makeArticle({ country: 'NO', regions: [nordland, vbotten], publishedAt: day(1) });
      const b = makeArticle({ country: 'SE', regions: [vbotten], publishedAt: day(2) });
      const c = makeArticle({ country: 'FI', publishedAt: day(3) });
      await store.upsertBatch([a, b, c]);
      const ids = async (f: Parameters<ArticleStore['list']>[0]) => (await store.list(f, { limit: 10 })).items.map((x) => x.id);
      expect(await ids({ regions: ['SE-AC'] })).toEqual([b.id, a.id]);
      expect(await ids({ regions: ['NO-18', 'FI-13'] })).toEqual([a.id]);
      expect(await ids({ countries: ['SE'] })).toEqual([b.id, a.id]);
      expect(await ids({ countries: ['FI'], regions: ['SE-AC'] })).toEqual([]);
    });

    it('finds articles by words in title, summary or body, across å/ä/ö folding and by prefix', async () => {
      const a = makeArticle({ title: 'Grön omställning i Västerbotten', summary: 'Regionen satsar.', contentText: 'Fossilfri stålproduktion.' });
      const b = makeArticle({ title: 'Smart spesialisering', summary: 'Verkstad for fylkeskommunane.', contentText: 'Partnarskap.' });
      await store.upsertBatch([a, b]);
      const q = async (text: string) => (await store.list({ q: text }, { limit: 10 })).items.map((x) => x.id);
      expect(await q('omställning')).toEqual([a.id]);
      expect(await q('vasterbotten')).toEqual([a.id]);
      expect(await q('stålprod')).toEqual([a.id]);
      expect(await q('fylkeskommunane')).toEqual([b.id]);
      expect(await q('smart partnarskap')).toEqual([b.id]);
      expect(await q('"); DROP TABLE articles; --')).toEqual([]);
    });

    describe('search', () => {
      const s3 = (terms: string[]) => [{ id: 'smart-specialisation', score: 3, terms }];
      const corpus = () => [
        makeArticle({ title: 'Verkstad for regional utvikling', language: 'nno', sourceId: 'kdd', summary: 'Tema: smart spesialisering og partnarskap.', contentText: 'Fylkeskommunane arbeider med spesialiseringa.', themes: s3(['smart spesialisering']) }),
        makeArticle({ title: 'Smart specialisering i Västerbotten', language: 'swe', sourceId: 'tvv', country: 'SE', summary: 'Regionerna arbetar med smart specialisering.', contentText: 'Innovation och kluster.', themes: s3(['smart specialisering']) }),
        makeArticle({ title: 'Smart specialisation in the Nordic regions', language: 'eng', sourceId: 'nordregio', summary: 'A report.', contentText: 'Research and innovation strategies.', themes: s3(['smart specialisation']) }),
        makeArticle({ title: 'Nytt sykehus i Tromsø', language: 'nob', sourceId: 'kdd', summary: 'Helse Nord bygger.', contentText: 'Byggestart i Tromsø neste år.' }),
        makeArticle({ title: 'Kommuneøkonomi', language: 'nob', sourceId: 'kdd', summary: 'Om inntektssystemet.', contentText: 'Nevner smart spesialisering bare i forbifarten, helt til slutt.' }),
      ];
      const search = async (q: string, extra: Partial<Parameters<ArticleStore['search']>[0]> = {}) => store.search({ q, filter: {}, limit: 10, offset: 0, ...extra });
      const titles = (r: { items: Array<{ title: string }> }) => r.items.map((a) => a.title);

      it('folds Nordic letters: "Tromso" finds "Tromsø", "vasterbotten" finds "Västerbotten"', async () => {
        await store.upsertBatch(corpus());
        expect(titles(await search('Tromso'))).toEqual(['Nytt sykehus i Tromsø']);
        expect(titles(await search('vaesterbotten'))).toEqual(['Smart specialisering i Västerbotten']);
      });

      it('matches stems: "spesialiseringa" finds "spesialisering", and the other way round', async () => {
        await store.upsertBatch(corpus());
        expect(titles(await search('spesialiseringa', { languages: ['nno'] }))).toContain('Verkstad for regional utvikling');
        expect(titles(await search('fylkeskommune'))).toEqual(['Verkstad for regional utvikling']);
      });

      it('finds a theme term in the other languages: nb, nn, sv, da, fi or en query, all three articles', async () => {
        await store.upsertBatch(corpus());
        for (const q of ['smart spesialisering', 'smart specialisering', 'smart specialisation', 'älykäs erikoistuminen']) {
          const r = await search(q);
          expect(titles(r)).toEqual(expect.arrayContaining(['Verkstad for regional utvikling', 'Smart specialisering i Västerbotten', 'Smart specialisation in the Nordic regions']));
        }
      });

      it('meets Finnish words in any of their common inflections, and through the theme terms', async () => {
        const circular = makeArticle({ title: 'Kiertotalouden tiekartta valmistui', language: 'fin', sourceId: 'pk', summary: 'Maakunta edistää kiertotaloutta.', contentText: 'Kiertotaloudessa materiaalit pysyvät käytössä.' });
        const priorities = makeArticle({ title: 'Alueiden kehittämisen painopisteet', language: 'fin', sourceId: 'vn', summary: 'Hallitus linjasi painopisteet.', contentText: 'Maakuntien yhteistyö.' });
        await store.upsertBatch([...corpus(), circular, priorities]);
        for (const q of ['kiertotalous', 'kiertotaloutta', 'kiertotalouden', 'circular economy']) expect(titles(await search(q)), q).toContain(circular.title);
        for (const q of ['kehittäminen', 'kehittämistä']) expect(titles(await search(q)), q).toEqual([priorities.title]);
        expect(titles(await search('maakunta'))).toEqual(expect.arrayContaining([circular.title, priorities.title]));
      });

      it('ranks a title match above a passing mention in the body, and counts facets over all hits', async () => {
        await store.upsertBatch(corpus());
        const r = await search('smart spesialisering');
        expect(titles(r).at(-1)).toBe('Kommuneøkonomi');
        expect(r.total).toBe(4);
        expect(r.facets.languages).toEqual({ nob: 1, nno: 1, swe: 1, eng: 1 });
        expect(r.facets.themes).toEqual({ 'smart-specialisation': 3 });
        expect(r.facets.sources).toEqual({ kdd: 2, tvv: 1, nordregio: 1 });
        expect(r.facets.countries).toMatchObject({ SE: 1, NO: 3 });
      });

      it('ranks a title holding every query word above a body that repeats the query and the theme terms of other languages', async () => {
        // As in the demo: the guide's long body (slides) weighed its title down, and a short summary naming the theme won.
        const slides = 'Kommunal- og moderniseringsdepartementet. Nye fylkeskommuner som regionale samfunnsutviklere. Regionalt differensiert næringspolitikk. '.repeat(40);
        const guide = makeArticle({ title: 'Veileder i smart spesialisering', language: 'nob', summary: '', contentText: slides, publishedAt: day(1) });
        const plan = makeArticle({
          title: 'Nordland får ny regional plan for verdiskaping',
          language: 'nob',
          summary: 'Fylkestinget har vedtatt regional plan for verdiskaping med smart spesialisering innen havbruk, mineraler og reiseliv.',
          contentText: '',
          publishedAt: day(20),
        });
        const strategies = makeArticle({
          title: 'Nordisk rapport',
          language: 'eng',
          summary: 'Research and innovation strategies for smart specialisation: smart specialisation, smart specialization, S3 platform.',
          contentText: '',
          publishedAt: day(21),
        });
        await store.upsertBatch([plan, guide, strategies]);
        const r = await search('smart spesialisering');
        expect(titles(r)[0]).toBe('Veileder i smart spesialisering');
        expect(titles(r)).toHaveLength(3);
      });

      it('folds a query typed without æ, ø and å before expanding it to the theme terms: "sirkulaer okonomi" finds what "sirkulær økonomi" finds', async () => {
        const ce = [{ id: 'circular-economy', score: 3, terms: [] as string[] }];
        await store.upsertBatch([
          makeArticle({ title: 'Sirkulær økonomi i Agder', language: 'nob', themes: ce }),
          makeArticle({ title: 'Cirkulär ekonomi i Skåne', language: 'swe', themes: ce }),
          makeArticle({ title: 'Circular economy in Nordic regions', language: 'eng', themes: ce }),
          makeArticle({ title: 'Nytt sykehus i Tromsø', language: 'nob' }),
        ]);
        const sorted = async (q: string) => titles(await search(q)).sort();
        const expected = ['Circular economy in Nordic regions', 'Cirkulär ekonomi i Skåne', 'Sirkulær økonomi i Agder'];
        expect(await sorted('sirkulær økonomi')).toEqual(expected);
        expect(await sorted('sirkulaer okonomi')).toEqual(expected);
        expect(await sorted('SIRKULAER OEKONOMI')).toEqual(expected);
        expect(await sorted('cirkular ekonomi')).toEqual(expected);
      });

      it('applies the list filters and pages by offset', async () => {
        await store.upsertBatch(corpus());
        expect(titles(await search('smart specialisation', { filter: { languages: ['swe'] } }))).toEqual(['Smart specialisering i Västerbotten']);
        const first = await search('smart spesialisering', { limit: 2 });
        const second = await search('smart spesialisering', { limit: 2, offset: 2 });
        expect(new Set([...titles(first), ...titles(second)]).size).toBe(4);
        expect(second.total).toBe(4);
      });

      it('treats operators and quotes a user types as text', async () => {
        await store.upsertBatch(corpus());
        expect((await search('"); DROP TABLE articles; --')).total).toBe(0);
        expect((await search('smart OR NOT sykehus*')).total).toBe(0);
        expect((await search('...')).total).toBe(0);
      });
    });

    it('reports stored hashes and counts per source and theme', async () => {
      const a = makeArticle({ sourceId: 'kdd', contentHash: 'h-a', themes: [{ id: 't1', score: 2, terms: [] }] });
      const b = makeArticle({ sourceId: 'kdd', contentHash: 'h-b', themes: [{ id: 't1', score: 2, terms: [] }, { id: 't2', score: 2, terms: [] }] });
      const c = makeArticle({ sourceId: 'tvv' });
      await store.upsertBatch([a, b, c]);
      expect(await store.knownHashes('kdd', [a.id, b.id, c.id, 'missing'])).toEqual(new Map([[a.id, 'h-a'], [b.id, 'h-b']]));
      expect(await store.count()).toBe(3);
      expect(await store.countBySource()).toEqual(new Map([['kdd', 2], ['tvv', 1]]));
      expect(await store.countByTheme()).toEqual(new Map([['t1', 2], ['t2', 1]]));
      expect(await store.ping()).toBe(true);
    });

    it('filters consultations by deadline and pages them soonest deadline first', async () => {
      const c = (d: number) => makeArticle({ documentType: 'consultation', deadline: day(d), departments: ['Kommunal- og distriktsdepartementet'] });
      const due = [c(20), c(3), c(9), c(9), c(15)];
      await store.upsertBatch([...due, makeArticle(), makeArticle({ documentType: 'consultation' })]);
      expect((await store.list({ types: ['consultation'] }, { limit: 20 })).items).toHaveLength(6);
      expect((await store.list({ deadlineFrom: day(9), deadlineTo: day(20) }, { limit: 20 })).items).toHaveLength(3);
      const seen = [];
      let cursor;
      do {
        const page = await store.list({}, { limit: 2, cursor, sort: 'deadline' });
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.map((a) => a.deadline)).toEqual([day(3), day(9), day(9), day(15), day(20)]);
      expect(new Set(seen.map((a) => a.id)).size).toBe(5);
      expect(seen[0]!.departments).toEqual(['Kommunal- og distriktsdepartementet']);
    });

    it('lists open consultations, whose deadline has not passed, soonest first with sort=deadline', async () => {
      const now = Date.now();
      const inDays = (d: number) => new Date(now + d * 86_400_000).toISOString();
      const c = (d: number) => makeArticle({ title: `due ${d}`, documentType: 'consultation', deadline: inDays(d) });
      await store.upsertBatch([c(-30), c(-1), c(10), c(2), c(40), makeArticle({ title: 'news' }), makeArticle({ title: 'no deadline', documentType: 'consultation' })]);
      const open = await store.list({ status: 'open' }, { limit: 20, sort: 'deadline' });
      expect(open.items.map((a) => a.title)).toEqual(['due 2', 'due 10', 'due 40']);
      expect((await store.list({ status: 'open' }, { limit: 20 })).items.map((a) => a.title).sort()).toEqual(['due 10', 'due 2', 'due 40']);
      expect((await store.search({ q: 'due', filter: { status: 'open' }, limit: 20, offset: 0 })).total).toBe(3);
    });

    describe('stories and near-duplicates', () => {
      const bio = [{ id: 'bioeconomy', score: 3, terms: ['bioøkonomi'] }];
      it('records story and duplicateOf without touching the rest, and counts what changed', async () => {
        const a = makeArticle({ title: 'Bioøkonomi i Trøndelag', sourceId: 'kdd', themes: bio });
        const b = makeArticle({ title: 'Bioøkonomi i Trøndelag', sourceId: 'tfk', themes: bio });
        const c = makeArticle({ title: 'Bioekonomi i Norrbotten', sourceId: 'tvv' });
        await store.upsertBatch([a, b, c]);
        const storedB = await store.get(b.id);
        expect(await store.setStories([{ id: a.id, story: a.id }, { id: b.id, story: a.id, duplicateOf: a.id }, { id: 'AAAAAAAAAAAAAAAAAAAAAA', story: 'x' }])).toBe(2);
        // The same decisions again change nothing.
        expect(await store.setStories([{ id: a.id, story: a.id }, { id: b.id, story: a.id, duplicateOf: a.id }])).toBe(0);
        expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
        expect(await store.get(b.id)).toEqual({ ...storedB, story: a.id, duplicateOf: a.id });
        expect((await store.get(a.id))!.story).toBe(a.id);
        expect((await store.get(c.id))!.story).toBeUndefined();
      });

      it('leaves copies out of lists, search and counts unless asked, and filters by story', async () => {
        const a = makeArticle({ title: 'Bioøkonomi i Trøndelag', sourceId: 'kdd', themes: bio, publishedAt: day(3) });
        const b = makeArticle({ title: 'Bioøkonomi i Trøndelag', sourceId: 'tfk', themes: bio, publishedAt: day(4) });
        const c = makeArticle({ title: 'Bioøkonomi i Norrbotten', sourceId: 'tvv', themes: bio, publishedAt: day(5) });
        await store.upsertBatch([a, b, c]);
        await store.setStories([{ id: a.id, story: a.id }, { id: b.id, story: a.id, duplicateOf: a.id }, { id: c.id, story: a.id }]);
        expect((await store.list({}, { limit: 10 })).items.map((x) => x.id)).toEqual([c.id, a.id]);
        expect((await store.list({ withDuplicates: true }, { limit: 10 })).items.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
        expect((await store.list({ stories: [a.id] }, { limit: 10 })).items.map((x) => x.id)).toEqual([c.id, a.id]);
        expect((await store.list({ stories: ['other'] }, { limit: 10 })).items).toEqual([]);
        const hits = await store.search({ q: 'bioøkonomi', filter: {}, limit: 10, offset: 0 });
        expect(hits.items.map((x) => x.id).sort()).toEqual([a.id, c.id].sort());
        expect(hits.total).toBe(2);
        expect(hits.facets.sources).toEqual({ kdd: 1, tvv: 1 });
        expect((await store.search({ q: 'bioøkonomi', filter: { sources: ['tfk', 'kdd'] }, limit: 10, offset: 0 })).items.map((x) => x.id)).toEqual([a.id]);
        expect(await store.count({ themes: ['bioeconomy'] })).toBe(2);
        expect(await store.count({ themes: ['bioeconomy'], withDuplicates: true })).toBe(3);
        // A copy that stops being one comes back.
        await store.setStories([{ id: b.id, story: b.id }]);
        expect(await store.count({ q: 'bioøkonomi' })).toBe(3);
      });

      it('keeps story and duplicateOf through a new version of the article', async () => {
        const a = makeArticle({ sourceId: 'kdd', themes: bio });
        await store.ingestBatch([a]);
        await store.setStories([{ id: a.id, story: 'S1', duplicateOf: 'BBBBBBBBBBBBBBBBBBBBBB' }]);
        await store.ingestBatch([{ ...a, title: 'New title', contentHash: 'h2', fetchedAt: new Date(Date.parse(a.fetchedAt) + 60_000).toISOString() }]);
        const got = (await store.get(a.id))!;
        expect([got.title, got.story, got.duplicateOf]).toEqual(['New title', 'S1', 'BBBBBBBBBBBBBBBBBBBBBB']);
      });
    });

    describe('ingestion: one article per story, every source recorded, versions in order', () => {
      const story = makeArticle({ url: 'https://www.regjeringen.no/no/aktuelt/ny-strategi/id1/' });
      /** The story as one source delivered it at one fetch. */
      const version = (sourceId: string, fromPublisher: boolean, fetchedAt: string, title: string): Article => {
        const contentHash = `${sourceId}-${title}`.replace(/\W/g, '');
        return { ...story, sourceId, fromPublisher, fetchedAt, title, contentHash, sources: [{ sourceId, contentHash, fetchedAt, fromPublisher }] };
      };
      const publisher = version('kdd', true, day(2), 'Ny strategi for distrikta');
      const relay = version('relay', false, day(1), 'Copied: ny strategi');

      it.each([
        ['the publisher first', [publisher, relay]],
        ['the relay first', [relay, publisher]],
      ])('keeps the publisher’s version whatever the order (%s), lists both sources and finds it under each', async (_, order) => {
        for (const a of order) await store.ingestBatch([a]);
        const stored = (await store.get(story.id))!;
        expect(stored.title).toBe(publisher.title);
        expect(stored.sourceId).toBe('kdd');
        expect(stored.sources.map((x) => x.sourceId)).toEqual(['kdd', 'relay']);
        for (const source of ['kdd', 'relay']) expect((await store.list({ sources: [source] }, { limit: 10 })).items.map((x) => x.id)).toEqual([story.id]);
        expect(await store.countBySource()).toEqual(new Map([['kdd', 1], ['relay', 1]]));
        expect(await store.count()).toBe(1);
        expect(await store.knownHashes('relay', [story.id])).toEqual(new Map([[story.id, relay.contentHash]]));
        expect(await store.knownHashes('kdd', [story.id])).toEqual(new Map([[story.id, publisher.contentHash]]));
      });

      it('keeps the first copy when no source is the publisher, and lets only its own source update it', async () => {
        const first = version('relay', false, day(1), 'First copy');
        const second = version('other', false, day(2), 'Second copy');
        await store.ingestBatch([first, second]);
        expect((await store.get(story.id))!.title).toBe('First copy');
        await store.ingestBatch([version('relay', false, day(3), 'First copy, updated')]);
        const stored = (await store.get(story.id))!;
        expect(stored.title).toBe('First copy, updated');
        expect(stored.sources.map((x) => x.sourceId)).toEqual(['other', 'relay']);
      });

      it('ends with the newest version of a source whatever order its versions arrive in, and a re-delivery changes nothing', async () => {
        const v1 = version('kdd', true, day(1), 'Version one');
        const v2 = version('kdd', true, day(2), 'Version two');
        await store.ingestBatch([v2]);
        await store.ingestBatch([v1]);
        expect((await store.get(story.id))!.title).toBe('Version two');
        await store.ingestBatch([v1, v2, v2]);
        const stored = (await store.get(story.id))!;
        expect(stored.title).toBe('Version two');
        expect(stored.sources).toEqual([{ sourceId: 'kdd', contentHash: v2.contentHash, fetchedAt: day(2), fromPublisher: true }]);
        expect(await store.knownHashes('kdd', [story.id])).toEqual(new Map([[story.id, v2.contentHash]]));
      });
    });

    opts.additionalTests?.(() => store);
  });
}
