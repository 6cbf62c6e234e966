import { describe, expect, it } from 'vitest';
import { createThemeTagger } from '../../../../src/pipeline/themes/index.js';
import type { Taxonomy } from '../../../../src/pipeline/themes/schema.js';
import { shippedConfig } from '../../../helpers/config.js';
import { readSeeds } from '../../../helpers/seeds.js';

const config = shippedConfig();
const tag = createThemeTagger(config.taxonomy);
const seeds = readSeeds();
const LANG: Record<string, string> = { '000': 'nno', '001': 'nob', '002': 'swe', '003': 'nob', '004': 'swe' };

const themesOf = (seed: string) => {
  const [title, ...rest] = seeds.get(seed)!.trim().split('\n');
  return tag({ title: title!, text: rest.join('\n'), language: LANG[seed]! });
};

describe('theme tagging of the seeds', () => {
  it.each([
    ['000', ['smart-specialisation', 'regional-partnership']],
    ['001', ['smart-specialisation']],
    ['003', ['regional-partnership']],
    ['004', ['smart-specialisation']],
  ])('seed %s carries %j', (seed, expected) => {
    const ids = themesOf(seed).map((t) => t.id);
    for (const id of expected) expect(ids).toContain(id);
  });

  it('does not tag seeds 002 and 003 as smart specialisation', () => {
    expect(themesOf('002').map((t) => t.id)).not.toContain('smart-specialisation');
    expect(themesOf('003').map((t) => t.id)).not.toContain('smart-specialisation');
  });

  it('keeps the terms that triggered each tag', () => {
    const s3 = themesOf('000').find((t) => t.id === 'smart-specialisation')!;
    expect(s3.terms).toContain('smart spesialisering');
    expect(s3.score).toBeGreaterThanOrEqual(2);
  });
});

const tiny: Taxonomy = {
  version: 7,
  themes: [
    {
      id: 'clusters',
      labels: { nb: 'Klynger', nn: 'Klynger', sv: 'Kluster', da: 'Klynger', fi: 'Klusterit', en: 'Clusters' },
      terms: { nb: ['næringsklynge*'], nn: ['klynge'], sv: ['kluster'], da: ['klynge'], fi: ['klusteri'], en: ['cluster', 'innovation cluster'] },
      exclude: { en: ['cluster headache'] },
      threshold: 2,
    },
    {
      id: 's3',
      labels: { nb: 'S3', nn: 'S3', sv: 'S3', da: 'S3', fi: 'S3', en: 'S3' },
      terms: { nb: ['smart spesialisering'], nn: ['smart spesialisering'], sv: ['smart specialisering'], da: ['smart specialisering'], fi: ['älykäs erikoistuminen'], en: ['smart specialisation'] },
      threshold: 2,
    },
  ],
};
const tagTiny = createThemeTagger(tiny);

describe('matching rules', () => {
  it('matches on stems: an inflected form meets its term', () => {
    expect(tagTiny({ title: 'Smart spesialiseringa i fylka', language: 'nno' }).map((t) => t.id)).toEqual(['s3']);
    expect(tagTiny({ title: 'Regional smart specialisation strategies', language: 'eng' })).toHaveLength(1);
  });

  it('matches a prefix term inside Nordic compounds', () => {
    const [t] = tagTiny({ title: 'Næringsklyngeprogrammet utvides', language: 'nob' });
    expect(t).toMatchObject({ id: 'clusters', terms: ['næringsklyngeprogrammet'] });
  });

  it('weighs the title over the body: one mention in a long body stays under the threshold', () => {
    const long = `Ein klynge vart nemnd. ${'Fylket held fram arbeidet med andre saker i år. '.repeat(20)}`;
    expect(tagTiny({ title: 'Nytt fra regionen', text: long, language: 'nno' })).toEqual([]);
    expect(tagTiny({ title: 'Ny klynge i regionen', text: '', language: 'nno' })[0]!.score).toBe(3);
  });

  it('counts one mention in a short text (a summary, a teaser), which is what it is about', () => {
    expect(tagTiny({ title: 'Nytt fra regionen', text: 'Ein klynge vart skipa i går.', language: 'nno' })).toMatchObject([{ id: 'clusters', score: 2, terms: ['klynge'] }]);
  });

  it('ignores words inside an exclusion phrase', () => {
    expect(tagTiny({ title: 'Cluster headache: new treatment', language: 'eng' })).toEqual([]);
    expect(tagTiny({ title: 'Cluster headache and a new cluster', language: 'eng' })[0]).toMatchObject({ score: 3, terms: ['cluster'] });
  });

  it('counts one mention once, under its longest matching term', () => {
    expect(tagTiny({ title: 'A new innovation cluster', language: 'eng' })[0]).toMatchObject({ score: 3, terms: ['innovation cluster'] });
  });

  it('exposes the taxonomy version for re-tagging', () => {
    expect(tagTiny.version).toBe(7);
  });
});

const labels = { nb: 'x', nn: 'x', sv: 'x', da: 'x', fi: 'x', en: 'x' };
const same = (terms: string[]) => ({ nb: terms, nn: terms, sv: terms, da: terms, fi: terms, en: terms });
const weighing: Taxonomy = {
  version: 1,
  organisations: ['innovasjon norge', 'kommunal- og distriktsdepartementet'],
  themes: [
    { id: 'innovation', labels, terms: same(['~innovasjon*', 'klynge*']), threshold: 2 },
    { id: 'rural', labels, terms: same(['distrikt*', 'bygdeutvikling']), threshold: 2 },
    { id: 's3', labels, terms: same(['^smart spesialisering']), threshold: 2 },
    { id: 'export', labels, terms: same(['eksport*']), threshold: 2 },
  ],
};
const tagW = createThemeTagger(weighing);
const filler = (n: number) => 'Fylket held fram arbeidet med andre saker i år. '.repeat(n);
const ids = (a: Parameters<typeof tagW>[0]) => tagW(a).map((t) => t.id);

describe('weighing the evidence', () => {
  it('never counts the words of an organisation name', () => {
    expect(ids({ title: 'Kommunal- og distriktsdepartementet deler ut midlar', language: 'nob' })).toEqual([]);
    expect(ids({ title: 'Distrikta får meir midlar', language: 'nob' })).toEqual(['rural']);
    // "Innovasjon" inside the name is no evidence beside "klynge"; outside it, it is.
    expect(tagW({ title: 'Innovasjon Norge støttar ny klynge', language: 'nob' })[0]!.terms).toEqual(['klynge']);
    expect(tagW({ title: 'Innovasjon i ny klynge', language: 'nob' })[0]!.terms).toEqual(['klynge', 'innovasjon']);
  });

  it('lets a defining phrase tag from one mention in a long body, where a plain term needs more', () => {
    const body = `${filler(10)}Planen byggjer på smart spesialisering. ${filler(10)}Ein klynge vart nemnd.`;
    expect(ids({ title: 'Ny plan', text: body, language: 'nno' })).toEqual(['s3']);
  });

  it('weighs the lead over the rest of the body', () => {
    const inLead = `Ein klynge vart skipa. ${filler(30)}`;
    const deep = `${filler(30)}Ein klynge vart skipa.`;
    expect(ids({ title: 'Nytt', text: `${inLead}Klynge igjen.`, language: 'nno' })).toContain('innovation');
    expect(ids({ title: 'Nytt', text: `${deep} Klynge igjen.`, language: 'nno' })).not.toContain('innovation');
  });

  it('judges body evidence relative to length: two mentions tag a medium text, not a very long one', () => {
    const two = 'Ein klynge vart skipa, og klynge skal veksa.';
    expect(ids({ title: 'Nytt', text: `${filler(12)}${two}`, language: 'nno' })).toContain('innovation');
    expect(ids({ title: 'Nytt', text: `${filler(80)}${two}`, language: 'nno' })).not.toContain('innovation');
  });

  it('drops a theme with a small share of the leading theme\'s evidence', () => {
    const tags = tagW({ title: 'Smart spesialisering i fylket', text: 'Smart spesialisering skal gi retning. Eksporten vart nemnd.', language: 'nno' });
    expect(tags.map((t) => t.id)).toEqual(['s3']);
    // On its own, the same mention is enough.
    expect(ids({ title: 'Nytt', text: 'Eksporten veks i år.', language: 'nno' })).toEqual(['export']);
  });

  it('never tags from one generic word alone, however it is inflected', () => {
    expect(ids({ title: 'Nytt', text: 'Innovasjon, innovasjonar og meir innovasjon.', language: 'nno' })).toEqual([]);
    expect(ids({ title: 'Nytt', text: 'Innovasjon, innovasjonar og ei ny klynge.', language: 'nno' })).toEqual(['innovation']);
  });

  it('never tags from one generic word alone, not even in the title and again in the text', () => {
    expect(ids({ title: 'Innovasjon i fylket', text: 'Innovasjon og meir innovasjon.', language: 'nno' })).toEqual([]);
    expect(ids({ title: 'Innovasjon i fylket', text: 'Innovasjon i ei ny klynge.', language: 'nno' })).toEqual(['innovation']);
  });

  it('lists the words as the text writes them', () => {
    expect(tagW({ title: 'Eksportsatsinga i fylket', language: 'nno' })[0]).toMatchObject({ id: 'export', terms: ['eksportsatsinga'] });
  });
});

const broad: Taxonomy = {
  version: 1,
  themes: [{ id: 'skills', labels, terms: same(['arbeidsmarknad*', 'fagbrev*', '^kompetansestrategi*', '~kompetanse*']), threshold: 2, distinctTerms: 2 }],
};
const tagBroad = createThemeTagger(broad);
const broadIds = (a: Parameters<typeof tagBroad>[0]) => tagBroad(a).map((t) => t.id);

describe('a theme of everyday words (distinctTerms)', () => {
  it('is not tagged on one of its terms, however much that term weighs', () => {
    expect(broadIds({ title: 'Nytt', text: 'Arbeidsmarknaden er stram i år.', language: 'nno' })).toEqual([]);
    expect(broadIds({ title: 'Arbeidsmarknaden i fylket', text: '', language: 'nno' })).toEqual([]);
    // The same evidence tags a theme that asks for one term.
    expect(ids({ title: 'Nytt', text: 'Eksporten veks i år.', language: 'nno' })).toEqual(['export']);
  });

  it('is tagged on two different terms of its own, a generic one among them', () => {
    expect(broadIds({ title: 'Nytt', text: 'Arbeidsmarknaden er stram, og fleire tek fagbrev.', language: 'nno' })).toEqual(['skills']);
    expect(tagBroad({ title: 'Arbeidsmarknaden og kompetansen i fylket', language: 'nno' })[0]!.terms).toEqual(['arbeidsmarknaden', 'kompetansen']);
  });

  it('is tagged on a defining phrase, or on a title term the text comes back to', () => {
    expect(broadIds({ title: 'Ny kompetansestrategi', language: 'nno' })).toEqual(['skills']);
    expect(broadIds({ title: 'Arbeidsmarknaden i fylket', text: 'Arbeidsmarknaden er stram i år.', language: 'nno' })).toEqual(['skills']);
  });
});

describe('the shipped taxonomy on words that belong to another theme or to none', () => {
  it('reads "reuse" of software or solutions as no evidence of circular economy on its own', () => {
    const tags = tag({ title: 'Kommunene skal gjenbruke digitale løsninger', text: 'Felles plattform for digitale tjenester gjør at kommunene kan gjenbruke det andre har laget.', language: 'nob' });
    expect(tags.map((t) => t.id)).not.toContain('circular-economy');
    expect(tag({ title: 'Mer gjenbruk og mindre avfall', language: 'nob' }).map((t) => t.id)).toContain('circular-economy');
  });

  it('reads entrepreneurial discovery as smart specialisation, not as support to entrepreneurs', () => {
    const text = 'Regionen inviterer små og mellemstore virksomheder til en iværksætterisk opdagelsesproces om fremtidens styrkepositioner.';
    const ids = tag({ title: 'Ny runde i smart specialisering', text, language: 'dan' }).map((t) => t.id);
    expect(ids).toContain('smart-specialisation');
    expect(ids).not.toContain('business-development');
  });

  it('reads side streams and industrial symbiosis as circular economy', () => {
    expect(tag({ title: 'Nytt', text: 'Fabrikken sælger nu sine sidestrømme til naboerne.', language: 'dan' }).map((t) => t.id)).toContain('circular-economy');
    expect(tag({ title: 'Nytt', text: 'Virksomhederne i den industrielle symbiose deler nu varme og vand.', language: 'dan' }).map((t) => t.id)).toContain('circular-economy');
  });
});
