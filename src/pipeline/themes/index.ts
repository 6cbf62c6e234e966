import type { ThemeTag } from '../../model/tags.js';
import { words } from '../text.js';
import type { Taxonomy, TermLanguage } from './schema.js';
import { memoize, stemmerFor, type Stemmer } from './stem.js';

/** A title names what an article is about; a body mentions much in passing. */
export const TITLE_WEIGHT = 3;
export const BODY_WEIGHT = 1;
/**
 * In a text this short (a summary, a listing teaser, a news brief) one mention of a term is what the
 * text is about; in a long article a single mention is often in passing, so the theme's threshold holds.
 */
const SHORT_TEXT_WORDS = 120;

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Term languages consulted for an article in each language; English terms travel everywhere. */
const TERM_LANGUAGES_FOR: Record<string, readonly TermLanguage[]> = {
  nob: ['nb', 'nn', 'en'],
  nno: ['nn', 'nb', 'en'],
  swe: ['sv', 'en'],
  dan: ['da', 'nb', 'en'],
  fin: ['fi', 'sv', 'en'],
  eng: ['en'],
};
const ALL_TERM_LANGUAGES: readonly TermLanguage[] = ['nb', 'nn', 'sv', 'da', 'fi', 'en'];

interface WordPattern {
  /** Stem to equal, or prefix a word must start with (a term word written with *). */
  value: string;
  prefix: boolean;
}

interface Pattern {
  themeIndex: number;
  term: string;
  words: WordPattern[];
  exclusion: boolean;
  /** A generic word of the theme ("innovasjon", "kompetanse", "forskning"): evidence only beside a defining term. */
  weak: boolean;
}

/**
 * What a generic term's mention weighs against a defining term's. Generic words appear in nearly every
 * regional-development text (THEMES.md, rule 5): they add to a theme a defining term has named, and
 * never tag one alone.
 */
export const WEAK_WEIGHT = 0.34;

interface CompiledTaxonomy {
  byStem: Map<string, Pattern[]>;
  /** Prefix patterns bucketed by their first three letters. */
  byPrefix: Map<string, Pattern[]>;
  stem: Stemmer;
}

export interface TaggableArticle {
  title: string;
  summary?: string;
  text?: string;
  language: string;
}

export interface ThemeTagger {
  (article: TaggableArticle): ThemeTag[];
  readonly version: number;
}

/**
 * Builds a tagger from the taxonomy. Terms are compiled once per article language, with that
 * language's stemmer, so a term and the text it should meet are stemmed alike.
 */
export function createThemeTagger(taxonomy: Taxonomy): ThemeTagger {
  const compiled = new Map<string, CompiledTaxonomy>();

  function compile(lang: string): CompiledTaxonomy {
    const stem = memoize(stemmerFor(lang));
    const byStem = new Map<string, Pattern[]>();
    const byPrefix = new Map<string, Pattern[]>();
    const add = (p: Pattern) => {
      const first = p.words[0]!;
      const map = first.prefix ? byPrefix : byStem;
      const key = first.prefix ? first.value.slice(0, 3) : first.value;
      map.set(key, [...(map.get(key) ?? []), p]);
    };
    const toPattern = (written: string, themeIndex: number, exclusion: boolean): Pattern | undefined => {
      // "~term" marks a generic term (weak evidence).
      const weak = !exclusion && written.startsWith('~');
      const term = weak ? written.slice(1) : written;
      const parts = term.toLowerCase().split(/\s+/).filter(Boolean);
      const ws: WordPattern[] = [];
      for (const part of parts) {
        const prefix = part.endsWith('*');
        const word = words(prefix ? part.slice(0, -1) : part)[0];
        if (!word) return undefined;
        ws.push(prefix ? { value: word, prefix: true } : { value: stem(word), prefix: false });
      }
      return ws.length ? { themeIndex, term, words: ws, exclusion, weak } : undefined;
    };
    const langs = TERM_LANGUAGES_FOR[lang] ?? ALL_TERM_LANGUAGES;
    taxonomy.themes.forEach((theme, i) => {
      for (const l of langs) {
        for (const term of theme.terms[l]) {
          const p = toPattern(term, i, false);
          if (p) add(p);
        }
        for (const term of theme.exclude?.[l] ?? []) {
          const p = toPattern(term, i, true);
          if (p) add(p);
        }
      }
    });
    return { byStem, byPrefix, stem };
  }

  function compiledFor(lang: string): CompiledTaxonomy {
    const key = TERM_LANGUAGES_FOR[lang] ? lang : 'und';
    let c = compiled.get(key);
    if (!c) compiled.set(key, (c = compile(key)));
    return c;
  }

  function scan(text: string, c: CompiledTaxonomy, weight: number, scores: Float64Array, terms: Array<Set<string>>, strong: Uint8Array) {
    const raw = words(text);
    if (raw.length === 0) return;
    const stems = raw.map(c.stem);
    const wordMatches = (wp: WordPattern, i: number) =>
      i < raw.length && (wp.prefix ? raw[i]!.startsWith(wp.value) : stems[i] === wp.value);
    const hits: Array<{ p: Pattern; at: number }> = [];
    // Exclusions mask their words for their theme: "cluster headache" does not count as "cluster".
    const masked = new Map<number, Set<number>>();
    const consider = (p: Pattern, i: number) => {
      for (let j = 0; j < p.words.length; j++) if (!wordMatches(p.words[j]!, i + j)) return;
      if (!p.exclusion) {
        hits.push({ p, at: i });
        return;
      }
      for (let j = 0; j < p.words.length; j++) {
        const set = masked.get(i + j) ?? new Set<number>();
        set.add(p.themeIndex);
        masked.set(i + j, set);
      }
    };
    for (let i = 0; i < raw.length; i++) {
      const exact = c.byStem.get(stems[i]!);
      if (exact) for (const p of exact) consider(p, i);
      const prefixed = c.byPrefix.get(raw[i]!.slice(0, 3));
      if (prefixed) for (const p of prefixed) consider(p, i);
    }
    // One mention counts once per theme: "regionalt partnerskap" also holds "partnerskap*", and
    // terms that stem alike ("smart specialisering", "smarta specialisering") meet the same words.
    // Longest terms claim their words first.
    hits.sort((a, b) => b.p.words.length - a.p.words.length);
    const claimed = new Set<string>();
    for (const { p, at } of hits) {
      let free = true;
      for (let j = 0; j < p.words.length && free; j++) {
        if (masked.get(at + j)?.has(p.themeIndex) || claimed.has(`${p.themeIndex}:${at + j}`)) free = false;
      }
      if (!free) continue;
      for (let j = 0; j < p.words.length; j++) claimed.add(`${p.themeIndex}:${at + j}`);
      scores[p.themeIndex]! += p.weak ? weight * WEAK_WEIGHT : weight;
      // A generic word in the title names what the article is about ("Forskning i bioøkonomi får millioner").
      if (!p.weak || weight >= TITLE_WEIGHT) strong[p.themeIndex] = 1;
      terms[p.themeIndex]!.add(p.term);
    }
  }

  const tag = ((article: TaggableArticle): ThemeTag[] => {
    const c = compiledFor(article.language);
    const scores = new Float64Array(taxonomy.themes.length);
    const terms = taxonomy.themes.map(() => new Set<string>());
    const strong = new Uint8Array(taxonomy.themes.length);
    scan(article.title, c, TITLE_WEIGHT, scores, terms, strong);
    const body = article.text || article.summary || '';
    scan(body, c, BODY_WEIGHT, scores, terms, strong);
    const short = countWords(body) <= SHORT_TEXT_WORDS;
    const tags: ThemeTag[] = [];
    taxonomy.themes.forEach((theme, i) => {
      // Generic words alone tag only when several of the theme's own appear together (in a title, or more than once).
      if (!strong[i] && (terms[i]!.size < 2 || scores[i]! < 1)) return;
      if (scores[i]! >= (short ? Math.min(theme.threshold, BODY_WEIGHT) : theme.threshold)) tags.push({ id: theme.id, score: Math.round(scores[i]! * 100) / 100, terms: [...terms[i]!] });
    });
    return tags.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  }) as ThemeTagger;
  Object.defineProperty(tag, 'version', { value: taxonomy.version });
  return tag;
}
