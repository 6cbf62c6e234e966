/**
 * Story grouping: which articles of a batch report one event, across sources and languages, and which
 * are near-duplicates of another (a press release republished with small edits). Pure; no I/O.
 *
 * Articles are compared by what carries across languages (names, numbers, amounts, percentages, dates;
 * see features.ts) with weights that favour what is rare in the batch, plus, for two articles in one
 * language, their content words. Only pairs that share a rare key are compared at all, so a batch of
 * 20,000 articles costs far less than all pairs. Pairs whose evidence passes the thresholds are linked,
 * strongest first, into groups that never span more than 21 days and never join two groups that mostly
 * disagree (average link), because a wrong merge costs more than a missed one.
 */
import { extractFeatures, type FeatureKind } from './features.js';
import { containment, factWindows, jaccard, numberSlots, shingles, sketch, slotAgreement, swappedFacts } from './shingles.js';
import { words } from '../text.js';

export interface StoryInput {
  id: string;
  sourceId: string;
  title: string;
  /** Plain text: summary and body. */
  text: string;
  /** ISO 639-3: nob nno swe dan fin eng (others possible). */
  language: string;
  /** ISO-8601; when present, articles far apart in time (> 21 days) never group. */
  publishedAt?: string;
  /** Theme ids from the tagger. */
  themes: readonly string[];
  /** ISO 3166-2 codes from the tagger. */
  regions: readonly string[];
  /** The story id a previous run gave it, if any. */
  story?: string;
}

export interface StoryAssignment {
  id: string;
  story: string;
  duplicateOf?: string;
}

/** Articles further apart than this never share a story: a follow-up weeks later is a new story. */
export const MAX_STORY_SPAN_MS = 21 * 24 * 3600 * 1000;

/**
 * Weight of each kind of key. Dates, amounts and percentages pin an event down; a name may recur in
 * many stories of one region; a year or a theme says almost nothing on its own (every article of 2026
 * shares "2026").
 */
const KIND_WEIGHT: Record<FeatureKind | 'region' | 'theme', number> = {
  name: 1,
  phrase: 1,
  number: 0.8,
  amount: 1.6,
  percent: 1.4,
  year: 0.3,
  date: 1.6,
  month: 0.6,
  region: 0.5,
  theme: 0.3,
};

/** Keys that may bring two articles together as candidates: the rest only add to the score. */
const BLOCKING_KINDS = new Set<string>(['name', 'phrase', 'number', 'amount', 'percent', 'date']);

export interface StoryParams {
  /** Cross-language evidence: cosine of the weighted key vectors at or above this links two articles. */
  keyCosine: number;
  /** The same, for the share of the smaller article's key weight the pair has in common (a teaser beside a long report). */
  keyContainment: number;
  /** Specific keys (dates, amounts, percentages, numbers, rare names) two articles must share to link at all. */
  minSpecific: number;
  /** Same-language evidence: cosine of content-word vectors at or above this links, given some key evidence. */
  wordCosine: number;
  /** …and key cosine at least this. */
  wordKeyCosine: number;
  /** Near-duplicates: share of the shorter text's shingles found in the longer one, and Jaccard similarity of the two. */
  duplicateContainment: number;
  duplicateJaccard: number;
  /** Near-duplicates: key cosine at least this (same names, numbers and dates). */
  duplicateKeys: number;
  /** Average link: two groups merge only if at least this share of the pairs between them are linked. */
  averageLink: number;
  /** Names alone (no date or number shared, as between a teaser and a report): this many rare names in common… */
  namesAlone: number;
  /** …making at least this share of the smaller article's key weight. */
  namesAloneContainment: number;
}

export const DEFAULT_PARAMS: StoryParams = {
  keyCosine: 0.35,
  keyContainment: 0.5,
  minSpecific: 3,
  wordCosine: 0.3,
  wordKeyCosine: 0.3,
  duplicateContainment: 0.7,
  duplicateJaccard: 0.5,
  duplicateKeys: 0.6,
  averageLink: 1 / 3,
  namesAlone: 5,
  namesAloneContainment: 0.6,
};

interface Prepared {
  index: number;
  item: StoryInput;
  time: number | undefined;
  /** Key → kind weight (before rarity). */
  keys: Map<string, number>;
  words: Map<string, number>;
  shingles: Set<number>;
  sketch: number[];
  slots: Map<string, Set<string>>;
  /** Built on first use: only same-language pairs that would link need them. */
  facts?: Map<string, Set<string>>;
}

function kindOf(key: string): FeatureKind | 'region' | 'theme' {
  switch (key[0]) {
    case 'n':
      return 'name';
    case 'p':
      return 'phrase';
    case '#':
      return 'number';
    case 'v':
      return 'amount';
    case '%':
      return 'percent';
    case 'y':
      return 'year';
    case 'd':
      return 'date';
    case 'm':
      return 'month';
    case 'r':
      return 'region';
    default:
      return 'theme';
  }
}

/** Words too short to tell stories apart are dropped; the rest are cut to a crude stem so inflections meet. */
const MIN_WORD = 4;
const STEM = 7;

function prepare(item: StoryInput, index: number): Prepared {
  const keys = new Map<string, number>();
  for (const f of extractFeatures(item.title, item.text, item.language)) keys.set(f.key, KIND_WEIGHT[f.kind]);
  for (const r of item.regions) keys.set(`r:${r}`, KIND_WEIGHT.region);
  for (const t of item.themes) keys.set(`t:${t}`, KIND_WEIGHT.theme);
  const wordCounts = new Map<string, number>();
  const textWords = words(item.text || item.title);
  for (const w of item.text ? [...words(item.title), ...textWords] : textWords) {
    if (w.length < MIN_WORD || /^\d/.test(w)) continue;
    const s = w.slice(0, STEM);
    wordCounts.set(s, (wordCounts.get(s) ?? 0) + 1);
  }
  const sh = shingles(textWords);
  const parsed = item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN;
  const time = Number.isFinite(parsed) ? parsed : undefined;
  return { index, item, time, keys, words: wordCounts, shingles: sh, sketch: sketch(sh), slots: numberSlots(`${item.title}\n${item.text}`) };
}

/**
 * Rarity of a key in the batch. The 20 added to the batch size stand for a background of articles
 * without the key, so in a batch of two a shared key is not worthless and in a batch of thousands a
 * key in every other article is.
 */
function idf(df: number, n: number): number {
  return Math.log((n + 20) / (df + 0.5));
}

/** Evidence that two articles report one event. */
export interface PairEvidence {
  /** Indexes of the two articles in the input, a < b. */
  a: number;
  b: number;
  /** Cosine of rarity-weighted key vectors. */
  keyCosine: number;
  /** Shared key weight over the smaller article's. */
  keyContainment: number;
  /** Shared specific keys (dates, amounts, percentages, numbers, names rare in the batch). */
  specific: number;
  /** Of those, shared dates, amounts, percentages and numbers (in at most 1% of the batch or 8 articles, counts below ten left out); and shared dates alone. */
  anchors: number;
  dates: number;
  /** Shared single names rare in the batch. */
  names: number;
  /** Cosine of content-word vectors; 0 for articles in different languages or whose keys disagree. */
  wordCosine: number;
  /** Share of the shorter text's shingles in the longer; 0 where wordCosine is not computed. */
  shingleContainment: number;
  shingleJaccard: number;
  /** Numbers after the same two words in both texts (same language only): the same number, or only different ones. */
  slotsAgree: number;
  slotsConflict: number;
  /** Names and numbers one text swaps for another in the same surrounding words (same language only). */
  swapped: number;
  /** One figure to order links by, strongest first, in [0, 1]. */
  score: number;
  linked: boolean;
  duplicate: boolean;
}

/** Blocking keys each article posts: its rarest keys shared with at least one other article. */
const BLOCKING_KEYS = 16;

/** Keys in more articles than this are not used to find candidates (they still count in the score). */
function blockingCap(n: number): number {
  return Math.max(30, Math.ceil(Math.sqrt(n) * 2));
}

/** A name is "specific" when at most this share of the batch (and at least 3 articles' worth) carries it. */
function specificCap(n: number): number {
  return Math.max(3, Math.ceil(n * 0.02));
}

/** An article's keys as parallel arrays sorted by key number, for merge-style intersection. */
interface KeyVector {
  ids: Int32Array;
  weights: Float64Array;
  /** Squared norm. */
  norm: number;
}

function norm(v: Map<string, number>): number {
  let s = 0;
  for (const w of v.values()) s += w * w;
  return s;
}

function wordVector(p: Prepared, df: Map<string, number>, n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, c] of p.words) out.set(k, (1 + Math.log(c)) * idf(df.get(k) ?? 1, n));
  return out;
}

/** Kinds as small numbers, indexed by key number, so the pair loop never touches strings. */
const ANCHOR = 1;
const DATE = 2;
const NAME = 4;
const PHRASE = 8;
const SMALL_COUNT = 16;

/**
 * Every candidate pair of a batch with its evidence: pairs that share a rare key or a sketch shingle,
 * and whose dates (when both have one) are within MAX_STORY_SPAN_MS. Exported for evaluation;
 * `linkedOnly` keeps only the pairs that link (what groupStories needs).
 */
export function comparePairs(items: readonly StoryInput[], params: StoryParams = DEFAULT_PARAMS, linkedOnly = false): PairEvidence[] {
  const prepared = items.map(prepare);
  const n = prepared.length;
  const keyDf = new Map<string, number>();
  const wordDf = new Map<string, number>();
  for (const p of prepared) {
    for (const k of p.keys.keys()) keyDf.set(k, (keyDf.get(k) ?? 0) + 1);
    for (const w of p.words.keys()) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
  }
  // Key numbers and per-key flags.
  const keyId = new Map<string, number>();
  for (const k of keyDf.keys()) keyId.set(k, keyId.size);
  const flags = new Uint8Array(keyId.size);
  const dfOf = new Int32Array(keyId.size);
  for (const [k, id] of keyId) {
    const kind = kindOf(k);
    dfOf[id] = keyDf.get(k)!;
    if (kind === 'date' || kind === 'amount' || kind === 'percent' || kind === 'number') flags[id]! |= ANCHOR;
    if (kind === 'date') flags[id]! |= DATE;
    if (kind === 'name') flags[id]! |= NAME;
    if (kind === 'phrase') flags[id]! |= PHRASE;
    // A count below ten ("three municipalities") is too common, and too often spelled out, to pin an event.
    if (kind === 'number' && /^\d$/.test(k.slice(2))) flags[id]! |= SMALL_COUNT;
  }
  const vectors: KeyVector[] = prepared.map((p) => {
    const entries = [...p.keys].map(([k, w]) => [keyId.get(k)!, w * idf(keyDf.get(k)!, n)] as const).sort((x, y) => x[0] - y[0]);
    const weights = Float64Array.from(entries, (e) => e[1]);
    return { ids: Int32Array.from(entries, (e) => e[0]), weights, norm: weights.reduce((s, w) => s + w * w, 0) };
  });

  // Candidates: postings of rare blocking keys and of sketch shingles.
  const cap = blockingCap(n);
  const postings = new Map<string, number[]>();
  const post = (key: string, i: number) => {
    const list = postings.get(key);
    if (list) list.push(i);
    else postings.set(key, [i]);
  };
  const posted: string[][] = prepared.map((p) => {
    // Each article posts only its rarest shared keys: two reports of one event share their rarest keys
    // (the date, the sum, the project's name), and the lists stay short however large the batch.
    const rare = [...p.keys.keys()]
      .filter((k) => BLOCKING_KINDS.has(kindOf(k)) && (keyDf.get(k) ?? 0) >= 2 && (keyDf.get(k) ?? 0) <= cap)
      .sort((x, y) => keyDf.get(x)! - keyDf.get(y)! || (x < y ? -1 : x > y ? 1 : 0))
      .slice(0, BLOCKING_KEYS);
    const keys = [...rare, ...p.sketch.map((h) => `s:${p.item.language}:${h}`)];
    for (const k of keys) post(k, p.index);
    return keys;
  });

  const specCap = specificCap(n);
  const anchorCap = Math.max(8, Math.ceil(n * 0.01));
  const wordVectors = new Map<number, { v: Map<string, number>; norm: number }>();
  const wordsOf = (i: number) => {
    let w = wordVectors.get(i);
    if (!w) {
      const v = wordVector(prepared[i]!, wordDf, n);
      w = { v, norm: norm(v) };
      wordVectors.set(i, w);
    }
    return w;
  };

  const out: PairEvidence[] = [];
  // seen[b] === a marks b as already compared with a, so each pair is compared once without a set of pairs.
  const seen = new Int32Array(n).fill(-1);
  for (let a = 0; a < n; a++) {
    for (const key of posted[a]!) {
      const list = postings.get(key)!;
      if (list.length > cap) continue;
      for (const b of list) {
        if (b <= a || seen[b] === a) continue;
        seen[b] = a;
        const evidence = comparePair(a, b);
        if (evidence && (!linkedOnly || evidence.linked)) out.push(evidence);
      }
    }
  }
  return out;

  function comparePair(a: number, b: number): PairEvidence | undefined {
    const pa = prepared[a]!;
    const pb = prepared[b]!;
    if (pa.time !== undefined && pb.time !== undefined && Math.abs(pa.time - pb.time) > MAX_STORY_SPAN_MS) return undefined;
    const va = vectors[a]!;
    const vb = vectors[b]!;
    let dot = 0;
    let specific = 0;
    let anchors = 0;
    let dates = 0;
    let names = 0;
    for (let x = 0, y = 0; x < va.ids.length && y < vb.ids.length; ) {
      const ix = va.ids[x]!;
      const iy = vb.ids[y]!;
      if (ix < iy) x++;
      else if (iy < ix) y++;
      else {
        dot += va.weights[x]! * vb.weights[y]!;
        const f = flags[ix]!;
        if (f & ANCHOR) {
          specific++;
          if (dfOf[ix]! <= anchorCap && !(f & SMALL_COUNT)) anchors++;
          if (f & DATE) dates++;
        } else if (f & (NAME | PHRASE) && dfOf[ix]! <= specCap) {
          specific++;
          if (f & NAME) names++;
        }
        x++;
        y++;
      }
    }
    const keyCosine = dot / Math.sqrt(va.norm * vb.norm || 1);
    const keyContainment = dot / (Math.min(va.norm, vb.norm) || 1);
    const sameLanguage = pa.item.language === pb.item.language;
    let wordCosine = 0;
    let shingleContainment = 0;
    let shingleJaccard = 0;
    // Wording and shingles only count beside agreeing keys (see byWords and duplicate below), so they are
    // computed only where the keys agree enough: most candidates of a large batch stop here.
    const keysAgree = va.norm === 0 && vb.norm === 0 ? 1 : keyCosine;
    if (sameLanguage && keysAgree >= Math.min(params.wordKeyCosine, params.duplicateKeys)) {
      const wa = wordsOf(a);
      const wb = wordsOf(b);
      let wdot = 0;
      for (const [k, w] of wa.v) {
        const w2 = wb.v.get(k);
        if (w2 !== undefined) wdot += w * w2;
      }
      wordCosine = wdot / Math.sqrt(wa.norm * wb.norm || 1);
      shingleContainment = containment(pa.shingles, pb.shingles);
      shingleJaccard = jaccard(pa.shingles, pb.shingles);
    }
    // Near-duplicates: most of either text is in the other; a teaser that is the first paragraph of a long article is not one.
    // A template filled in twice (one grant listing per municipality) shares the wording but not the names
    // and numbers, so a near-duplicate must also agree on its keys.
    const duplicateText = sameLanguage && shingleContainment >= params.duplicateContainment && shingleJaccard >= params.duplicateJaccard && keysAgree >= params.duplicateKeys;
    // Keys: similar enough overall with several specific keys shared, of which at least two anchors (or one
    // beside many shared rare names), because a programme name and a standard grant sum alone recur across
    // unrelated stories. Or, however long and name-rich the articles, three anchors with the same calendar
    // date and rare names in common: a translation of one report rarely shares more than that.
    const similar = keyCosine >= params.keyCosine || keyContainment >= params.keyContainment;
    // Names alone link a short teaser (no date, no figure) to the report it announces when most of what it
    // names — the event, the programme, the place, the organisers — is in the report.
    const byKeys =
      (specific >= params.minSpecific && similar && (anchors >= 2 || (anchors >= 1 && names >= 5))) ||
      (anchors >= 3 && dates >= 1 && names >= 2) ||
      (names >= params.namesAlone && keyContainment >= params.namesAloneContainment);
    // Words: one language's wording in common, with the keys agreeing too (shared wording alone is a template).
    const byWords = sameLanguage && specific >= Math.max(1, params.minSpecific - 1) && wordCosine >= params.wordCosine && keyCosine >= params.wordKeyCosine;
    const score = Math.max(keyCosine, Math.min(1, keyContainment * 0.8), wordCosine, shingleContainment);
    // Numbers that differ where the wording around them is the same: a template filled in for two events.
    // One such number undoes a near-duplicate; two undo any link. Checked only where it could matter.
    const checked = sameLanguage && (duplicateText || byKeys || byWords);
    const slots = checked ? slotAgreement(pa.slots, pb.slots) : { agree: 0, conflict: 0 };
    pa.facts ??= checked ? factWindows(pa.item.title, pa.item.text) : undefined;
    pb.facts ??= checked ? factWindows(pb.item.title, pb.item.text) : undefined;
    // Names or numbers swapped in otherwise identical wording ("Kaåsby skal samordne" / "Åsbyve skal samordne"):
    // a copy swaps none; two reports of one event rarely swap two.
    const swapped = checked ? swappedFacts(pa.facts!, pb.facts!) : 0;
    const template = slots.conflict > slots.agree;
    const duplicate = duplicateText && !template && swapped === 0;
    const conflicting = (template && slots.conflict >= 2) || swapped >= 2;
    return { a, b, keyCosine, keyContainment, specific, anchors, dates, names, wordCosine, shingleContainment, shingleJaccard, slotsAgree: slots.agree, slotsConflict: slots.conflict, swapped, score, linked: duplicate || (!conflicting && (byKeys || byWords)), duplicate };
  }
}

/** Share of a shorter text's shingles found in a longer one that makes the shorter a part of the longer. */
const PART_OF = 0.6;
/** A roundup's parts are sections of it: each at most this share of its length (a relay quotes most of a release). */
const SECTION_OF = 0.5;

/**
 * Drops the links of roundups: a newsletter issue or a weekly news page holds the text of several
 * stories, so it links to each of them while they do not link to one another, each a small section of
 * it. It reports no one event, and through it unrelated stories would chain into one; it stands alone.
 * Relays of one press release quote most of it (or the same first paragraph, and then link to each
 * other), so a release is not taken for a roundup.
 */
function withoutRoundups(items: readonly StoryInput[], pairs: PairEvidence[]): PairEvidence[] {
  const n = items.length;
  const size = (i: number) => items[i]!.title.length + items[i]!.text.length;
  const linked = new Set(pairs.map((p) => p.a * n + p.b));
  const parts = new Map<number, number[]>();
  for (const p of pairs) {
    if (p.shingleContainment < PART_OF) continue;
    const [whole, part] = size(p.a) >= size(p.b) ? [p.a, p.b] : [p.b, p.a];
    if (size(part) <= SECTION_OF * size(whole)) parts.set(whole, [...(parts.get(whole) ?? []), part]);
  }
  const roundups = new Set<number>();
  for (const [whole, held] of parts) {
    if (held.length < 2) continue;
    const apart = held.some((x, i) => held.slice(i + 1).some((y) => !linked.has(Math.min(x, y) * n + Math.max(x, y))));
    if (apart) roundups.add(whole);
  }
  return roundups.size ? pairs.filter((p) => !roundups.has(p.a) && !roundups.has(p.b)) : pairs;
}

/** Union-find over article indexes, with each root's group members. */
class Groups {
  private parent: number[];
  readonly members: number[][];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
    this.members = Array.from({ length: n }, (_, i) => [i]);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.members[ra]!.length < this.members[rb]!.length) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.members[ra]!.push(...this.members[rb]!);
    this.members[rb] = [];
    return ra;
  }
}

/**
 * One assignment per input. story: ids grouped together share one story id. Stable across runs: when members
 * already carry story ids, the group keeps the one most members carry (ties: the smallest); otherwise the id
 * of its earliest member (publishedAt, then id). A lone article's story is its own id (or its kept one).
 * duplicateOf: for a near-duplicate, the id of the earliest near-identical article (never itself; never a chain).
 *
 * @example
 * groupStories([swedishReport, englishReport, unrelated])
 * // → [{ id: 'sv-1', story: 'sv-1' }, { id: 'en-1', story: 'sv-1' }, { id: 'x', story: 'x' }]
 */
export function groupStories(items: readonly StoryInput[], params: StoryParams = DEFAULT_PARAMS): StoryAssignment[] {
  const n = items.length;
  const prepared = items.map((item, i) => ({ item, i, time: item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN }));
  const order = (i: number): [number, string] => [Number.isFinite(prepared[i]!.time) ? prepared[i]!.time : Number.POSITIVE_INFINITY, items[i]!.id];
  const cmp = (x: number, y: number) => {
    const [tx, ix] = order(x);
    const [ty, iy] = order(y);
    return tx !== ty ? tx - ty : ix < iy ? -1 : ix > iy ? 1 : 0;
  };
  const pairs = withoutRoundups(items, comparePairs(items, params, true));
  const linked = new Set(pairs.map((p) => p.a * n + p.b));

  // Time span of each group, so no merge makes a group wider than MAX_STORY_SPAN_MS.
  const span = prepared.map((p) => (Number.isFinite(p.time) ? [p.time, p.time] : undefined));
  const groups = new Groups(n);
  const spanOk = (ra: number, rb: number) => {
    const sa = span[ra];
    const sb = span[rb];
    return !sa || !sb || Math.max(sa[1]!, sb[1]!) - Math.min(sa[0]!, sb[0]!) <= MAX_STORY_SPAN_MS;
  };
  const join = (a: number, b: number) => {
    const ra = groups.find(a);
    const rb = groups.find(b);
    const sa = span[ra];
    const sb = span[rb];
    const r = groups.union(a, b);
    span[r] = sa && sb ? [Math.min(sa[0]!, sb[0]!), Math.max(sa[1]!, sb[1]!)] : (sa ?? sb);
  };

  // Near-duplicates first: they always share a story.
  const duplicates = new Groups(n);
  for (const p of pairs) {
    if (!p.duplicate) continue;
    const ra = groups.find(p.a);
    const rb = groups.find(p.b);
    if (ra !== rb && !spanOk(ra, rb)) continue;
    duplicates.union(p.a, p.b);
    join(p.a, p.b);
  }
  // Then story links, strongest first; two groups merge only when their pairs agree on average.
  for (const p of [...pairs].sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b)) {
    const ra = groups.find(p.a);
    const rb = groups.find(p.b);
    if (ra === rb || !spanOk(ra, rb)) continue;
    const ma = groups.members[ra]!;
    const mb = groups.members[rb]!;
    let links = 0;
    for (const x of ma) for (const y of mb) if (linked.has(Math.min(x, y) * n + Math.max(x, y))) links++;
    if (links / (ma.length * mb.length) < params.averageLink - 1e-9) continue;
    join(p.a, p.b);
  }

  const assignments: StoryAssignment[] = items.map((item) => ({ id: item.id, story: item.id }));
  // duplicateOf: every member of a near-duplicate set points at the set's earliest article.
  for (let r = 0; r < n; r++) {
    const set = duplicates.members[r]!;
    if (set.length < 2) continue;
    const first = [...set].sort(cmp)[0]!;
    for (const i of set) if (i !== first) assignments[i]!.duplicateOf = items[first]!.id;
  }

  // Story ids: a kept id where members carry one, else the earliest member's id; each id used by one group only.
  const roots = [...new Set(items.map((_, i) => groups.find(i)))];
  const used = new Set<string>();
  const claims: Array<{ root: number; id: string; votes: number }> = [];
  for (const root of roots) {
    const votes = new Map<string, number>();
    for (const i of groups.members[root]!) {
      const s = items[i]!.story;
      if (s) votes.set(s, (votes.get(s) ?? 0) + 1);
    }
    for (const [id, v] of votes) claims.push({ root, id, votes: v });
  }
  // An id goes to the group where most members carry it (an old story split in two keeps its id in the larger
  // part); ties go to the smallest id, then to the group with the earliest member.
  const byAge = new Map(roots.map((root) => [root, [...groups.members[root]!].sort(cmp)]));
  claims.sort((x, y) => y.votes - x.votes || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0) || cmp(byAge.get(x.root)![0]!, byAge.get(y.root)![0]!));
  const storyOf = new Map<number, string>();
  for (const c of claims) {
    if (storyOf.has(c.root) || used.has(c.id)) continue;
    storyOf.set(c.root, c.id);
    used.add(c.id);
  }
  for (const root of roots) {
    if (storyOf.has(root)) continue;
    const members = byAge.get(root)!;
    const id = members.map((i) => items[i]!.id).find((x) => !used.has(x)) ?? items[members[0]!]!.id;
    storyOf.set(root, id);
    used.add(id);
  }
  for (let i = 0; i < n; i++) assignments[i]!.story = storyOf.get(groups.find(i))!;
  return assignments;
}
