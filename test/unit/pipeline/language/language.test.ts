import { describe, expect, it } from 'vitest';
import { createLanguageDetector, declaredToCode } from '../../../../src/pipeline/language/index.js';
import { createNordicDetector, loadCld2 } from '../../../../src/pipeline/language/cld2.js';
import { shippedConfig } from '../../../helpers/config.js';
import { readSeeds } from '../../../helpers/seeds.js';

const detect = createNordicDetector(shippedConfig().languageProfiles);
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
    ['Hvernig geta sveitarfélögin styrkt hlutverk sitt í byggðaþróun? Það vitum við ekki enn.', 'isl'],
    ['Hvussu kunnu kommunurnar styrkja sítt leiklut í økismenningini? Tað vita vit ikki enn.', 'fao'],
    ['Movt sáhttet gielddat nannet iežaset rolla guovllu ovdánahttimis? Dan eat mii vel dieđe.', 'sme'],
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
    expect(r.signals.words.nno).toBeGreaterThan(r.signals.words.nob ?? 0);
  });
});

describe('detectLanguage on headlines', () => {
  const plain = createLanguageDetector(shippedConfig().languageProfiles);

  it.each([
    'Nytt samarbeid mellom kommuner og fylkeskommuner om regional planlegging',
    'Regionalt partnerskap for kompetanse i Nordland',
    'Fylkeskommunen, NAV, universitetet og næringslivet har signert en ny partnerskapsavtale om kompetanseutvikling.',
  ])('bokmål headline "%s" is nob, declared nb or not, with and without CLD2', (title) => {
    for (const d of [detect, plain]) {
      expect(d({ title }).lang).toBe('nob');
      expect(d({ title, declared: 'nb' }).lang).toBe('nob');
    }
  });

  it.each([
    'Fylkeskommunen vil styrkje samarbeidet med kommunane om næringsutvikling',
    'Regjeringa legg fram ny stortingsmelding om distrikta',
  ])('nynorsk headline "%s" is nno, whatever is declared, with and without CLD2', (title) => {
    for (const d of [detect, plain]) {
      for (const declared of [undefined, 'nn', 'nb']) expect(d({ title, declared }).lang).toBe('nno');
    }
  });

  it('lets a declared language decide a headline with no telling word, but not one with telling words', () => {
    // Nothing here is bokmål rather than nynorsk: the declaration breaks the tie.
    expect(plain({ title: 'Regionalt partnerskap for kompetanse i Nordland', declared: 'nn' }).lang).toBe('nno');
    // A source that declares nynorsk for bokmål items: "kommuner", "en" and "ikke" outvote it.
    expect(plain({ title: 'Kommuner vil ikke ha en ny region', declared: 'nn' }).lang).toBe('nob');
  });

  it.each([
    ['Regeringen vil styrke samarbejdet mellem kommunerne om erhvervsudvikling', 'dan'],
    ['Regeringen vill stärka samarbetet mellan kommunerna om näringslivsutveckling', 'swe'],
    ['Hallitus haluaa vahvistaa kuntien yhteistyötä', 'fin'],
    ['Government wants councils to work together on regional growth', 'eng'],
  ])('%s → %s', (title, lang) => {
    expect(plain({ title }).lang).toBe(lang);
  });
});

describe('signals', () => {
  it('counts letters a language does not spell with against it: þ is not Faroese, ø is not Icelandic', () => {
    const r = detect({ body: 'Það er þörf á samstarfi milli sveitarfélaga um byggðaþróun og atvinnu.' });
    expect(r.lang).toBe('isl');
    expect(r.signals.foreignLetters.fao).toBeGreaterThan(0);
    expect(r.signals.foreignLetters.isl).toBeUndefined();
  });

  it('asks CLD2 for a second opinion on short Scandinavian text, when the addon is built', () => {
    const r = detect({ body: 'Vil hun være der inne i morgen?' });
    if (loadCld2()) expect(r.signals.secondOpinion).toBe('nob');
    expect(['nob', 'dan']).toContain(r.lang);
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
