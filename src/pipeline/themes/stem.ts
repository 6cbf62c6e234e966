import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as english } from '@orama/stemmers/english';

export type Stemmer = (word: string) => string;

/**
 * Snowball stemmer per article language. There is no nynorsk stemmer; the bokmål one strips the
 * shared suffixes (-ane, -ar, -ing, -inga) well enough for matching.
 */
/**
 * Snowball's Finnish stemmer leaves the stem alternations of the commonest derivations apart, so a
 * base form never meets its own inflections: kiertotalous → "kiertotalous" but kiertotalouden →
 * "kiertotaloud", kiertotaloutta → "kiertotalout"; kehittäminen → "kehittämin" but kehittämisen →
 * "kehittämis"; alueellinen → "alueellin", alueellista → "alueel". These rules bring the -us/-ys
 * nouns (-ude-, -ut-, -ks-), the -minen verbal nouns (-mise-) and the -inen adjectives (-ise-, -is-)
 * to one stem each, and nt/nn (maakunta, maakunnan, maakuntien). They are no morphological analyser (consonant gradation, kaupunki/kaupungin, stays
 * apart), but they unite the forms regional-development vocabulary is made of.
 */
export function finnishStem(word: string): string {
  return finnish(word)
    .replace(/([uy])(?:s|d|t|ks)$/, '$1')
    .replace(/mi[ns]$/, 'm')
    .replace(/([^aeiouyäö])i[ns]$/, '$1')
    .replace(/([^aeiouyäö])\1$/, '$1')
    .replace(/nt$/, 'n');
}

const STEMMERS: Record<string, Stemmer> = {
  nob: norwegian,
  nno: norwegian,
  swe: swedish,
  dan: danish,
  fin: finnishStem,
  eng: english,
};

const identity: Stemmer = (w) => w;

export function stemmerFor(lang: string): Stemmer {
  return STEMMERS[lang] ?? identity;
}

/** Words repeat across articles; a bounded cache makes a per-word function (stemming, folding) nearly free. */
export function memoize(fn: (word: string) => string, max = 100_000): (word: string) => string {
  const cache = new Map<string, string>();
  return (w) => {
    let v = cache.get(w);
    if (v === undefined) {
      if (cache.size >= max) cache.clear();
      v = fn(w);
      cache.set(w, v);
    }
    return v;
  };
}
