import { francAll } from 'franc-all';
import { LANGUAGE_CODES, type LanguageCode } from '../../sources/schema.js';
import type { LanguageProfiles } from './schema.js';
import { words } from '../text.js';

/** franc reads trigrams; beyond ~1,000 characters its answer rarely changes, only its cost (linear in the text). */
const FRANC_MAX_CHARS = 500;
/** Word lookups are cheap, so they read more of the text: a quotation in another language near the top must not decide. */
const WORD_MAX_CHARS = 20_000;
/** Below this many letters no detector is better than a guess. */
const MIN_LETTERS = 12;
/**
 * Known words decide without franc when there are this many and the leader is this far ahead of the
 * runner-up (as a share of them): franc costs ~10× more than counting words, and on a paragraph with
 * that clear a lead it agrees. Close neighbours share most function words, hence a lead, not a share.
 */
const DECISIVE_WORDS = 20;
const DECISIVE_LEAD = 0.15;

/**
 * Weights of the signals. franc's scores are relative (best 1) and spread thin between close
 * languages, so distinctive words and letters carry more; the declared language only breaks ties.
 */
const WEIGHT = { franc: 1, words: 2.2, letters: 1.2, declared: 0.15, second: 0.4 } as const;
/** Where the second opinion (CLD2) is trusted: the three languages it separates better than franc. */
const SECOND_OPINION_FOR: ReadonlySet<string> = new Set(['nob', 'nno', 'dan']);
/** A word recognised only by its ending counts this much of a known word. */
const ENDING_WEIGHT = 0.5;
/** A known word counts fully from this many hits on; a sentence with one known word is weak evidence. */
const WORDS_FULL_AT = 4;

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
  opts: { secondOpinion?: (text: string) => LanguageCode | undefined; weights?: Partial<Record<keyof typeof WEIGHT, number>> } = {},
): LanguageDetector {
  const W = { ...WEIGHT, ...opts.weights };
  const languages = LANGUAGE_CODES.filter((l) => profiles[l]);
  const owners = new Map<string, LanguageCode[]>();
  for (const lang of languages) {
    for (const w of new Set(profiles[lang]!.words)) owners.set(w, [...(owners.get(w) ?? []), lang]);
  }
  const share = new Map([...owners].map(([w, langs]) => [w, 1 / langs.length]));
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

    const wordCounts: Record<string, number> = {};
    let hits = 0;
    for (const w of words(full.slice(0, WORD_MAX_CHARS))) {
      const langs = owners.get(w);
      if (langs) {
        const s = share.get(w)!;
        for (const l of langs) wordCounts[l] = (wordCounts[l] ?? 0) + s;
        hits++;
        continue;
      }
      const byEnding = ending(w);
      if (byEnding) {
        for (const l of byEnding) wordCounts[l] = (wordCounts[l] ?? 0) + ENDING_WEIGHT / byEnding.length;
        hits += ENDING_WEIGHT;
      }
      const bySpelling = spellingsOf(w);
      if (bySpelling.length) {
        for (const l of bySpelling) wordCounts[l] = (wordCounts[l] ?? 0) + ENDING_WEIGHT / bySpelling.length;
        hits += ENDING_WEIGHT;
      }
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

    const wordWeight = W.words * Math.min(1, hits / WORDS_FULL_AT);
    const opinion = decisive ? undefined : opts.secondOpinion?.(head);
    const scores = languages.map((lang): [LanguageCode, number] => {
      let s = decisive ? 0 : W.franc * (franc[lang] ?? 0);
      if (hits) s += wordWeight * ((wordCounts[lang] ?? 0) / hits);
      s -= W.letters * Math.min(1, (foreign[lang] ?? 0) / 2);
      if (declared === lang) s += W.declared;
      if (opinion === lang && SECOND_OPINION_FOR.has(lang)) s += W.second;

      return [lang, s];
    });
    scores.sort((a, b) => b[1] - a[1]);
    const [best, second] = scores;
    const margin = best![1] - (second?.[1] ?? 0);
    return {
      lang: best![0],
      confidence: Math.max(0, Math.min(1, margin + (letters.length > 200 ? 0.3 : 0.1))),
      signals: { franc, words: wordCounts, foreignLetters: foreign, secondOpinion: opinion, declared },
    };
  }
  return Object.assign(detectLanguage, { languages });
}
