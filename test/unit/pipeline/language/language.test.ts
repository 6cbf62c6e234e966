import { describe, expect, it } from 'vitest';
import { createLanguageDetector, declaredToCode } from '../../../../src/pipeline/language/index.js';
import { shippedConfig } from '../../../helpers/config.js';
import { readSeeds } from '../../../helpers/seeds.js';

const detect = createLanguageDetector(shippedConfig().languageMarkers);
const seeds = readSeeds();

describe('detectLanguage on the seeds', () => {
  it.each([
    ['000', 'nno'],
    ['001', 'nob'],
    ['002', 'swe'],
    ['003', 'nob'],
    ['004', 'swe'],
  ])('seed %s is %s, whatever the feed declares', (seed, lang) => {
    const text = seeds.get(seed)!;
    // The declared language is a prior, never the answer: a wrong declaration must not win.
    for (const declared of [undefined, 'nb-NO', 'sv', 'en']) {
      expect(detect({ body: text, declared }).lang).toBe(lang);
    }
  });
});

describe('detectLanguage on short texts', () => {
  it.each([
    ['Korleis kan fylkeskommunane styrkje rolla si som samfunnsutviklar? Det veit vi ikkje enno.', 'nno'],
    ['Hvordan kan fylkeskommunene styrke rollen sin som samfunnsutvikler? Det vet vi ikke ennå.', 'nob'],
    ['Hvordan kan regionerne styrke deres rolle i udviklingen af erhvervslivet? Det ved vi ikke endnu.', 'dan'],
    ['Hur kan regionerna stärka sin roll i det regionala utvecklingsarbetet? Det vet vi inte än.', 'swe'],
    ['Miten maakunnat voivat vahvistaa rooliaan alueellisessa kehittämisessä? Sitä emme vielä tiedä.', 'fin'],
    ['How can county councils strengthen their role in regional development? We do not know yet.', 'eng'],
  ])('%s → %s', (text, lang) => {
    expect(detect({ body: text }).lang).toBe(lang);
  });

  it('answers und with no confidence when there is too little text', () => {
    expect(detect({ title: 'OK', declared: 'nb' })).toMatchObject({ lang: 'und', confidence: 0 });
  });

  it('reports a confidence between 0 and 1 and the signals behind it', () => {
    const r = detect({ body: seeds.get('000')! });
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.signals.markers.nno).toBeGreaterThan(r.signals.markers.nob ?? 0);
  });
});

describe('declaredToCode', () => {
  it.each([
    ['nb-NO', 'nob'],
    ['nn', 'nno'],
    ['no', 'nob'],
    ['sv-SE', 'swe'],
    ['en_GB', 'eng'],
    ['fr', undefined],
    [undefined, undefined],
  ])('%s → %s', (tag, code) => {
    expect(declaredToCode(tag)).toBe(code);
  });
});
