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
    expect(t).toMatchObject({ id: 'clusters', terms: ['næringsklynge*'] });
  });

  it('weighs the title over the body: one mention in a long body stays under the threshold', () => {
    const long = `Ein klynge vart nemnd. ${'Fylket held fram arbeidet med andre saker i år. '.repeat(20)}`;
    expect(tagTiny({ title: 'Nytt fra regionen', text: long, language: 'nno' })).toEqual([]);
    expect(tagTiny({ title: 'Ny klynge i regionen', text: '', language: 'nno' })[0]!.score).toBe(3);
  });

  it('counts one mention in a short text (a summary, a teaser), which is what it is about', () => {
    expect(tagTiny({ title: 'Nytt fra regionen', text: 'Ein klynge vart skipa i går.', language: 'nno' })).toMatchObject([{ id: 'clusters', score: 1 }]);
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
