import { describe, expect, it } from 'vitest';
import { createLanguageDetector } from '../../../../src/pipeline/language/index.js';
import { countNgrams, features, ngramModel, type NgramModel } from '../../../../src/pipeline/language/ngram.js';
import { NGRAM_COUNTS } from '../../../../src/pipeline/language/ngram-model.generated.js';
import { MIN_COUNT, NGRAM_LANGUAGES, readTrainingText } from '../../../../src/commands/build-langid-model.js';
import { shippedConfig } from '../../../helpers/config.js';

const profiles = shippedConfig().languageProfiles;
const shipped = ngramModel(NGRAM_COUNTS);
const best = (m: NgramModel, text: string) => Object.entries(m.logLikelihood(text)).sort((a, b) => b[1] - a[1])[0]![0];

describe('features', () => {
  it('reads each lower-case word as itself and as its n-grams of 1 to 5 letters, word edges marked by a space', () => {
    const f = features('Eg ikkje!');
    expect(f).toContain('=eg');
    expect(f).toContain('=ikkje');
    expect(f).toContain(' ikk');
    expect(f).toContain('kje ');
    expect(f).toContain('ikkje');
    expect(f).not.toContain(' ikkje'); // six characters: longer than an n-gram
    expect(f).not.toContain(' ');
    expect(f.some((g) => g.includes('!'))).toBe(false);
  });
});

describe('ngramModel', () => {
  const toy = ngramModel(
    countNgrams({
      nob: ['Jeg vet ikke hva hun sier.', 'Kommunene vil ikke betale.'],
      nno: ['Eg veit ikkje kva ho seier.', 'Kommunane vil ikkje betale.'],
    }),
  );

  it('scores a text higher for the language whose words and letter sequences it shares', () => {
    expect(best(toy, 'Eg veit ikkje')).toBe('nno');
    expect(best(toy, 'Jeg vet ikke')).toBe('nob');
  });

  it('reads an unseen word by its n-grams', () => {
    expect(best(toy, 'fylkeskommunane')).toBe('nno');
    expect(best(toy, 'fylkeskommunene')).toBe('nob');
  });

  it('lets a word both training texts use equally tell nothing', () => {
    const ll = toy.logLikelihood('vil betale');
    expect(ll.nob).toBeCloseTo(ll.nno!, 5);
  });
});

describe('the shipped model', () => {
  it('is the one config/langid/*.txt gives: rebuild it with src/commands/build-langid-model.ts after editing them', () => {
    const corpus = Object.fromEntries(NGRAM_LANGUAGES.map((l) => [l, readTrainingText(l)]));
    expect(countNgrams(corpus, MIN_COUNT)).toEqual(NGRAM_COUNTS);
  });

  it.each([
    ['Dei fleste meiner at bygda treng fleire bustader', 'nno'],
    ['De fleste mener at bygda trenger flere boliger', 'nob'],
    ['De fleste mener, at landsbyen har brug for flere boliger', 'dan'],
    ['De flesta anser att byn behöver fler bostäder', 'swe'],
  ])('alone, takes "%s" for %s', (text, lang) => {
    expect(best(shipped, text)).toBe(lang);
  });
});

describe('the model in the detector', () => {
  const lexiconOnly = createLanguageDetector(profiles);
  const withModel = createLanguageDetector(profiles, { ngram: shipped });

  it.each([
    ['Hyttefolket vil ha sykkelsti langs elva', 'nob'],
    ['Byrådet vedtog budgettet', 'dan'],
  ])('breaks the tie the lexicons leave on "%s" (%s)', (title, lang) => {
    expect(lexiconOnly({ title }).lang).not.toBe(lang);
    expect(withModel({ title }).lang).toBe(lang);
  });

  /** A model as sure as can be that every text is nynorsk. */
  const nynorskAlways: NgramModel = { languages: ['nob', 'nno'], logLikelihood: () => ({ nob: -50, nno: 0 }) };
  const biased = createLanguageDetector(profiles, { ngram: nynorskAlways });

  it('counts at most a share of one word, so two telling words outvote it', () => {
    expect(biased({ title: 'Hvorfor vil ikke fylket samarbeide?' }).lang).toBe('nob');
  });

  it('decides a headline with no telling word', () => {
    expect(lexiconOnly({ title: 'Regionalt partnerskap for kompetanse i Nordland' }).lang).toBe('nob');
    expect(biased({ title: 'Regionalt partnerskap for kompetanse i Nordland' }).lang).toBe('nno');
  });
});
