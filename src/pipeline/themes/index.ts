import type { ThemeTag } from '../../model/tags.js';
import { words } from '../text.js';
import type { Taxonomy, TermLanguage } from './schema.js';
import { memoize, stemmerFor, type Stemmer } from './stem.js';

/**
 * Where a mention stands decides what it weighs. A title names what an article is about; the lead
 * (the first LEAD_WORDS words of the body) says what the rest develops; the remaining body mentions
 * much in passing.
 */
export const TITLE_WEIGHT = 3;
export const LEAD_WEIGHT = 1.5;
export const BODY_WEIGHT = 1;
/** Words of the body that count as its lead. */
export const LEAD_WORDS = 40;
/**
 * A text this short (a teaser, a news brief) is all lead, and what it names is what it is about: a
 * mention there weighs SHORT_WEIGHT, so one specific term reaches the default threshold.
 */
export const SHORT_TEXT_WORDS = 80;
export const SHORT_WEIGHT = 2;
/**
 * Evidence relative to length: past REFERENCE_WORDS, a body mention weighs less, by the square root
 * of the ratio, so a 600-word body naming "innovasjon" once is not about innovation, while one that
 * keeps returning to a theme still is.
 */
export const REFERENCE_WORDS = 200;

/**
 * A theme with less than this share of the leading theme's evidence is a side remark of an article
 * about something else ("… and the recycling of heat" in a note on research grants), not one of its topics.
 */
export const RELATIVE_SCORE = 0.3;

/**
 * What a term weighs. Generic words (`~term`) appear in nearly every regional-development text
 * (THEMES.md, rule 5): they add to a theme a defining term has named, and never tag one alone.
 * Defining phrases (`^term`) name the theme outright ("smart spesialisering", "Interreg").
 */
export const WEAK_WEIGHT = 0.34;
export const DEFINING_WEIGHT = 2;

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

/** Theme index of a name pattern: an organisation's name masks its words for every theme. */
const ANY_THEME = -1;

interface Pattern {
  themeIndex: number;
  term: string;
  words: WordPattern[];
  exclusion: boolean;
  weak: boolean;
  weight: number;
}

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

/** Evidence gathered for each theme while an article is read. */
interface Evidence {
  scores: Float64Array;
  /** The text's words that matched a term, per theme (created at a theme's first match). */
  terms: Array<Set<string> | undefined>;
  /** The taxonomy's terms that matched, per theme: two inflections of one generic word are still one word. */
  matched: Array<Set<string> | undefined>;
  /** A non-generic term has spoken for the theme. */
  strong: Uint8Array;
  /** A defining phrase (`^term`) has named the theme. */
  defined: Uint8Array;
  /** A term of the theme stands in the title. */
  titled: Uint8Array;
  /** Mentions counted for the theme, anywhere. */
  mentions: Uint16Array;
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
      const weak = !exclusion && written.startsWith('~');
      const defining = !exclusion && written.startsWith('^');
      const term = weak || defining ? written.slice(1) : written;
      const parts = term.toLowerCase().split(/\s+/).filter(Boolean);
      const ws: WordPattern[] = [];
      for (const part of parts) {
        const prefix = part.endsWith('*');
        const word = words(prefix ? part.slice(0, -1) : part)[0];
        if (!word) return undefined;
        ws.push(prefix ? { value: word, prefix: true } : { value: stem(word), prefix: false });
      }
      const weight = weak ? WEAK_WEIGHT : defining ? DEFINING_WEIGHT : 1;
      return ws.length ? { themeIndex, term, words: ws, exclusion, weak, weight } : undefined;
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
    // Names of ministries, agencies and programmes are written in any language an article quotes them in.
    for (const name of taxonomy.organisations ?? []) {
      const p = toPattern(name, ANY_THEME, true);
      if (p) add(p);
    }
    return { byStem, byPrefix, stem };
  }

  function compiledFor(lang: string): CompiledTaxonomy {
    const key = TERM_LANGUAGES_FOR[lang] ? lang : 'und';
    let c = compiled.get(key);
    if (!c) compiled.set(key, (c = compile(key)));
    return c;
  }

  /**
   * Reads one text into the evidence; `weightAt(i)` is what a mention starting at word i weighs.
   */
  function scan(text: string, c: CompiledTaxonomy, weightAt: (i: number) => number, inTitle: boolean, ev: Evidence) {
    const raw = words(text);
    if (raw.length === 0) return;
    const stems = raw.map(c.stem);
    const wordMatches = (wp: WordPattern, i: number) =>
      i < raw.length && (wp.prefix ? raw[i]!.startsWith(wp.value) : stems[i] === wp.value);
    const hits: Array<{ p: Pattern; at: number }> = [];
    // Exclusions mask their words for their theme ("cluster headache" does not count as "cluster"),
    // and an organisation's name for all ("Innovasjon Norge" is no evidence of innovation).
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
    // Longest terms claim their words first, and of equal length the weightier.
    hits.sort((a, b) => b.p.words.length - a.p.words.length || b.p.weight - a.p.weight || a.at - b.at);
    // Word positions taken, per theme: theme index × text length + word index.
    const claimed = new Set<number>();
    for (const { p, at } of hits) {
      let free = true;
      for (let j = 0; j < p.words.length && free; j++) {
        const m = masked.get(at + j);
        if ((m && (m.has(p.themeIndex) || m.has(ANY_THEME))) || claimed.has(p.themeIndex * raw.length + at + j)) free = false;
      }
      if (!free) continue;
      for (let j = 0; j < p.words.length; j++) claimed.add(p.themeIndex * raw.length + at + j);
      ev.scores[p.themeIndex]! += p.weight * weightAt(at);
      ev.mentions[p.themeIndex]!++;
      if (inTitle) ev.titled[p.themeIndex] = 1;
      if (p.weight >= DEFINING_WEIGHT) ev.defined[p.themeIndex] = 1;
      // Generic words never decide alone (THEMES.md, rule 5), not even in a title: "Forskning" heading a
      // note and repeated in its text is still one generic word, the topic of nothing in particular.
      if (!p.weak) ev.strong[p.themeIndex] = 1;
      // The words as the article writes them ("smart spesialisering", "næringsklyngeprogrammet"): what a reader sees as the reason.
      (ev.matched[p.themeIndex] ??= new Set()).add(p.term);
      (ev.terms[p.themeIndex] ??= new Set()).add(p.words.length === 1 ? raw[at]! : raw.slice(at, at + p.words.length).join(' '));
    }
  }

  const tag = ((article: TaggableArticle): ThemeTag[] => {
    const c = compiledFor(article.language);
    const n = taxonomy.themes.length;
    const ev: Evidence = {
      scores: new Float64Array(n),
      terms: new Array(n),
      matched: new Array(n),
      strong: new Uint8Array(n),
      defined: new Uint8Array(n),
      titled: new Uint8Array(n),
      mentions: new Uint16Array(n),
    };
    scan(article.title, c, () => TITLE_WEIGHT, true, ev);
    const body = article.text || article.summary || '';
    const length = countWords(body);
    if (length <= SHORT_TEXT_WORDS) {
      scan(body, c, () => SHORT_WEIGHT, false, ev);
    } else {
      const rest = BODY_WEIGHT * Math.min(1, Math.sqrt(REFERENCE_WORDS / length));
      scan(body, c, (i) => (i < LEAD_WORDS ? LEAD_WEIGHT : rest), false, ev);
    }
    const tags: ThemeTag[] = [];
    taxonomy.themes.forEach((theme, i) => {
      const score = ev.scores[i]!;
      // Generic words alone tag only when two or more different ones of the theme's appear together.
      if (!ev.strong[i] && ((ev.matched[i]?.size ?? 0) < 2 || score < 1)) return;
      // A theme whose words are everyday words of the field ("SMEs", "employment", "digital services")
      // is not decided by one of them: it needs that many different terms, unless a defining phrase
      // names it or the title's term comes back in the text.
      if ((ev.matched[i]?.size ?? 0) < (theme.distinctTerms ?? 1) && !ev.defined[i] && !(ev.titled[i] && ev.mentions[i]! >= 2)) return;
      if (score >= theme.threshold) tags.push({ id: theme.id, score: Math.round(score * 100) / 100, terms: [...(ev.terms[i] ?? [])] });
    });
    tags.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    // Against the leading theme that qualified: a side remark leaves the article's topics.
    const top = tags[0]?.score ?? 0;
    return tags.filter((t) => t.score >= RELATIVE_SCORE * top);
  }) as ThemeTagger;
  Object.defineProperty(tag, 'version', { value: taxonomy.version });
  return tag;
}

function countWords(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w) n++;
  return n;
}
