import { da } from './messages/da.js';
import { en, type Catalogue, type MessageKey } from './messages/en.js';
import { fi } from './messages/fi.js';
import { nb } from './messages/nb.js';
import { nn } from './messages/nn.js';
import { sv } from './messages/sv.js';

export type { MessageKey } from './messages/en.js';

/** Interface languages (BCP 47), in the order the switcher lists them; the same codes as the taxonomy's labels. */
export const UI_LANGUAGES = ['nb', 'nn', 'sv', 'da', 'fi', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const DEFAULT_UI_LANGUAGE: UiLanguage = 'en';

/** One catalogue per language; en is the reference the others are tested against. */
export const CATALOGUES: Readonly<Record<UiLanguage, Catalogue>> = { nb, nn, sv, da, fi, en: en satisfies Catalogue };

/** Each language's name in itself, for the switcher (a reader looks for their own language's name). */
export const UI_LANGUAGE_NAMES: Readonly<Record<UiLanguage, string>> = {
  nb: 'Norsk bokmål',
  nn: 'Norsk nynorsk',
  sv: 'Svenska',
  da: 'Dansk',
  fi: 'Suomi',
  en: 'English',
};

export const isUiLanguage = (s: string | undefined): s is UiLanguage => (UI_LANGUAGES as readonly string[]).includes(s ?? '');

/** `make(key)` once per key: Intl objects are costly to build and a page asks for the same few many times. */
function memo<V>(make: (key: string) => V): (key: string) => V {
  const made = new Map<string, V>();
  return (key) => {
    let v = made.get(key);
    if (v === undefined) {
      v = make(key);
      made.set(key, v);
    }
    return v;
  };
}

const pluralRules = memo((lang) => new Intl.PluralRules(lang));
const plural = (lang: UiLanguage, n: number) => pluralRules(lang).select(n);

/**
 * The message `key` in `lang` with `{name}` placeholders filled; plural messages pick their form by
 * `params.count` through Intl.PluralRules, and numbers are written by Intl.NumberFormat.
 *
 * @example
 * t('nn', 'search.results', { count: 3, q: 'kiertotalous' }) // '3 treff på «kiertotalous»'
 */
export function t(lang: UiLanguage, key: MessageKey, params: Record<string, string | number> = {}): string {
  const entry = CATALOGUES[lang][key] ?? en[key];
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    const forms = entry as Partial<Record<Intl.LDMLPluralRule, string>>;
    text = forms[plural(lang, Number(params.count ?? 0))] ?? forms.other ?? '';
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? new Intl.NumberFormat(lang).format(v) : v;
  });
}

/** The cookie that remembers the reader's choice of interface language. */
export const UI_COOKIE = 'ui';

/**
 * The interface language: `?ui=` (a choice just made), else the `ui` cookie (a choice remembered),
 * else the first supported language of Accept-Language by its q-value, else English.
 * Norwegian without a written standard (`no`, `nb-NO` …) is bokmål, the majority standard.
 */
export function chooseUiLanguage(input: { query?: string; cookie?: string; acceptLanguage?: string }): UiLanguage {
  if (isUiLanguage(input.query)) return input.query;
  if (isUiLanguage(input.cookie)) return input.cookie;
  return fromAcceptLanguage(input.acceptLanguage ?? '') ?? DEFAULT_UI_LANGUAGE;
}

/** The best supported language of an Accept-Language header (RFC 9110 §12.5.4), or undefined. */
export function fromAcceptLanguage(header: string): UiLanguage | undefined {
  const ranges = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranges) {
    const primary = tag.split('-')[0]!;
    if (primary === 'no' || primary === 'nob') return 'nb';
    if (primary === 'nno') return 'nn';
    if (isUiLanguage(primary)) return primary;
  }
  return undefined;
}

/** ISO 639-3 (what articles carry) → BCP 47, for Intl and `lang` attributes. */
const BCP47: Readonly<Record<string, string>> = { nob: 'nb', nno: 'nn', swe: 'sv', dan: 'da', fin: 'fi', isl: 'is', eng: 'en', sme: 'se', fao: 'fo' };

/** The BCP 47 tag of an article language (ISO 639-3), or undefined for `und` and unknown codes. */
export const bcp47 = (iso6393: string): string | undefined => BCP47[iso6393];

const displayNames = memo((key) => {
  const [lang, type] = key.split(':') as [string, 'language' | 'region'];
  return new Intl.DisplayNames([lang], { type, fallback: 'code' });
});
const display = (lang: UiLanguage, type: 'language' | 'region') => displayNames(`${lang}:${type}`);

/** An article language's name (ISO 639-3 code) in the interface language, by Intl.DisplayNames. */
export function languageName(lang: UiLanguage, iso6393: string): string {
  const tag = bcp47(iso6393);
  if (!tag) return t(lang, 'lang.und');
  const name = display(lang, 'language').of(tag) ?? tag;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}

/** A country's name (ISO 3166-1 alpha-2) in the interface language, by Intl.DisplayNames. */
export const countryName = (lang: UiLanguage, code: string): string => display(lang, 'region').of(code) ?? code;

const dateFormats = memo((key) => {
  const [lang, withTime] = key.split(':') as [string, string];
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', ...(withTime === 'true' ? { timeStyle: 'short' } : {}), timeZone: 'UTC' });
});
/**
 * A date (ISO 8601) as the interface language writes it, by Intl.DateTimeFormat, in UTC: the stored
 * dates are UTC and the readers span three time zones, so the day shown is the same for all.
 */
export function formatDate(lang: UiLanguage, iso: string, withTime = false): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormats(`${lang}:${withTime}`).format(d);
}
