import type { RegionTag } from '../../model/tags.js';
import { finnishStems } from './finnish.js';
import type { Gazetteer } from './schema.js';

/** Letters an inflected name may carry after it: genitive -s, definite and case endings ("Pohjois-Karjalassa"). */
const MAX_SUFFIX = 5;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The spelling of a name in text that cannot write Nordic letters ("Tromso", "Skane", "Sjaelland"). */
const FOLD: Record<string, string> = { æ: 'ae', Æ: 'Ae', ø: 'o', Ø: 'O', å: 'a', Å: 'A', ä: 'a', Ä: 'A', ö: 'o', Ö: 'O', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', é: 'e', á: 'a', í: 'i', ó: 'o', ú: 'u', ý: 'y', ü: 'u' };
const folded = (name: string) => name.replace(/[æøåäöðþéáíóúýüÆØÅÄÖÐÞ]/g, (c) => FOLD[c] ?? c);

/**
 * Words that name a national body (ministries, agencies, parliaments, head offices) in the six
 * languages: a capital within a few words after one is its seat ("Kommunal- og distriktsdepartementet
 * i Oslo", "the ministry in Helsinki", "Tillväxtverket i Stockholm"), not the subject.
 */
const NATIONAL_BODY =
  /(departement\w*|ministeri\w*|ministry|ministries|minister\w*|regjering\w*|regering\w*|government|storting\w*|riksdag\w*|folketing\w*|eduskun\w*|parliament|direktorat\w*|directorate|myndighet\w*|myndighed\w*|authority|agency|agencies|virasto\w*|\w+verket|\w+styrelsen|\w+rådet|\w+kontoret|headquarters|hovedkontor\w*|huvudkontor\w*|pääkonttori\w*|secretariat|sekretariat\w*|embassy|ambassad\w*|suurlähetystö\w*)$/iu;
/** The city's or region's own bodies ("byrådet", "kommunestyret", "regionrådet") are local, not national. */
const LOCAL_BODY = /^(by|bystyre|kommun|fylke|region|lands|stads|kaupung|kunnan|maakun|city|municipal|county)/i;
/** Characters before a capital read for a national body naming it as its seat. */
const SEAT_WINDOW = 60;

export interface RegionTagger {
  (text: string): RegionTag[];
}

type Kind = 'name' | 'place' | 'capital';

/**
 * Regions named in a text, from the gazetteer in config/regions.yaml: the regions' names in every
 * language, and the municipalities, towns and areas that stand for them. Every form — the names, their
 * spelling without Nordic letters, and for Finland the stems Finnish case endings attach to
 * ("Turussa", "Keski-Suomessa") — is tried at each word, longest first, so "Västra Götaland" wins over
 * a shorter overlapping name and the text is read once. Names match with their capital letter and up to
 * five letters of inflection, and never inside a longer word ("Nordlandsforskning" names an institute,
 * not the county). A capital counts only where it is not merely the seat of a national body.
 */
export function createRegionTagger(gazetteer: Gazetteer): RegionTagger {
  const byName = new Map<string, { region: Gazetteer[number]; kind: Kind }>();
  const add = (name: string, region: Gazetteer[number], kind: Kind) => {
    // Short names stay as written: folded, "Møn" would be the Finnish word "moni".
    const forms = [name, ...(name.length >= 5 ? [folded(name)] : []), ...(region.country === 'FI' ? finnishStems(name) : [])];
    // A region's own name beats a place of the same spelling elsewhere, and a capital is always judged
    // as one (Oslo is a county's name too); otherwise the first listed wins.
    for (const form of forms) {
      const had = byName.get(form);
      if (!had || kind === 'capital' || (kind === 'name' && had.kind === 'place')) byName.set(form, { region, kind });
    }
  };
  for (const region of gazetteer) for (const name of region.names) add(name, region, 'name');
  for (const region of gazetteer) for (const name of region.capital) add(name, region, 'capital');
  for (const region of gazetteer) for (const name of region.places) add(name, region, 'place');
  // Forms bucketed by the first four letters of their first word, longest first: a text is read word by
  // word, and only a word that opens a bucket is compared (a regular expression of four thousand
  // alternatives, tried at every position of the text, was ten times slower).
  const keyOf = (word: string) => word.slice(0, 4);
  const buckets = new Map<string, string[]>();
  for (const form of [...byName.keys()].sort((a, b) => b.length - a.length)) {
    const key = keyOf(/^[\p{L}\p{N}]+/u.exec(form)?.[0] ?? form);
    buckets.set(key, [...(buckets.get(key) ?? []), form]);
  }
  const ending = new RegExp(`^\\p{Ll}{0,${MAX_SUFFIX}}(?![\\p{L}\\p{N}])`, 'u');
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  // Every form starts with a capital letter: only those positions are looked at.
  const capital = /[A-ZÀ-ÖØ-ÞĀ-Ž]/g;
  const matches = function* (text: string): Generator<{ form: string; at: number; matched: string; suffix: string }> {
    capital.lastIndex = 0;
    for (let m = capital.exec(text); m; m = capital.exec(text)) {
      const at = m.index;
      if (isWordChar(text[at - 1])) continue;
      let end = at + 1;
      while (end < at + 4 && isWordChar(text[end])) end++;
      // A form whose first word is shorter than four letters is keyed by all of it ("Fyn" in "Fyns").
      let found: { form: string; suffix: string } | undefined;
      for (let k = end; k >= at + 2 && !found; k--) {
        for (const form of buckets.get(text.slice(at, k)) ?? []) {
          if (!text.startsWith(form, at)) continue;
          const suffix = ending.exec(text.slice(at + form.length, at + form.length + MAX_SUFFIX + 1));
          if (suffix) {
            found = { form, suffix: suffix[0] };
            break;
          }
        }
      }
      if (!found) continue;
      yield { form: found.form, at, matched: found.form + found.suffix, suffix: found.suffix };
      capital.lastIndex = at + found.form.length + found.suffix.length;
    }
  };

  const excludes = gazetteer.flatMap((r) => r.exclude);
  const excludePattern = excludes.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${excludes.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu') : undefined;

  return (text) => {
    const readable = excludePattern ? text.replace(excludePattern, (m) => ' '.repeat(m.length)) : text;
    const found = new Map<string, RegionTag & { byCapital: boolean }>();
    for (const m of matches(readable)) {
      const { region, kind } = byName.get(m.form)!;
      if (kind === 'capital' && isSeat(readable, m.at)) continue;
      // Finnish surnames are place names plus -nen (Turunen, Porinen): no case ending looks like that.
      if (region.country === 'FI' && m.suffix === 'nen') continue;
      const tag = found.get(region.code) ?? { code: region.code, name: region.names[0]!, terms: [], byCapital: true };
      if (!tag.terms.includes(m.matched)) tag.terms.push(m.matched);
      tag.byCapital &&= kind === 'capital';
      found.set(region.code, tag);
    }
    // Capitals of three or more countries ("in Oslo, Stockholm and Helsinki") make a Nordic story, not a regional one.
    const capitalCountries = new Set([...found.values()].filter((t) => t.byCapital).map((t) => t.code.slice(0, 2)));
    const nordicWide = capitalCountries.size >= 3;
    return [...found.values()].filter((t) => !(nordicWide && t.byCapital)).map(({ byCapital: _, ...tag }) => tag);
  };
}

/** The capital at `at` follows a national body's name closely: "departementet i Oslo", "ministry in Helsinki", "Oslo-based". */
function isSeat(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - SEAT_WINDOW), at);
  // The last few words before the city, up to a sentence end.
  const clause = before.split(/[.!?;:\n]/).at(-1) ?? '';
  const words = clause.trim().split(/[\s,()«»"“”]+/).filter(Boolean);
  const preposition = /^(i|in|på|pa|í|at|from|frå|fra|från|ved|vid|hos)$/i;
  if (words.length && preposition.test(words.at(-1)!)) {
    return words.slice(-6, -1).some((w) => NATIONAL_BODY.test(w) && !LOCAL_BODY.test(w));
  }
  return /^-?(based|baserte?|baserade?|sidottu)/i.test(text.slice(at).replace(/^\p{L}+/u, ''));
}

/** The countries of an article: its source's, and those of the regions it names. */
export function countriesOf(sourceCountry: string | undefined, regions: readonly RegionTag[]): string[] {
  const out = new Set<string>();
  if (sourceCountry) out.add(sourceCountry);
  for (const r of regions) out.add(r.code.slice(0, 2));
  return [...out];
}
