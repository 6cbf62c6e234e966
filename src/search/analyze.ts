import { words } from '../pipeline/text.js';
import { memoize, stemmerFor } from '../pipeline/themes/stem.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';

/**
 * Search text analysis shared by both engines. Neither SQLite's tokenizer nor Meilisearch stems
 * Nordic text or folds ø and æ, so Regionradar indexes, and queries, two derived forms of every word:
 * the folded word (for exact and prefix matches, "Tromso" meeting "Tromsø") and its folded stem in
 * the article's language ("spesialiseringa" meeting "spesialisering"). The displayed text keeps
 * its letters.
 */

/** The written languages with stemmers; a query of unknown language is stemmed in all of them. */
export const SEARCH_LANGUAGES = ['nob', 'nno', 'swe', 'dan', 'fin', 'eng'] as const;

/**
 * Nordic letters folded to one skeleton, so that every way of typing them meets: ø, ö and oe → o;
 * æ, ä, ae, å and aa → a; other diacritics dropped (é → e). "Tromso", "Tromsoe" and "Tromsø" meet,
 * as do "Vasterbotten", "Vaesterbotten" and "Västerbotten", and "Alesund", "Aalesund" and "Ålesund".
 * Only matching sees the skeleton; the displayed text keeps its letters.
 */
export function fold(word: string): string {
  return word
    .toLowerCase()
    .replace(/ae|aa|[æäå]/g, 'a')
    .replace(/oe|[øö]/g, 'o')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

const cachedFold = memoize(fold);
const stemFold = new Map<string, (w: string) => string>();
/** fold(stem(word)) in one language, cached: indexing calls it for every word of every article. */
function foldedStemmer(lang: string): (w: string) => string {
  let f = stemFold.get(lang);
  if (!f) {
    const stem = stemmerFor(lang);
    f = memoize((w) => fold(stem(w)));
    stemFold.set(lang, f);
  }
  return f;
}

/** Folded words of a text, for the exact/prefix field. */
export function foldedText(text: string): string {
  return words(text).map(cachedFold).join(' ');
}

/** Folded stems of a text in one language, for the stem field. */
export function stemmedText(text: string, lang: string): string {
  return words(text).map(foldedStemmer(lang)).join(' ');
}

/** One query word: its folded form (matched as a prefix) and its folded stems in the query's languages. */
export interface QueryWord {
  folded: string;
  stems: string[];
}

export interface AnalyzedQuery {
  words: QueryWord[];
  /**
   * Phrases (as folded stems) of the theme whose term the query is, in every language: a search for
   * "smart spesialisering" also finds "smart specialisering" and "smart specialisation".
   */
  synonyms: string[][];
  /**
   * The whole query in each analysed form: folded words, then the folded stems in each language,
   * without repeats. An engine that cannot OR the forms of one word (Meilisearch) runs one query
   * per phrasing and merges the hits.
   */
  phrasings: string[];
}

/** Taxonomy terms as folded stem sequences, for query expansion across languages. */
export interface SynonymIndex {
  /** Key: a term's folded stems joined by spaces, in one language. Value: every term of its theme, in all languages. */
  byTerm: Map<string, string[][]>;
}

const TERM_LANG: Record<string, string> = { nb: 'nob', nn: 'nno', sv: 'swe', da: 'dan', fi: 'fin', en: 'eng' };

export function buildSynonyms(taxonomy: Taxonomy): SynonymIndex {
  const byTerm = new Map<string, string[][]>();
  for (const theme of taxonomy.themes) {
    const phrases: string[][] = [];
    for (const [termLang, terms] of Object.entries(theme.terms)) {
      const lang = TERM_LANG[termLang] ?? 'eng';
      // Prefix terms (compounds) are too loose to expand a query with; whole terms only.
      for (const term of terms ?? []) if (!term.includes('*')) phrases.push(words(term).map((w) => fold(stemmerFor(lang)(w))));
    }
    const unique = [...new Map(phrases.filter((p) => p.length).map((p) => [p.join(' '), p])).values()];
    for (const p of unique) byTerm.set(p.join(' '), unique);
  }
  return { byTerm };
}

export function analyzeQuery(q: string, synonyms: SynonymIndex, langs: readonly string[] = SEARCH_LANGUAGES): AnalyzedQuery {
  const raw = words(q);
  const ws = raw.map((w) => ({ folded: fold(w), stems: [...new Set(langs.map((l) => fold(stemmerFor(l)(w))))] }));
  const found = new Map<string, string[]>();
  const phrasings = new Set<string>(raw.length ? [ws.map((w) => w.folded).join(' ')] : []);
  // The query is a theme term when its stems, in one of the languages, spell the term.
  for (const lang of langs) {
    const key = raw.map((w) => fold(stemmerFor(lang)(w))).join(' ');
    if (key) phrasings.add(key);
    for (const phrase of synonyms.byTerm.get(key) ?? []) found.set(phrase.join(' '), phrase);
  }
  return { words: ws, synonyms: [...found.values()], phrasings: [...phrasings] };
}
