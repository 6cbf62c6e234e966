import { countryName, formatDate, languageName, t, type MessageKey, type UiLanguage } from '../../../i18n/index.js';

/**
 * What every view needs to write text for the reader: the interface language and its message,
 * date and name functions, the names of themes and sources from config, and the current address
 * (for the language switcher). Plain functions over data; views never read a store.
 */
export interface Ui {
  lang: UiLanguage;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  date(iso: string, withTime?: boolean): string;
  /** An article language (ISO 639-3) by name. */
  language(iso6393: string): string;
  country(code: string): string;
  theme(id: string): string;
  source(id: string): string;
  /** Path and query of this page, to which the switcher adds `ui=`. */
  here: URL;
}

export function makeUi(lang: UiLanguage, here: URL, names: { theme(id: string, lang: UiLanguage): string; source(id: string): string }): Ui {
  return {
    lang,
    here,
    t: (key, params) => t(lang, key, params),
    date: (iso, withTime) => formatDate(lang, iso, withTime),
    language: (code) => languageName(lang, code),
    country: (code) => countryName(lang, code),
    theme: (id) => names.theme(id, lang),
    source: names.source,
  };
}
