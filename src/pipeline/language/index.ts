import { francAll } from 'franc-all';
import { LANGUAGE_CODES, type LanguageCode } from '../../sources/schema.js';
import type { LanguageProfiles } from './schema.js';
import { words } from '../text.js';
import type { NgramModel } from './ngram.js';

/** franc reads trigrams; beyond ~1,000 characters its answer rarely changes, only its cost (linear in the text). */
const FRANC_MAX_CHARS = 500;
/** Word lookups are cheap, so they read more of the text: a quotation in another language near the top must not decide. */
const WORD_MAX_CHARS = 20_000;
/**
 * The n-gram model reads a headline and a sentence or two: its weight is capped below one word, so on
 * a longer text the words decide and reading more would only cost time (it is linear in the text).
 */
const NGRAM_MAX_CHARS = 250;
/** Below this many letters no detector is better than a guess. */
const MIN_LETTERS = 8;
/**
 * Known words decide without franc when there are this many and the leader is this far ahead of the
 * runner-up (as a share of them): franc costs ~10× more than counting words, and on a paragraph with
 * that clear a lead it agrees. Close neighbours share most function words, hence a lead, not a share.
 */
const DECISIVE_WORDS = 20;
const DECISIVE_LEAD = 0.15;

/**
 * Weights of the signals, in units of one listed word. The scores add up like the log-odds of a naive
 * Bayes model: every listed word is one unit of evidence for each language that lists it, so evidence
 * grows with the text and a long text is decided by its words. franc's distance grows with the text
 * too: its share is scaled by the letters it read (per 100), so on a headline it weighs about as much
 * as a word or two and on a paragraph it can outvote a few words. The declared language and CLD2 are
 * fixed amounts: they decide a headline with no telling word but cannot outvote two telling words.
 * The word and n-gram model of the close languages (ngram.ts) counts `ngram` units per nat its
 * log-likelihood puts a language behind the likeliest, at most `ngramCap` (one listed word): on a
 * headline whose words are all shared it breaks the tie, and two telling words always outweigh it.
 */
const WEIGHT = { franc: 6, close: 0.5, ending: 0.5, spelling: 0.5, letters: 2, declared: 0.8, second: 0.7, ngram: 0.5, ngramCap: 1 } as const;
/** Where the second opinion (CLD2) is trusted: the three languages it separates better than franc. */
const SECOND_OPINION_FOR: ReadonlySet<string> = new Set(['nob', 'nno', 'dan']);
/** The languages franc's trigrams separate least well. */
const CLOSE: ReadonlySet<LanguageCode> = new Set(['nob', 'nno', 'dan']);
/**
 * A text with no telling sign between bokmål, nynorsk and Danish is most likely bokmål: most Norwegian
 * regional news is written in it. A tie-breaker only, far below one word.
 */
const PRIOR: Partial<Record<LanguageCode, number>> = { nob: 0.1 };

export interface LanguageInput {
  title?: string;
  summary?: string;
  body?: string;
  /** Language the feed or page declares: a prior, never the answer. */
  declared?: string;
}

export interface LanguageResult {
  lang: LanguageCode | 'und';
  /** 0..1: how far the winner is ahead of the runner-up. */
  confidence: number;
  signals: { franc: Record<string, number>; words: Record<string, number>; foreignLetters: Record<string, number>; secondOpinion?: string; declared?: string };
}

/** Maps BCP 47 tags as feeds write them (nb-NO, nn, no, sv-SE, en-GB …) to our ISO 639-3 codes. */
export function declaredToCode(tag: string | undefined): LanguageCode | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  const map: Record<string, LanguageCode> = {
    nb: 'nob', nob: 'nob', no: 'nob', nor: 'nob', nn: 'nno', nno: 'nno', sv: 'swe', swe: 'swe', da: 'dan', dan: 'dan',
    fi: 'fin', fin: 'fin', is: 'isl', isl: 'isl', en: 'eng', eng: 'eng', se: 'sme', sme: 'sme', fo: 'fao', fao: 'fao',
  };
  return primary ? map[primary] : undefined;
}

export interface LanguageDetector {
  (input: LanguageInput): LanguageResult;
  /** The languages this detector chooses between. */
  readonly languages: readonly LanguageCode[];
}

/**
 * The detector over the profiles of config/languages.yaml: franc-all's trigram ranking restricted
 * to the configured languages, known words (a word listed for k languages gives each 1/k), letters
 * a language's spelling does not use, and the declared language as a prior.
 */
export function createLanguageDetector(
  profiles: LanguageProfiles,
  opts: {
    secondOpinion?: (text: string) => LanguageCode | undefined;
    /** Word and character n-gram model over some of the languages (the close Scandinavian ones). */
    ngram?: NgramModel;
    weights?: Partial<Record<keyof typeof WEIGHT, number>>;
  } = {},
): LanguageDetector {
  const W = { ...WEIGHT, ...opts.weights };
  const languages = LANGUAGE_CODES.filter((l) => profiles[l]);
  const owners = new Map<string, LanguageCode[]>();
  for (const lang of languages) {
    for (const w of new Set(profiles[lang]!.words)) owners.set(w, [...(owners.get(w) ?? []), lang]);
  }
  const endingOwners = new Map<string, LanguageCode[]>();
  for (const lang of languages) {
    for (const e of new Set(profiles[lang]!.endings)) endingOwners.set(e, [...(endingOwners.get(e) ?? []), lang]);
  }
  const endingLengths = [...new Set([...endingOwners.keys()].map((e) => e.length))].sort((a, b) => b - a);
  // One alternation per language: a word is tested once per language, not once per habit.
  const spellings = languages
    .filter((l) => profiles[l]!.spellings.length)
    .map((l) => [l, new RegExp(profiles[l]!.spellings.map((re) => `(?:${re.source})`).join('|'), 'u')] as const);
  /** The languages whose spelling habits a word shows. */
  const spellingsOf = (w: string) => {
    const out: LanguageCode[] = [];
    for (const [l, re] of spellings) if (re.test(w)) out.push(l);
    return out;
  };
  /** The owners of a word's longest listed ending, if any; short words have no ending worth reading. */
  const ending = (w: string) => {
    if (w.length < 5) return undefined;
    for (const n of endingLengths) {
      const langs = n < w.length - 1 ? endingOwners.get(w.slice(-n)) : undefined;
      if (langs) return langs;
    }
    return undefined;
  };
  const alphabet = new Map(languages.map((l) => [l, new Set(profiles[l]!.letters)]));

  function detectLanguage(input: LanguageInput): LanguageResult {
    // The summary is usually the body's first paragraph; reading it twice would weigh it double.
    const summary = input.summary && input.body?.startsWith(input.summary.slice(0, 80)) ? undefined : input.summary;
    const full = [input.title, summary, input.body].filter(Boolean).join('\n');
    const declared = declaredToCode(input.declared);
    const head = full.slice(0, FRANC_MAX_CHARS);
    const letters = head.replace(/[^\p{L}]/gu, '');
    if (letters.length < MIN_LETTERS) return { lang: 'und', confidence: 0, signals: { franc: {}, words: {}, foreignLetters: {}, declared } };

    // Word evidence: each listed word one unit for every language listing it; an unlisted word's ending
    // and spelling habits count a part of that for the languages they are typical of.
    const wordCounts: Record<string, number> = {};
    let hits = 0;
    const add = (langs: readonly LanguageCode[], w: number) => {
      for (const l of langs) wordCounts[l] = (wordCounts[l] ?? 0) + w;
    };
    for (const w of words(full.slice(0, WORD_MAX_CHARS))) {
      const langs = owners.get(w);
      if (langs) {
        add(langs, 1);
        hits++;
        continue;
      }
      const byEnding = ending(w);
      if (byEnding) add(byEnding, W.ending);
      const bySpelling = spellingsOf(w);
      if (bySpelling.length) add(bySpelling, W.spelling);
    }

    // Letters outside a language's alphabet, counted per distinct letter so that one name ("Tromsø") weighs little.
    const special = new Set([...letters.toLowerCase()].filter((c) => c > '\u007f'));
    const foreign: Record<string, number> = {};
    for (const l of languages) {
      let n = 0;
      for (const c of special) if (!alphabet.get(l)!.has(c)) n++;
      if (n) foreign[l] = n;
    }

    const [first = 0, runnerUp = 0] = Object.values(wordCounts).sort((a, b) => b - a);
    const decisive = hits >= DECISIVE_WORDS && (first - runnerUp) / hits >= DECISIVE_LEAD;
    const franc: Record<string, number> = {};
    if (!decisive) {
      for (const [code, score] of francAll(head, { only: [...languages], minLength: 1 })) franc[code] = score;
    }
    // franc's scores are 1 for its best guess and lower by the share of trigram distance the others lose.
    const francScale = (W.franc * letters.length) / 100;
    // Between bokmål, nynorsk and Danish franc's trigrams are a weak guide (it takes most bokmål for one of
    // the other two), so within that group only part of its spread counts.
    const bestClose = Math.max(...[...CLOSE].map((l) => franc[l] ?? 0));
    const francOf = (l: LanguageCode) => (CLOSE.has(l) ? W.close * (franc[l] ?? 0) + (1 - W.close) * bestClose : (franc[l] ?? 0));

    const opinion = decisive ? undefined : opts.secondOpinion?.(head);
    const ngram = decisive ? undefined : opts.ngram?.logLikelihood(head.slice(0, NGRAM_MAX_CHARS));
    const bestNgram = Math.max(...languages.map((l) => ngram?.[l] ?? -Infinity));
    const scores = languages.map((lang): [LanguageCode, number] => {
      let s = wordCounts[lang] ?? 0;
      if (!decisive) s -= francScale * (1 - francOf(lang));
      s -= W.letters * Math.min(2, foreign[lang] ?? 0);
      if (declared === lang) s += W.declared;
      if (opinion === lang && SECOND_OPINION_FOR.has(lang)) s += W.second;
      if (ngram?.[lang] !== undefined) s -= Math.min(W.ngramCap, W.ngram * (bestNgram - ngram[lang]));
      s += PRIOR[lang] ?? 0;
      return [lang, s];
    });
    scores.sort((a, b) => b[1] - a[1]);
    const [best, second] = scores;
    const margin = best![1] - (second?.[1] ?? 0);
    return {
      lang: best![0],
      // A lead of one word is a fair guess, of four all but certain.
      confidence: margin / (margin + 1.5),
      signals: { franc, words: wordCounts, foreignLetters: foreign, secondOpinion: opinion, declared },
    };
  }
  return Object.assign(detectLanguage, { languages });
}
