import { createRequire } from 'node:module';
import type { LanguageCode } from '../../sources/schema.js';
import { createLanguageDetector, type LanguageDetector } from './index.js';
import type { LanguageProfiles } from './schema.js';
import { ngramModel } from './ngram.js';
import { NGRAM_COUNTS } from './ngram-model.generated.js';

/** CLD2's codes for the languages it shares with us; it has no Northern Sami and no Faroese model worth the name. */
const FROM_CLD2: Record<string, LanguageCode> = { no: 'nob', nn: 'nno', da: 'dan', sv: 'swe', fi: 'fin', is: 'isl', en: 'eng' };

type NativeDetect = (text: string, plainText: boolean, languageHint: string, encodingHint: string, tldHint: string, httpHint: string, bestEffort: boolean) => {
  languages: Array<{ code: string; percent: number }>;
};

/**
 * Google's Compact Language Detector 2 (npm `cld`, compiled on install) as a second opinion. Its
 * quadgram model tells bokmål, nynorsk and Danish apart on short text where franc's trigrams cannot.
 * The package's JavaScript wrapper is async only; its native binding answers synchronously in ~15 µs,
 * so it is called directly. Undefined when the addon could not be built: detection then goes on
 * without it.
 */
export function loadCld2(): ((text: string) => LanguageCode | undefined) | undefined {
  let detect: NativeDetect;
  try {
    detect = (createRequire(import.meta.url)('cld/build/Release/cld.node') as { detect: NativeDetect }).detect;
  } catch {
    return undefined;
  }
  return (text) => {
    try {
      const code = detect(text, true, '', '', '', '', true).languages[0]?.code;
      return code ? FROM_CLD2[code] : undefined;
    } catch {
      return undefined; // CLD2 throws on text it cannot read at all; the other signals still can
    }
  };
}

/** The detector as Regionradar runs it: the configured profiles, with CLD2's second opinion where the addon is built. */
export function createNordicDetector(profiles: LanguageProfiles): LanguageDetector {
  return createLanguageDetector(profiles, { secondOpinion: loadCld2(), ngram: ngramModel(NGRAM_COUNTS) });
}
