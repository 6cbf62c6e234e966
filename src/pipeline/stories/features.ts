/**
 * What of an article carries across languages: names (people, organisations, places, programmes,
 * acronyms), numbers with their scale, percentages, years and calendar dates. Each is reduced to a
 * language-neutral key, so a Swedish, a Finnish and an English report of one event yield many of the
 * same keys while their words differ entirely. Pure; no I/O.
 */

import { canonicalName, PHRASE_ALIASES } from './aliases.js';

/** Kinds of key, each weighed differently when articles are compared. */
export type FeatureKind = 'name' | 'phrase' | 'number' | 'amount' | 'percent' | 'year' | 'date' | 'month';

export interface Feature {
  kind: FeatureKind;
  /** The language-neutral key, prefixed by kind so that "n:18" and "d:10-18" never meet. */
  key: string;
}

/** Month names and abbreviations of the six languages → month number. */
const MONTHS: Record<string, number> = {};
function months(names: string[]) {
  names.forEach((n, i) => {
    for (const alt of n.split('|')) MONTHS[alt] = i + 1;
  });
}
// English (with abbreviations), Norwegian bokmål and nynorsk, Danish, Swedish.
months(['january|jan', 'february|feb', 'march|mar', 'april|apr', 'may', 'june|jun', 'july|jul', 'august|aug', 'september|sep|sept', 'october|oct', 'november|nov', 'december|dec']);
months(['januar', 'februar', 'mars|marts', 'april', 'mai|maj', 'juni', 'juli', 'august', 'september', 'oktober|okt', 'november', 'desember']);
months(['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december']);
/** Finnish month stems: "lokakuuta" (partitive, after a day), "lokakuussa" (in October), "lokakuun" (October's). */
const FINNISH_MONTHS = ['tammikuu', 'helmikuu', 'maaliskuu', 'huhtikuu', 'toukokuu', 'kesäkuu', 'heinäkuu', 'elokuu', 'syyskuu', 'lokakuu', 'marraskuu', 'joulukuu'];

function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  const m = MONTHS[w];
  if (m) return m;
  for (let i = 0; i < FINNISH_MONTHS.length; i++) if (w.startsWith(FINNISH_MONTHS[i]!)) return i + 1;
  return undefined;
}

/** Words that multiply the number before them (all six languages, with their usual abbreviations). */
const SCALES: Array<[RegExp, number]> = [
  [/^(?:milliard(?:er|ar|s)?|miljard(?:er|ia|i)?|billion(?:s)?|bn|mrd|mia|md)$/i, 1e9],
  [/^(?:million(?:er|ar|s)?|miljon(?:er|a)?|miljoon(?:aa|a)?|milj|mill|mio|mn|m|mnok|msek|mdkk|mkr|mnkr)$/i, 1e6],
  [/^(?:tusen|tusind|tuhatta|tuhat|thousand)$/i, 1e3],
];
/** Percent and percentage points alike: one language's "2 prosentpoeng" is another's "2 %". */
const PERCENT = /^(?:%|prosent|procent|percent|per\s+cent|prosentti\p{L}*|pct|pst|prosentpoeng|prosentpoint|procentenheter|procentpoint|percentage)$/iu;

/**
 * Common capitalised words that are not names: sentence openers in the six languages. A name must in
 * addition be capitalised where a sentence does not start (see `names`), so this list only needs the
 * function words that also appear capitalised mid-text after a quotation dash or in a headline.
 */
const NOT_NAMES = new Set(
  (
    'the a an and of in on for to at by with from this that these those it its he she they we our their his her ' +
    'i og eller på til av for med som det den de dei der ein en et ett eit han hun ho vi dei dere du er var har ' +
    'och att är som för av med till från om hon vi ni de den det detta denna ' +
    'og at af til fra som der det den de han hun vi er var har ' +
    'ja on ei se ne hän me he tämä että kun mutta myös'
  ).split(' '),
);

/** Folds a name for matching: lower case, accents dropped ("Sápmi" = "Sapmi"), genitive and case tails after ":" gone ("EU:s"). */
export function foldName(word: string): string {
  return word
    .replace(/:[\p{L}]+$/u, '')
    .replace(/['’]s$/u, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** A token that looks like a name: capitalised ("Luleå", "Aurora"), or an acronym ("EU", "KDD", "RIS3", "EU:s"). */
const CAPITALISED = /^\p{Lu}[\p{L}\p{N}]*(?::\p{L}+)?$/u;
const ACRONYM = /^\p{Lu}[\p{Lu}\p{N}&]+(?::\p{L}+)?$/u;

/** Sentence and headline boundaries: a sentence starts after these (and at the start of a line). */
const SENTENCE_END = /[.!?:;–—\-"«»“”()]$/;

interface Token {
  text: string;
  start: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const line of text.split(/\n+/)) {
    let start = true;
    for (const raw of line.split(/\s+/)) {
      if (!raw) continue;
      const core = raw.replace(/^[("«“”'‘’\[]+/u, '').replace(/[)"»“”'‘’\].,!?;]+$/u, '');
      // Parts joined by a hyphen stand alone as names ("Aurora-ohjelman", "EU-midler", "Vest-Telemark" both ways).
      const parts = core.includes('-') && !/^\d/.test(core) ? [core, ...core.split('-').filter(Boolean)] : [core];
      parts.forEach((p, i) => out.push({ text: p, start: start || i > 1 }));
      start = SENTENCE_END.test(raw) && !/^\p{Lu}\.$/u.test(raw) && !/^\d+\.$/.test(raw);
    }
  }
  return out;
}

/**
 * Finnish inflects names ("Oulu" → "Oulussa", "Oulun"; "Norrbotten" → "Norrbottenin"): the forms left when
 * a case ending is taken off, each a candidate for the name as other languages write it. Candidates that
 * are no name anywhere else cost little, since they are matched against names only.
 */
const FINNISH_CASE_ENDINGS = ['ssa', 'ssä', 'sta', 'stä', 'lla', 'llä', 'lta', 'ltä', 'lle', 'ksi', 'iin', 'seen', 'hin', 'in', 'n', 'a', 'ä'];
export function finnishBases(name: string): string[] {
  const out: string[] = [];
  for (const e of FINNISH_CASE_ENDINGS) if (name.endsWith(e) && name.length - e.length >= 3) out.push(name.slice(0, -e.length));
  return out;
}

/**
 * Names in a text: capitalised words and acronyms, and runs of two or more of them ("Interreg Aurora",
 * "Luleå University of Technology" gives "luleå university"). A capitalised word that opens a sentence
 * counts only if the same word is capitalised elsewhere where no sentence opens, so "Programmet" or
 * "Yesterday" at the start of a sentence are not taken for names. Acronyms always count.
 */
function names(tokens: Token[], finnish: boolean): Feature[] {
  const midCapitalised = new Set<string>();
  for (const t of tokens) if (!t.start && CAPITALISED.test(t.text)) midCapitalised.add(foldName(t.text));
  const isName = (t: Token, next: Token | undefined, finnish: boolean): boolean => {
    if (ACRONYM.test(t.text) && t.text.replace(/:.*/, '').length >= 2) return true;
    if (!CAPITALISED.test(t.text) || t.text.length < 2) return false;
    const f = foldName(t.text);
    if (NOT_NAMES.has(f) || monthOf(t.text) !== undefined) return false;
    // A sentence-opening word counts when it is capitalised mid-sentence elsewhere, is a known name in
    // another spelling (aliases.ts), or opens a run of names ("Interreg Aurora").
    if (!t.start || midCapitalised.has(f) || canonicalName(f) !== undefined) return true;
    if (finnish && finnishBases(f).some((v) => canonicalName(v) !== undefined)) return true;
    return (next !== undefined && !next.start && CAPITALISED.test(next.text) && !NOT_NAMES.has(foldName(next.text)));
  };
  const out: Feature[] = [];
  let run: string[] = [];
  const flush = () => {
    for (let i = 0; i + 1 < run.length; i++) out.push({ kind: 'phrase', key: `p:${run[i]} ${run[i + 1]}` });
    run = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isName(t, tokens[i + 1], finnish)) {
      const f = foldName(t.text);
      out.push({ kind: 'name', key: `n:${canonicalName(f) ?? f}` });
      if (finnish) for (const v of finnishBases(f)) out.push({ kind: 'name', key: `n:${canonicalName(v) ?? v}` });
      run.push(f);
    } else flush();
  }
  flush();
  return out;
}

/** Parses "4.000", "4,000", "4 000", "1,5", "1.5", "42" into a number; a group of exactly three digits after "." or "," is thousands. */
export function parseNumber(s: string): number {
  const compact = s.replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(compact)) return Number(compact.replace(/[.,]/g, ''));
  if (/^\d{1,3}(?:[.,]\d{3})+[.,]\d+$/.test(compact)) {
    const last = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
    return Number(`${compact.slice(0, last).replace(/[.,]/g, '')}.${compact.slice(last + 1)}`);
  }
  return Number(compact.replace(',', '.'));
}

/** Renders a number without floating-point noise: 42000000, 1.5, 1500000. */
function render(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/**
 * Numbers, amounts, percentages, years and dates. A day with a month ("15 October", "15. lokakuuta",
 * "den 15 oktober", "October 15", "15.10.2026") becomes a month-day key; a month with a year and no
 * day a month key; the numbers used by a date are not read again as plain numbers.
 */
function numbersAndDates(text: string): Feature[] {
  const out: Feature[] = [];
  const used: Array<[number, number]> = [];
  const take = (m: RegExpMatchArray) => used.push([m.index!, m.index! + m[0].length]);
  const free = (m: RegExpMatchArray) => !used.some(([a, b]) => m.index! < b && m.index! + m[0].length > a);
  const day = (d: number, mon: number) => `d:${String(mon).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

  // Numeric dates: 15.10.2026, 15.10., 15/10-2026 (Nordic day-first order).
  for (const m of text.matchAll(/\b(\d{1,2})[./](\d{1,2})[./-](?:(\d{4})\b)?/g)) {
    const d = Number(m[1]);
    const mon = Number(m[2]);
    if (d < 1 || d > 31 || mon < 1 || mon > 12 || (!m[3] && !/\.$/.test(m[0]))) continue;
    out.push({ kind: 'date', key: day(d, mon) });
    take(m);
  }
  // Day then month name: "15 October", "15. lokakuuta", "1. juni".
  for (const m of text.matchAll(/\b(\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(\p{L}+\.?)/gu)) {
    if (!free(m)) continue;
    const mon = monthOf(m[2]!);
    const d = Number(m[1]);
    if (mon === undefined || d < 1 || d > 31) continue;
    out.push({ kind: 'date', key: day(d, mon) });
    take(m);
  }
  // Month name then day (English): "October 15", "Oct. 15,".
  for (const m of text.matchAll(/\b(\p{Lu}\p{Ll}+\.?)\s+(\d{1,2})\b(?!\s*(?:[.,]\d|%|\d))/gu)) {
    if (!free(m)) continue;
    const mon = monthOf(m[1]!);
    const d = Number(m[2]);
    if (mon === undefined || d < 1 || d > 31) continue;
    out.push({ kind: 'date', key: day(d, mon) });
    take(m);
  }
  // Month with a year and no day: "in October 2026", "lokakuussa 2026".
  // (Years are found first and the word before each looked at: a scan for "any word, then a year" is slow.)
  for (const y of text.matchAll(/(?<=\s)(?:19|20)\d\d\b/g)) {
    const before = /(\p{L}+)\s+$/u.exec(text.slice(Math.max(0, y.index! - 24), y.index!));
    if (!before) continue;
    const m = Object.assign([`${before[1]} ${y[0]}`], { index: y.index! - before[0].length }) as RegExpMatchArray;
    if (!free(m)) continue;
    const mon = monthOf(before[1]!);
    if (mon === undefined) continue;
    out.push({ kind: 'month', key: `m:${y[0]}-${String(mon).padStart(2, '0')}` });
  }

  // Numbers, with thousands grouped by ".", "," or a (narrow/no-break) space, then an optional scale or percent word.
  const NUMBER = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:(?:[.,]|[ \u00a0\u202f])\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\p{N}])(?:\s*(%|per\s+cent|[\p{L}]+\.?))?/gu;
  for (const m of text.matchAll(NUMBER)) {
    if (!free(m)) continue;
    const value = parseNumber(m[1]!);
    if (!Number.isFinite(value)) continue;
    // A unit word may end its sentence ("EUR 12 million."): the full stop is no part of it.
    const unit = m[2]?.replace(/\.$/, '');
    if (unit && PERCENT.test(unit)) {
      out.push({ kind: 'percent', key: `%:${render(value)}` });
      continue;
    }
    const scale = unit ? SCALES.find(([re]) => re.test(unit))?.[1] : undefined;
    if (scale) {
      out.push({ kind: 'amount', key: `v:${render(value * scale)}` });
      continue;
    }
    if (Number.isInteger(value) && value >= 1900 && value <= 2099 && !/[.,\s]/.test(m[1]!)) {
      out.push({ kind: 'year', key: `y:${value}` });
      continue;
    }
    // A grouped or large plain number is as telling as an amount, and may be written "12 000 000" in one language and "12 millioner" in another.
    out.push({ kind: value >= 1000 ? 'amount' : 'number', key: value >= 1000 ? `v:${render(value)}` : `#:${render(value)}` });
  }
  return out;
}

/** All features of a title and text, repeated keys kept (counts may matter to the caller). */
export function extractFeatures(title: string, text: string, language = ''): Feature[] {
  const whole = `${title}\n${text}`;
  const bodies: Feature[] = [];
  const lower = whole.toLowerCase();
  for (const [re, key] of PHRASE_ALIASES) if (re.test(lower)) bodies.push({ kind: 'name', key: `n:${key}` });
  return [...names(tokenize(whole), language === 'fin'), ...bodies, ...numbersAndDates(whole)];
}
