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
  /**
   * Key: a term's words folded first, then stemmed and folded, in one language. A query typed without
   * æ, ø and å ("sirkulaer okonomi") stems differently from the term ("sirkulær" keeps its -ær, "sirkulaer"
   * loses -er), so it is looked up by this key, which both spellings share. Absent in an index built by hand.
   */
  byFoldedTerm?: Map<string, string[][]>;
}

const TERM_LANG: Record<string, string> = { nb: 'nob', nn: 'nno', sv: 'swe', da: 'dan', fi: 'fin', en: 'eng' };

export function buildSynonyms(taxonomy: Taxonomy): SynonymIndex {
  const byTerm = new Map<string, string[][]>();
  const byFoldedTerm = new Map<string, string[][]>();
  for (const theme of taxonomy.themes) {
    const phrases: string[][] = [];
    for (const [termLang, terms] of Object.entries(theme.terms)) {
      const lang = TERM_LANG[termLang] ?? 'eng';
      // Prefix terms (compounds) are too loose to expand a query with; whole terms only.
      for (const term of terms ?? []) if (!term.includes('*')) phrases.push(words(term).map((w) => fold(stemmerFor(lang)(w))));
    }
    const unique = [...new Map(phrases.filter((p) => p.length).map((p) => [p.join(' '), p])).values()];
    for (const p of unique) byTerm.set(p.join(' '), unique);
    for (const [termLang, terms] of Object.entries(theme.terms)) {
      const lang = TERM_LANG[termLang] ?? 'eng';
      for (const term of terms ?? []) if (!term.includes('*')) addGroup(byFoldedTerm, foldedKey(term, lang), unique);
    }
  }
  return { byTerm, byFoldedTerm };
}

/** The query's or a term's words folded, then stemmed in `lang` and folded again. */
const foldedKey = (text: string, lang: string) => words(text).map((w) => fold(stemmerFor(lang)(fold(w)))).join(' ');

/** Two themes may share a folded key; the query then expands to both. */
function addGroup(map: Map<string, string[][]>, key: string, group: string[][]): void {
  if (!key) return;
  const had = map.get(key);
  map.set(key, had && had !== group ? [...had, ...group.filter((p) => !had.some((h) => h.join(' ') === p.join(' ')))] : group);
}

export function analyzeQuery(q: string, synonyms: SynonymIndex, langs: readonly string[] = SEARCH_LANGUAGES): AnalyzedQuery {
  const raw = words(q);
  const ws = raw.map((w) => ({ folded: fold(w), stems: [...new Set(langs.map((l) => fold(stemmerFor(l)(w))))] }));
  const found = new Map<string, string[]>();
  const phrasings = new Set<string>(raw.length ? [ws.map((w) => w.folded).join(' ')] : []);
  // The query is a theme term when its stems, in one of the languages, spell the term.
  // Folding comes first: "sirkulaer okonomi" is looked up as the same key as "sirkulær økonomi".
  const expansions: string[][][] = [];
  for (const lang of langs) {
    const key = raw.map((w) => fold(stemmerFor(lang)(w))).join(' ');
    if (key) phrasings.add(key);
    const groups = [synonyms.byTerm.get(key), synonyms.byFoldedTerm?.get(foldedKey(q, lang))];
    for (const group of groups) if (group) expansions.push(group);
  }
  for (const group of expansions) {
    for (const phrase of group) found.set(phrase.join(' '), phrase);
    // One term of the group, spelt as the engine's synonym settings know it, so Meilisearch expands it too
    // when the query's own phrasings are spelt otherwise.
    if (group[0] && !group.some((p) => phrasings.has(p.join(' ')))) phrasings.add(group[0].join(' '));
  }
  return { words: ws, synonyms: [...found.values()], phrasings: [...phrasings] };
}
