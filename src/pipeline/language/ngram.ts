/**
 * A naive-Bayes model of words and character n-grams for the close Scandinavian languages (bokmål,
 * nynorsk, Danish, Swedish). The lexicons of languages.yaml decide when a text has a word only some
 * of them spell that way; many headlines have none ("Regionalt partnerskap for kompetanse i
 * Nordland"), and then how often each language uses the words it shares with the others, and the
 * letter sequences of words no list holds (nynorsk -ane/-inga/kj, Danish -ede/-hed/-gt, Swedish
 * -ä-/-ar/-tt), still lean one way.
 *
 * The model is counts, per language, of every word and every n-gram of 1..ORDER letters (with a space
 * marking each word's start and end) in a training text written for it (config/langid/<lang>.txt),
 * stored in a generated module (src/commands/build-langid-model.ts). This file only counts and scores, with no I/O.
 */

/** Longest n-gram: 5 letters reach whole short function words and most inflection endings. */
export const ORDER = 5;
/**
 * Add-alpha smoothing: what a language's training text never showed is unlikely, not impossible.
 * Below ~0.1 a single unseen n-gram decides too much; above ~0.5 rare but telling ones weigh too little.
 */
const ALPHA = 0.3;
/** Prefix of a whole-word entry in the table, which no n-gram (letters and spaces) can start with. */
const WORD = '=';

/** The lower-case words of a text, letters only. */
function letterWords(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** The n-grams of one word, padded with spaces: every substring of 1..ORDER characters but a lone space. */
function wordNgrams(word: string, out: string[]): void {
  const w = ` ${word} `;
  for (let n = 1; n <= ORDER; n++) {
    for (let i = 0; i + n <= w.length; i++) {
      if (n === 1 && w[i] === ' ') continue;
      out.push(w.slice(i, i + n));
    }
  }
}

/** What training counts in a text: every word, as a word and as its n-grams. */
export function features(text: string): string[] {
  const out: string[] = [];
  for (const w of letterWords(text)) {
    out.push(WORD + w);
    wordNgrams(w, out);
  }
  return out;
}

/** The counts as the generated module stores them. */
export interface NgramCounts {
  languages: readonly string[];
  /** One line per word or n-gram, sorted: the feature, a tab, its count per language separated by commas (empty for 0). */
  table: string;
}

/** Counts the features of training texts, keeping those seen at least `minCount` times in all languages together. */
export function countNgrams(corpus: Record<string, readonly string[]>, minCount = 1): NgramCounts {
  const languages = Object.keys(corpus);
  const counts = new Map<string, number[]>();
  languages.forEach((lang, li) => {
    for (const line of corpus[lang]!) {
      for (const f of features(line)) {
        const c = counts.get(f) ?? languages.map(() => 0);
        c[li]!++;
        counts.set(f, c);
      }
    }
  });
  const rows: string[] = [];
  for (const [f, c] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c.reduce((a, b) => a + b, 0) >= minCount) rows.push(`${f}\t${c.map((n) => (n ? String(n) : '')).join(',')}`);
  }
  return { languages, table: rows.join('\n') };
}

export interface NgramModel {
  readonly languages: readonly string[];
  /** Log-likelihood of a text per language, in nats; only the differences between languages mean anything. */
  logLikelihood(text: string): Record<string, number>;
}

/** Turns stored counts into smoothed log-probabilities, words and each n-gram length a distribution of their own. */
export function ngramModel(counts: NgramCounts): NgramModel {
  const { languages } = counts;
  const L = languages.length;
  const rows = counts.table.split('\n').filter(Boolean);
  const keys = rows.map((row) => row.slice(0, row.indexOf('\t')));
  /** Words are distribution 0, n-grams of length n distribution n. */
  const kinds = keys.map((f) => (f.startsWith(WORD) ? 0 : f.length));
  const raw = new Float64Array(rows.length * L);
  const totals = Array.from({ length: ORDER + 1 }, () => new Float64Array(L));
  const vocabulary = new Array<number>(ORDER + 1).fill(0);
  rows.forEach((row, r) => {
    const k = kinds[r]!;
    vocabulary[k]!++;
    const cells = row.slice(keys[r]!.length + 1).split(',');
    for (let l = 0; l < L; l++) {
      const n = cells[l] ? Number(cells[l]) : 0;
      raw[r * L + l] = n;
      totals[k]![l]! += n;
    }
  });
  const logp = new Float32Array(rows.length * L);
  for (let r = 0; r < rows.length; r++) {
    const k = kinds[r]!;
    for (let l = 0; l < L; l++) logp[r * L + l] = Math.log((raw[r * L + l]! + ALPHA) / (totals[k]![l]! + ALPHA * vocabulary[k]!));
  }

  // Scoring reads an n-gram as a number, not a string: each character of the table's alphabet is a
  // digit 1..B-1 in base B, so slicing and hashing fifteen strings per word becomes arithmetic (a
  // 5-gram over at most 63 characters stays below 2^30). A character outside the alphabet ends every
  // n-gram through it: no training text showed it.
  const alphabet = new Map<string, number>();
  for (const f of keys) if (!f.startsWith(WORD)) for (const c of f) if (!alphabet.has(c)) alphabet.set(c, alphabet.size + 1);
  const B = alphabet.size + 1;
  const wordRow = new Map<string, number>();
  const gramRow = new Map<number, number>();
  keys.forEach((f, r) => {
    if (f.startsWith(WORD)) {
      wordRow.set(f.slice(WORD.length), r);
      return;
    }
    let key = 0;
    for (const c of f) key = key * B + alphabet.get(c)!;
    gramRow.set(key, r);
  });
  const space = alphabet.get(' ') ?? 0;
  const digits: number[] = [];

  return {
    languages,
    logLikelihood(text) {
      const sum = new Float64Array(L);
      for (const w of letterWords(text)) {
        // A word the training text knows is read as a word: "kanskje", as frequent in both Norwegian
        // texts, then tells nothing, whatever its nynorsk-looking "kje" would say.
        const r = wordRow.get(w);
        if (r !== undefined) {
          for (let l = 0; l < L; l++) sum[l]! += logp[r * L + l]!;
          continue;
        }
        // Other words (names, rare words) by their n-grams. Those of one position overlap (each 5-gram
        // holds a 4-gram …), so each counts 1/ORDER, or a word would count its evidence ORDER times.
        // An n-gram no training text showed tells nothing apart and is skipped.
        digits.length = 0;
        digits.push(space);
        for (const c of w) digits.push(alphabet.get(c) ?? 0);
        digits.push(space);
        for (let i = 0; i < digits.length; i++) {
          let key = 0;
          for (let n = 1; n <= ORDER && i + n <= digits.length; n++) {
            const d = digits[i + n - 1]!;
            if (d === 0) break;
            key = key * B + d;
            if (n === 1 && d === space) continue;
            const g = gramRow.get(key);
            if (g !== undefined) for (let l = 0; l < L; l++) sum[l]! += logp[g * L + l]! / ORDER;
          }
        }
      }
      const out: Record<string, number> = {};
      for (let l = 0; l < L; l++) out[languages[l]!] = sum[l]!;
      return out;
    },
  };
}
