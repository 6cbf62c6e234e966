import { describe, expect, it } from 'vitest';
import { extractFeatures, parseNumber } from '../../../src/pipeline/stories/features.js';
import { numberSlots, shingles, sketch, slotAgreement, SKETCH_SIZE } from '../../../src/pipeline/stories/shingles.js';

const keys = (text: string, language = '') => new Set(extractFeatures('', text, language).map((f) => f.key));

describe('extractFeatures', () => {
  it.each([
    // Sums with their scale, in each language's words and abbreviations.
    ['Budsjettet er 12 millioner kroner.', 'v:12000000'],
    ['The budget is EUR 12 million.', 'v:12000000'],
    ['Budjetti on 12 miljoonaa euroa.', 'v:12000000'],
    ['Kommunen fekk 12 millionar kroner.', 'v:12000000'],
    ['Regionen afsætter 12 mio. kr.', 'v:12000000'],
    ['Stödet är 1,5 miljarder kronor.', 'v:1500000000'],
    ['The fund holds EUR 1.5bn.', 'v:1500000000'],
    // Thousands grouped by point, comma, space or none.
    ['Det kom 2.340 søknader.', 'v:2340'],
    ['There were 2,340 applications.', 'v:2340'],
    ['Det kom 2 340 ansökningar.', 'v:2340'],
    ['Hakemuksia tuli 2340.', 'v:2340'],
    // Percentages and decimals.
    ['Ledigheten falt til 3,5 prosent.', '%:3.5'],
    ['Unemployment fell to 3.5 per cent.', '%:3.5'],
    ['Työttömyys laski 3,5 prosenttiin.', '%:3.5'],
    ['Arbetslösheten är 3,5 %.', '%:3.5'],
    // Dates: month names of six languages, day-first numeric dates, English month-first.
    ['Møtet er 15. oktober.', 'd:10-15'],
    ['Kokous pidetään 15. lokakuuta 2026.', 'd:10-15'],
    ['Mötet hålls den 15 oktober.', 'd:10-15'],
    ['The meeting is on 15 October.', 'd:10-15'],
    ['The meeting is on October 15, 2026.', 'd:10-15'],
    ['Fristen er 15.10.2026.', 'd:10-15'],
    ['Mødet er 1. maj.', 'd:05-01'],
    ['Lokakuussa 2026 päätetään.', 'm:2026-10'],
    // Years stand apart from counts.
    ['Planen gjelder til 2030.', 'y:2030'],
  ])('%s → %s', (text, key) => {
    expect(keys(text)).toContain(key);
  });

  it('does not read the day of a date as a count', () => {
    expect(keys('Fristen er 15. oktober.')).not.toContain('#:15');
  });

  it('takes capitalised names, runs of them and acronyms, but not capitalised sentence openers', () => {
    const k = keys('Programmet ledes av Interreg Aurora i Luleå. EU:s regionalfond betalar. Sedan följer RIS3.');
    expect(k).toContain('n:interreg');
    expect(k).toContain('p:interreg aurora');
    expect(k).toContain('n:lulea');
    expect(k).toContain('n:europe');
    expect(k).toContain('n:ris3');
    expect(k).not.toContain('n:programmet');
    expect(k).not.toContain('n:sedan');
  });

  it('gives one key to a place or body each language names its own way', () => {
    const finnish = keys('Kokous pidettiin Uumajassa, ja Pohjoismaiden ministerineuvosto rahoittaa hanketta Tukholmasta käsin.', 'fin');
    const swedish = keys('Mötet hölls i Umeå, och Nordiska ministerrådet finansierar projektet från Stockholm.', 'swe');
    for (const k of ['n:umea', 'n:nordic-council-of-ministers', 'n:stockholm']) {
      expect(finnish).toContain(k);
      expect(swedish).toContain(k);
    }
  });
});

describe('parseNumber', () => {
  it.each([
    ['4.000', 4000],
    ['4,000', 4000],
    ['4 000', 4000],
    ['1,5', 1.5],
    ['1.5', 1.5],
    ['1.234.567,8', 1234567.8],
  ])('%s → %d', (s, n) => expect(parseNumber(s)).toBe(n));
});

describe('shingles', () => {
  it('keeps the smallest hashes as the sketch', () => {
    const set = shingles('one two three four five six seven eight nine ten eleven twelve thirteen fourteen');
    const s = sketch(set);
    expect(s).toHaveLength(SKETCH_SIZE);
    expect(s).toEqual([...set].sort((a, b) => a - b).slice(0, SKETCH_SIZE));
  });

  it('tells a template filled in twice from one text told twice', () => {
    const a = numberSlots('Kommunen har fått 4 millioner til bredbånd til 310 husstander.');
    const b = numberSlots('Kommunen har fått 6 millioner til bredbånd til 520 husstander.');
    const c = numberSlots('Kommunen har fått 4 millioner kroner, melder NRK.');
    expect(slotAgreement(a, b)).toEqual({ agree: 0, conflict: 2 });
    expect(slotAgreement(a, c)).toEqual({ agree: 1, conflict: 0 });
  });
});
