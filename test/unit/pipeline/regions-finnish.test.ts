import { expect, it } from 'vitest';
import { finnishStems } from '../../../src/pipeline/regions/finnish.js';

it.each([
  ['Turku', 'Turussa', 'Turu'],
  ['Lahti', 'Lahdessa', 'Lahde'],
  ['Keski-Suomi', 'Keski-Suomessa', 'Keski-Suome'],
  ['Varsinais-Suomi', 'Varsinais-Suomen', 'Varsinais-Suome'],
  ['Lappeenranta', 'Lappeenrannassa', 'Lappeenranna'],
  ['Satakunta', 'Satakunnassa', 'Satakunna'],
  ['Helsinki', 'Helsingissä', 'Helsingi'],
  ['Lappi', 'Lapissa', 'Lapi'],
  ['Rovaniemi', 'Rovaniemellä', 'Rovanieme'],
  ['Seinäjoki', 'Seinäjoella', 'Seinäjoe'],
  ['Kanta-Häme', 'Kanta-Hämeessä', 'Kanta-Häme'],
])('%s → %s through the stem %s', (name, inflected, stem) => {
  const stems = [name, ...finnishStems(name)];
  expect(stems).toContain(stem);
  expect(stems.some((s) => inflected.startsWith(s) && inflected.length - s.length <= 5)).toBe(true);
});

it('leaves names that end in a consonant, and short words, alone', () => {
  expect(finnishStems('Kuopio')).toEqual([]);
  expect(finnishStems('Ii')).toEqual([]);
  expect(finnishStems('Varkaus')).toEqual([]);
});
