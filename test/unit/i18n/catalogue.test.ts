import { describe, expect, it } from 'vitest';
import { CATALOGUES, UI_LANGUAGES, chooseUiLanguage, formatDate, fromAcceptLanguage, languageName, t } from '../../../src/i18n/index.js';
import { en } from '../../../src/i18n/messages/en.js';

const placeholders = (v: unknown): string[] => {
  const texts = typeof v === 'string' ? [v] : Object.values(v as Record<string, string>);
  return [...new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
};

// After Miniflux's internal/locale/catalog_test.go: the reference's keys in every language and back,
// the same placeholders, and the plural forms each language's rules ask for.
describe.each(UI_LANGUAGES.filter((l) => l !== 'en'))('catalogue %s', (lang) => {
  const cat = CATALOGUES[lang] as Record<string, unknown>;
  it('has every key of en, and no other', () => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
  });
  it('uses the same placeholders as en', () => {
    for (const [key, value] of Object.entries(en)) expect([key, placeholders(cat[key])]).toEqual([key, placeholders(value)]);
  });
  it('gives plural messages exactly the forms Intl.PluralRules has for the language', () => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
    for (const [key, value] of Object.entries(cat)) {
      const reference = (en as Record<string, unknown>)[key];
      expect([key, typeof value]).toEqual([key, typeof reference]);
      if (typeof value !== 'string') expect([key, Object.keys(value as object).sort()]).toEqual([key, categories]);
    }
  });
  it('has no empty message', () => {
    for (const [key, value] of Object.entries(cat)) {
      const texts = typeof value === 'string' ? [value] : Object.values(value as Record<string, string>);
      expect([key, texts.every((text) => text.trim().length > 0)]).toEqual([key, true]);
    }
  });
});

describe('en plural forms', () => {
  it('match Intl.PluralRules', () => {
    const categories = new Intl.PluralRules('en').resolvedOptions().pluralCategories.slice().sort();
    for (const value of Object.values(en)) if (typeof value !== 'string') expect(Object.keys(value).sort()).toEqual(categories);
  });
});

describe('t', () => {
  it.each([
    ['en', 1, '1 article on this page'],
    ['en', 2, '2 articles on this page'],
    ['nn', 1, '1 artikkel på denne sida'],
    ['nn', 5, '5 artiklar på denne sida'],
    ['fi', 1, '1 artikkeli tällä sivulla'],
    ['fi', 1234, '1 234 artikkelia tällä sivulla'],
  ] as const)('%s, %d', (lang, count, text) => {
    expect(t(lang, 'stream.count', { count }).replace(/\s/g, ' ')).toBe(text);
  });
  it('fills named placeholders', () => {
    expect(t('nb', 'search.empty', { q: 'kiertotalous' })).toBe('Ingenting passet til «kiertotalous».');
  });
});

describe('choosing the interface language', () => {
  it.each([
    [{ query: 'nn', cookie: 'fi', acceptLanguage: 'sv' }, 'nn'],
    [{ query: 'xx', cookie: 'fi', acceptLanguage: 'sv' }, 'fi'],
    [{ cookie: 'xx', acceptLanguage: 'de-DE, sv;q=0.8, en;q=0.9' }, 'en'],
    [{ acceptLanguage: 'nb-NO,nb;q=0.9' }, 'nb'],
    [{ acceptLanguage: 'no' }, 'nb'],
    [{ acceptLanguage: 'fi-FI;q=0.5, da;q=0.7' }, 'da'],
    [{ acceptLanguage: 'de, fr' }, 'en'],
    [{}, 'en'],
  ] as const)('%j → %s', (input, lang) => {
    expect(chooseUiLanguage(input)).toBe(lang);
  });
  it('ignores ranges with q=0', () => {
    expect(fromAcceptLanguage('sv;q=0, da')).toBe('da');
  });
});

describe('Intl', () => {
  it('writes dates in the interface language, in UTC', () => {
    expect(formatDate('nb', '2026-08-14T23:30:00Z')).toBe('14. august 2026');
    expect(formatDate('fi', '2026-08-14T12:00:00Z')).toBe('14. elokuuta 2026');
    expect(formatDate('en', '2026-08-14T12:00:00Z')).toBe('August 14, 2026');
  });
  it('names article languages in the interface language', () => {
    expect(languageName('nb', 'nno')).toBe('Norsk nynorsk');
    expect(languageName('en', 'swe')).toBe('Swedish');
    expect(languageName('fi', 'und')).toBe('Tuntematon');
  });
});
