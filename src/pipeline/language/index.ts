import { francAll } from 'franc';
import type { LanguageCode } from '../../sources/schema.js';
import type { LanguageMarkers } from './schema.js';
import { words } from '../text.js';

/** Languages franc's default build knows; Icelandic, Faroese and Northern Sami need franc-all (a later stage). */
const FRANC_LANGUAGES = ['nob', 'nno', 'swe', 'dan', 'fin', 'eng'] as const;

/** franc reads trigrams; beyond ~1,000 characters its answer rarely changes, only its cost (linear, ~1 µs a character). */
const FRANC_MAX_CHARS = 1000;
/** Marker counting is a hash lookup per word, so it reads more of the text: a quotation in another language near the top must not decide. */
const MARKER_MAX_CHARS = 20_000;
/** Below this many letters no detector is better than a guess. */
const MIN_CHARS = 12;
/**
 * Marker words decide alone when there are this many and the leader has this share of them: franc
 * costs ~20× more than counting words, and on a paragraph with 20 clear function words it agrees.
 */
const DECISIVE_MARKERS = 20;
const DECISIVE_SHARE = 0.6;

/**
 * Weights of the signals, set on the seeds and the langid development set. franc's score is spread
 * over the candidates (best 1, worst 0) because its raw scores for long texts lie within a few percent.
 */
const WEIGHT = { franc: 1, markers: 1.5, declared: 0.1, letters: 0.5 } as const;

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
  signals: { franc: Record<string, number>; markers: Record<string, number>; declared?: string };
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
}

/**
 * Builds the detector from the marker words of config/languages.yaml. A word listed for k languages
 * gives each 1/k, so "ikke" (bokmål and Danish) still tells both apart from nynorsk's "ikkje".
 */
export function createLanguageDetector(markers: LanguageMarkers): LanguageDetector {
  const weights = new Map<string, Map<string, number>>();
  const owners = new Map<string, string[]>();
  for (const [lang, list] of Object.entries(markers)) {
    for (const w of new Set(list)) owners.set(w, [...(owners.get(w) ?? []), lang]);
  }
  for (const [w, langs] of owners) weights.set(w, new Map(langs.map((l) => [l, 1 / langs.length])));

  return function detectLanguage(input) {
    // The summary is usually the body's first paragraph; reading it twice would weigh it double.
    const summary = input.summary && input.body?.startsWith(input.summary.slice(0, 80)) ? undefined : input.summary;
    const full = [input.title, summary, input.body].filter(Boolean).join('\n');
    const text = full.slice(0, FRANC_MAX_CHARS);
    const declared = declaredToCode(input.declared);
    const letters = text.replace(/[^\p{L}]/gu, '');
    if (letters.length < MIN_CHARS) {
      return { lang: 'und', confidence: 0, signals: { franc: {}, markers: {}, declared } };
    }

    const markerCounts: Record<string, number> = {};
    let markerTotal = 0;
    for (const w of words(full.slice(0, MARKER_MAX_CHARS))) {
      const owners = weights.get(w);
      if (!owners) continue;
      for (const [lang, share] of owners) markerCounts[lang] = (markerCounts[lang] ?? 0) + share;
      markerTotal += 1;
    }
    const markerLeader = Math.max(0, ...Object.values(markerCounts));
    const decisive = markerTotal >= DECISIVE_MARKERS && markerLeader / markerTotal >= DECISIVE_SHARE;

    const franc: Record<string, number> = {};
    if (!decisive) {
      const ranked = francAll(text.slice(0, FRANC_MAX_CHARS), { only: [...FRANC_LANGUAGES], minLength: 1 });
      const worst = Math.min(...ranked.map(([, s]) => s));
      for (const [code, score] of ranked) franc[code] = worst < 1 ? (score - worst) / (1 - worst) : 1;
    }

    const hasAeOe = /[æø]/i.test(letters);
    const hasAeOeSwedish = /[äö]/i.test(letters);
    const scores: Array<[LanguageCode, number]> = FRANC_LANGUAGES.map((lang) => {
      let s = decisive ? 0 : WEIGHT.franc * (franc[lang] ?? 0);
      if (markerTotal > 0) s += WEIGHT.markers * ((markerCounts[lang] ?? 0) / markerTotal);
      if (declared === lang) s += WEIGHT.declared;
      // æ/ø are Norwegian and Danish letters; ä/ö Swedish and Finnish. Quoted names aside, a text
      // full of one pair is not written in a language of the other.
      if (hasAeOe && !hasAeOeSwedish && (lang === 'swe' || lang === 'fin')) s -= WEIGHT.letters;
      if (hasAeOeSwedish && !hasAeOe && (lang === 'nob' || lang === 'nno' || lang === 'dan')) s -= WEIGHT.letters;
      return [lang, s];
    });
    scores.sort((a, b) => b[1] - a[1]);
    const [best, second] = scores;
    const margin = best![1] - (second?.[1] ?? 0);
    return {
      lang: best![0],
      confidence: Math.max(0, Math.min(1, margin * 2 + (letters.length > 200 ? 0.3 : 0.1))),
      signals: { franc, markers: markerCounts, declared },
    };
  };
}
