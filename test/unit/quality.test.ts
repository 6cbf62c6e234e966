import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracy, paragraphs, readDevSet, readLabelled, scoreLabels } from '../../src/commands/eval.js';
import { createNordicDetector } from '../../src/pipeline/language/cld2.js';
import { createThemeTagger } from '../../src/pipeline/themes/index.js';
import { createRegionTagger } from '../../src/pipeline/regions/index.js';
import { shippedConfig } from '../helpers/config.js';

/** The quality bars the product promises, held as regressions: `npm run eval` prints the full tables. */
const config = shippedConfig();
const detect = createNordicDetector(config.languageProfiles);
const DEV = join(import.meta.dirname, '../../../shared/langid/dev-sentences.tsv');

describe('tagging quality on the hand-labelled evaluation set', () => {
  const articles = readLabelled(join(import.meta.dirname, '../fixtures/eval/articles.jsonl'));
  const tagThemes = createThemeTagger(config.taxonomy);
  const tagRegions = createRegionTagger(config.gazetteer);

  it('has at least 60 articles, ten in each written language', () => {
    expect(articles.length).toBeGreaterThanOrEqual(60);
    for (const lang of ['nob', 'nno', 'swe', 'dan', 'fin', 'eng']) expect(articles.filter((a) => a.lang === lang).length).toBeGreaterThanOrEqual(10);
  });

  // The team's own set: its labels count generic words ("innovasjon", "kompetanse") that THEMES.md rule 5
  // and the tagger now leave alone, so it scores below the 0.91 it had when it was the only set tuned on:
  // its precision stays near 0.99, its recall fell with the weighing of evidence.
  it('tags themes with micro-averaged F1 of at least 0.80, and regions with at least 0.95', () => {
    const themes = scoreLabels(articles.map((a) => ({ gold: a.themes, predicted: tagThemes({ title: a.title, summary: '', text: a.text, language: a.lang }).map((t) => t.id) })));
    const regions = scoreLabels(articles.map((a) => ({ gold: a.regions, predicted: tagRegions(`${a.title}\n${a.text}`).map((r) => r.code) })));
    expect(themes.micro.f).toBeGreaterThanOrEqual(0.8);
    expect(regions.micro.f).toBeGreaterThanOrEqual(0.95);
  });
});

describe('tagging quality on the frozen test part of the evaluation corpus', () => {
  const articles = readLabelled(join(import.meta.dirname, '../fixtures/eval/corpus/test.jsonl'));
  const tagThemes = createThemeTagger(config.taxonomy);
  const tagRegions = createRegionTagger(config.gazetteer);

  // Regressions only, at today's figures less a margin; issue 14's targets (themes F1 and precision ≥ 0.90) are ahead.
  it('holds themes precision at 0.86 and F1 at 0.80 or more, and regions F1 at 0.92 or more', () => {
    const themes = scoreLabels(articles.map((a) => ({ gold: a.themes, predicted: tagThemes({ title: a.title, summary: '', text: a.text, language: a.lang }).map((t) => t.id) })));
    const regions = scoreLabels(articles.map((a) => ({ gold: a.regions, predicted: tagRegions(`${a.title}\n${a.text}`).map((r) => r.code) })));
    expect(themes.micro.p).toBeGreaterThanOrEqual(0.86);
    expect(themes.micro.f).toBeGreaterThanOrEqual(0.8);
    expect(regions.micro.f).toBeGreaterThanOrEqual(0.92);
  });
});

describe.runIf(existsSync(DEV))('language identification on the development set', () => {
  const sentences = readDevSet(DEV);
  const guess = (t: string) => detect({ body: t }).lang;

  it('gets at least 95 % of single sentences', () => {
    expect(accuracy(sentences, guess).overall).toBeGreaterThanOrEqual(0.95);
  });

  it('gets at least 99 % of five-sentence paragraphs, and bokmål and nynorsk each at least 98 %', () => {
    const r = accuracy(paragraphs(sentences), guess);
    expect(r.overall).toBeGreaterThanOrEqual(0.99);
    expect(r.perLanguage.nob).toBeGreaterThanOrEqual(0.98);
    expect(r.perLanguage.nno).toBeGreaterThanOrEqual(0.98);
  });
});
