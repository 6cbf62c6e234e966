/**
 * Word shingles for near-duplicate detection: a press release republished under another URL with a
 * sentence added, a title rewritten or a place name inserted still shares most of its runs of
 * consecutive words with the original. Pure; no I/O.
 */
import { words } from '../text.js';

/** Words per shingle: three is long enough that unrelated texts in one language rarely share many. */
export const SHINGLE_WORDS = 3;
/** Bottom-k sketch size: near-duplicates share several of their smallest shingle hashes with high probability. */
export const SKETCH_SIZE = 8;

/** 32-bit FNV-1a hash of a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The set of hashed word shingles of a text, or of its words when the caller has them already. */
export function shingles(text: string | readonly string[]): Set<number> {
  const w = typeof text === 'string' ? words(text) : text;
  const out = new Set<number>();
  if (w.length < SHINGLE_WORDS) {
    if (w.length) out.add(hash(w.join(' ')));
    return out;
  }
  // Each word is hashed once and a shingle's hash mixed from its words' hashes, which spares building a string per shingle.
  const h = w.map(hash);
  for (let i = 0; i + SHINGLE_WORDS <= h.length; i++) {
    let x = h[i]!;
    for (let j = 1; j < SHINGLE_WORDS; j++) x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) ^ h[i + j]!;
    out.add(x >>> 0);
  }
  return out;
}

/** The SKETCH_SIZE smallest shingle hashes: the blocking keys that bring near-duplicates together. */
export function sketch(set: ReadonlySet<number>): number[] {
  const smallest: number[] = [];
  for (const h of set) {
    if (smallest.length === SKETCH_SIZE && h >= smallest[SKETCH_SIZE - 1]!) continue;
    let i = smallest.length - 1;
    if (smallest.length < SKETCH_SIZE) smallest.push(h);
    else i = SKETCH_SIZE - 2;
    // Insertion into the short sorted list.
    while (i >= 0 && smallest[i]! > h) {
      smallest[i + 1] = smallest[i]!;
      i--;
    }
    smallest[i + 1] = h;
  }
  return smallest;
}

/**
 * How much of the shorter text the longer one repeats: shared shingles over the smaller set. A
 * republished release with a paragraph added keeps a high value where Jaccard would drop.
 */
export function containment(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const h of small) if (large.has(h)) shared++;
  return shared / small.size;
}

/** Jaccard similarity of two shingle sets. */
export function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const h of small) if (large.has(h)) shared++;
  const union = a.size + b.size - shared;
  return union ? shared / union : 0;
}

/**
 * The numbers of a text by the two words before them ("received eur" → {"9"}), for spotting a template
 * filled in twice: where two texts in one language say the same words before a number, a different
 * number means a different event ("has received EUR 9 million" against "has received EUR 13 million").
 */
export function numberSlots(text: string): Map<string, Set<string>> {
  const tokens = text
    .toLowerCase()
    .split(/\s+/)
    .map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, ''))
    .filter(Boolean);
  const out = new Map<string, Set<string>>();
  for (let i = 2; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!/^\d[\d.,]*%?$/.test(t)) continue;
    const before = `${tokens[i - 2]} ${tokens[i - 1]}`;
    if (/\d/.test(before)) continue;
    const set = out.get(before);
    if (set) set.add(t);
    else out.set(before, new Set([t]));
  }
  return out;
}

/** Slots two texts share with the same number (agree) and with different numbers only (conflict). */
export function slotAgreement(a: ReadonlyMap<string, ReadonlySet<string>>, b: ReadonlyMap<string, ReadonlySet<string>>): { agree: number; conflict: number } {
  let agree = 0;
  let conflict = 0;
  for (const [slot, values] of a) {
    const other = b.get(slot);
    if (!other) continue;
    if ([...values].some((v) => other.has(v))) agree++;
    else conflict++;
  }
  return { agree, conflict };
}

/** A token that states a fact a copy must not change: a number or a capitalised word (a name, mostly). */
const FACT = /^(?:\d|\p{Lu})/u;

/**
 * Each fact of a text (see FACT) by the two words on either side of it ("fylke og _ skal samordne").
 * A title and its text are read as one sequence; windows reaching past either end are left out; a
 * window seen more than once keeps every fact seen in it.
 */
export function factWindows(title: string, text: string): Map<string, Set<string>> {
  const raw = `${title} | ${text}`
    .split(/\s+/)
    .map((t) => t.replace(/^[^\p{L}\p{N}|]+|[^\p{L}\p{N}%|]+$/gu, ''))
    .filter(Boolean);
  const tokens = raw.map((t) => t.toLowerCase());
  const out = new Map<string, Set<string>>();
  for (let i = 2; i + 2 < tokens.length; i++) {
    const fact = tokens[i]!;
    if (!FACT.test(raw[i]!) || tokens.slice(i - 2, i + 3).includes('|')) continue;
    const window = `${tokens[i - 2]} ${tokens[i - 1]} _ ${tokens[i + 1]} ${tokens[i + 2]}`;
    const set = out.get(window);
    if (set) set.add(fact);
    else out.set(window, new Set([fact]));
  }
  return out;
}

/**
 * Windows where two texts state different facts in the same words ("Kaåsby skal samordne" against
 * "Åsbyve skal samordne"): a template filled in for two events, never a copy with edits.
 */
export function swappedFacts(a: ReadonlyMap<string, ReadonlySet<string>>, b: ReadonlyMap<string, ReadonlySet<string>>): number {
  let swapped = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [window, facts] of small) {
    const other = large.get(window);
    if (other !== undefined && ![...facts].some((f) => other.has(f))) swapped++;
  }
  return swapped;
}
