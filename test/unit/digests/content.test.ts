import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../helpers/factories.js';
import { type DigestNames, groupByTheme, shortSummary, toDigestItem } from '../../../src/digests/content.js';
import type { Article } from '../../../src/model/article.js';
import type { UiLanguage } from '../../../src/i18n/index.js';

const THEMES: Record<string, Partial<Record<UiLanguage, string>>> = {
  housing: { en: 'Housing', nn: 'Bustader', sv: 'Bostäder' },
  innovation: { en: 'Innovation', nn: 'Innovasjon', sv: 'Innovation' },
  transport: { en: 'Transport', nn: 'Samferdsel', sv: 'Transporter' },
  climate: { en: 'Climate', nn: 'Klima', sv: 'Klimat' },
  energy: { en: 'Energy', nn: 'Energi', sv: 'Energi' },
  'smart-specialisation': { en: 'Smart specialisation', nn: 'Smart spesialisering', sv: 'Smart specialisering' },
};
const SOURCES: Record<string, string> = { nordregio: 'Nordregio', 'regjeringen-kdd': 'Kommunal- og distriktsdepartementet', 'yle-uutiset': 'Yle Uutiset', 'test-source': 'Test source' };
const names: DigestNames = {
  theme: (id, lang) => THEMES[id]?.[lang] ?? `?${id}`,
  source: (id) => SOURCES[id] ?? `?${id}`,
};

const sighting = (sourceId: string) => ({ sourceId, contentHash: `h-${sourceId}`, fetchedAt: '2026-11-01T00:00:00.000Z', fromPublisher: false });
const theme = (id: string, score: number, terms: string[] = [id]) => ({ id, score, terms });
const art = (publishedAt: string, themes: Article['themes'], over: Partial<Article> = {}) => makeArticle({ publishedAt, themes, ...over });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('shortSummary', () => {
  it('leaves a short text as it is', () => {
    expect(shortSummary('Fylka møtest for å dele røynsler.')).toBe('Fylka møtest for å dele røynsler.');
  });

  it('collapses whitespace and trims', () => {
    expect(shortSummary('  Fylka \n\n møtest\tfor å\r\n dele   røynsler.  ')).toBe('Fylka møtest for å dele røynsler.');
  });

  it('keeps a text of exactly the maximum length', () => {
    const text = `${'abcd '.repeat(47)}abcd`; // 239 characters
    expect(text.length).toBe(239);
    expect(shortSummary(`${text}x`)).toBe(`${text}x`);
  });

  it('cuts a long text at a word boundary and appends " …"', () => {
    // words of 6 letters and a space: character 240 falls inside the 35th word, so 34 whole words remain
    const words = Array.from({ length: 50 }, () => 'abcdef');
    expect(shortSummary(words.join(' '))).toBe(`${words.slice(0, 34).join(' ')} …`);
    expect(shortSummary('alpha beta gamma delta', 12)).toBe('alpha beta …');
  });

  it('collapses whitespace before measuring and cutting', () => {
    const spaced = Array.from({ length: 50 }, () => 'abcdef').join(' \n\t ');
    expect(shortSummary(spaced)).toBe(`${Array.from({ length: 34 }, () => 'abcdef').join(' ')} …`);
  });

  it('drops punctuation left at the cut', () => {
    expect(shortSummary('alpha beta, gamma delta', 14)).toBe('alpha beta …');
    expect(shortSummary('alpha beta. gamma delta', 14)).toBe('alpha beta …');
  });

  it('cuts a text without usable spaces at the maximum', () => {
    expect(shortSummary('x'.repeat(300))).toBe(`${'x'.repeat(240)} …`);
  });
});

describe('toDigestItem', () => {
  it('shows the stored source first, then the others, each once', () => {
    const a = makeArticle({
      sourceId: 'regjeringen-kdd',
      sources: [sighting('nordregio'), sighting('regjeringen-kdd'), sighting('yle-uutiset'), sighting('nordregio')],
    });
    expect(toDigestItem(a, 'nn', names).sources).toEqual([
      { id: 'regjeringen-kdd', name: 'Kommunal- og distriktsdepartementet' },
      { id: 'nordregio', name: 'Nordregio' },
      { id: 'yle-uutiset', name: 'Yle Uutiset' },
    ]);
  });

  it('maps the article, with theme labels in the requested language and terms kept', () => {
    const a = makeArticle({
      url: 'https://www.regjeringen.no/nn/aktuelt/s3/id1',
      title: 'Verkstad om smart spesialisering',
      summary: 'Fylka  møtest\nfor å dele røynsler.',
      publishedAt: '2026-11-24T09:15:00.000Z',
      language: 'nno',
      themes: [theme('smart-specialisation', 0.9, ['smart spesialisering', 'S3']), theme('innovation', 0.4, ['innovasjon'])],
      regions: [
        { code: 'NO-18', name: 'Nordland', terms: ['Nordland'] },
        { code: 'NO-55', name: 'Troms', terms: ['Troms'] },
      ],
    });
    expect(toDigestItem(a, 'nn', names)).toStrictEqual({
      id: a.id,
      url: 'https://www.regjeringen.no/nn/aktuelt/s3/id1',
      title: 'Verkstad om smart spesialisering',
      summary: 'Fylka møtest for å dele røynsler.',
      publishedAt: '2026-11-24T09:15:00.000Z',
      language: 'nno',
      sources: [{ id: 'test-source', name: 'Test source' }],
      themes: [
        { id: 'smart-specialisation', label: 'Smart spesialisering', terms: ['smart spesialisering', 'S3'] },
        { id: 'innovation', label: 'Innovasjon', terms: ['innovasjon'] },
      ],
      regions: ['Nordland', 'Troms'],
      also: [],
    });
    expect(toDigestItem(a, 'sv', names).themes.map((t) => t.label)).toEqual(['Smart specialisering', 'Innovation']);
  });

  it('falls back to the content text when the article has no summary', () => {
    const a = makeArticle({ summary: '', contentText: 'Heile  teksten\n av saka.' });
    expect(toDigestItem(a, 'en', names).summary).toBe('Heile teksten av saka.');
  });
});

describe('groupByTheme', () => {
  it('puts each article once under its best-scoring followed theme, groups in the filter order, newest first, the rest last', () => {
    const a1 = art('2026-11-05T10:00:00.000Z', [theme('innovation', 0.9), theme('housing', 0.5)]);
    const a2 = art('2026-11-04T10:00:00.000Z', [theme('housing', 0.4), theme('climate', 0.99)]); // climate is not followed
    const a3 = art('2026-11-03T10:00:00.000Z', [theme('climate', 0.8)]);
    const a4 = art('2026-11-02T10:00:00.000Z', []);
    const a5 = art('2026-11-06T10:00:00.000Z', [theme('housing', 0.7)]);
    const a6 = art('2026-11-01T10:00:00.000Z', [theme('housing', 0.3), theme('innovation', 0.6)]);
    const groups = groupByTheme([a4, a1, a3, a6, a2, a5], { lang: 'nn', followed: ['transport', 'innovation', 'housing'], names, otherLabel: 'Anna' });
    expect(groups.map((g) => [g.themeId, g.label, ids(g.items)])).toEqual([
      ['innovation', 'Innovasjon', [a1.id, a6.id]],
      ['housing', 'Bustader', [a5.id, a2.id]],
      [undefined, 'Anna', [a3.id, a4.id]],
    ]);
    // each article exactly once
    const all = groups.flatMap((g) => ids(g.items));
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
    // items carry all their themes, not only the followed ones
    expect(groups[1]!.items[1]!.themes.map((t) => t.id)).toEqual(['housing', 'climate']);
  });

  it('shows each story once, by its first report, with the other reports as "also reported by"', () => {
    const first = art('2026-11-02T10:00:00.000Z', [theme('innovation', 0.5)], { sourceId: 'nordregio', story: 'S', language: 'eng' });
    const second = art('2026-11-04T10:00:00.000Z', [theme('housing', 0.9)], { sourceId: 'yle-uutiset', story: 'S', language: 'fin' });
    const lone = art('2026-11-03T10:00:00.000Z', [theme('innovation', 0.4)]);
    const groups = groupByTheme([lone, second, first], { lang: 'en', followed: ['innovation', 'housing'], names, otherLabel: 'Other' });
    // The story stands where its newest report would, under its first report's theme; the lone article after it.
    expect(groups.map((g) => [g.themeId, ids(g.items)])).toEqual([['innovation', [first.id, lone.id]]]);
    expect(groups[0]!.items[0]!.also).toEqual([{ title: second.title, url: second.url, source: 'Yle Uutiset', language: 'fin' }]);
    expect(groups[0]!.items[1]!.also).toEqual([]);
  });

  it('keeps the filter order whatever the sizes, and leaves out followed themes without articles', () => {
    const h = [1, 2, 3].map((d) => art(`2026-11-0${d}T10:00:00.000Z`, [theme('housing', 1)]));
    const t = art('2026-11-09T10:00:00.000Z', [theme('transport', 1)]);
    const groups = groupByTheme([...h, t], { lang: 'en', followed: ['transport', 'climate', 'housing'], names, otherLabel: 'Other' });
    expect(groups.map((g) => g.themeId)).toEqual(['transport', 'housing']);
    expect(ids(groups[1]!.items)).toEqual([h[2]!.id, h[1]!.id, h[0]!.id]);
  });

  it('without followed themes, uses each article’s best theme and orders groups by size, then id', () => {
    const b1 = art('2026-11-06T10:00:00.000Z', [theme('climate', 0.9)]);
    const b2 = art('2026-11-05T10:00:00.000Z', [theme('housing', 0.8), theme('climate', 0.3)]);
    const b3 = art('2026-11-04T10:00:00.000Z', [theme('housing', 0.6)]);
    const b4 = art('2026-11-07T10:00:00.000Z', [theme('energy', 0.5)]);
    const b5 = art('2026-11-03T10:00:00.000Z', [theme('climate', 0.7)]);
    const b6 = art('2026-11-08T10:00:00.000Z', []);
    const b7 = art('2026-11-02T10:00:00.000Z', [theme('transport', 0.2), theme('energy', 0.1)]);
    const b8 = art('2026-11-01T10:00:00.000Z', [theme('transport', 0.9)]);
    const b9 = art('2026-10-31T10:00:00.000Z', [theme('transport', 0.9)]);
    const input = [b1, b2, b3, b4, b5, b6, b7, b8, b9];
    const expected = [
      ['transport', 'Transport', [b7.id, b8.id, b9.id]],
      ['climate', 'Climate', [b1.id, b5.id]],
      ['housing', 'Housing', [b2.id, b3.id]],
      ['energy', 'Energy', [b4.id]],
      [undefined, 'Other', [b6.id]],
    ];
    for (const followed of [undefined, []]) {
      const groups = groupByTheme([...input].reverse(), { lang: 'en', followed, names, otherLabel: 'Other' });
      expect(groups.map((g) => [g.themeId, g.label, ids(g.items)])).toEqual(expected);
    }
  });

  it('orders articles published at the same time the same way whatever the input order', () => {
    const same = '2026-11-05T10:00:00.000Z';
    const xs = [1, 2, 3, 4].map(() => art(same, [theme('housing', 1)]));
    const opts = { lang: 'en' as const, followed: ['housing'], names, otherLabel: 'Other' };
    const forward = ids(groupByTheme(xs, opts)[0]!.items);
    expect(new Set(forward)).toEqual(new Set(xs.map((x) => x.id)));
    expect(ids(groupByTheme([...xs].reverse(), opts)[0]!.items)).toEqual(forward);
    expect(ids(groupByTheme([xs[2]!, xs[0]!, xs[3]!, xs[1]!], opts)[0]!.items)).toEqual(forward);
  });

  it('puts everything under the other label when nothing matches, and gives nothing for no articles', () => {
    const a = art('2026-11-05T10:00:00.000Z', [theme('climate', 1)]);
    expect(groupByTheme([a], { lang: 'en', followed: ['housing'], names, otherLabel: 'Other' })).toEqual([{ label: 'Other', items: [toDigestItem(a, 'en', names)] }]);
    expect(groupByTheme([], { lang: 'en', followed: ['housing'], names, otherLabel: 'Other' })).toEqual([]);
  });
});
