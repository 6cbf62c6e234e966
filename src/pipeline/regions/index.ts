import type { RegionTag } from '../../model/tags.js';
import { finnishStems } from './finnish.js';
import type { Gazetteer } from './schema.js';

/**
 * The endings an inflected name may carry — inflection only, never the rest of a compound or a
 * derived word ("Vestfoldbanen" is a railway, "Solavågen" a harbour, "Lahtela" and "Turunen" surnames):
 * - the Scandinavian and English genitive -s ("Trøndelags", "Västerbottens", "Fyns");
 * - Finnish case endings and clitics, which Finnish text puts on every name, its own and foreign ones
 *   ("Pohjois-Karjalassa", "Ouluun", "Tampereella", "Kainuuseen", "Oslossa"), after a vowel directly or
 *   with the vowel lengthened, and after a consonant through -i- ("Bergenissä", "Norrbottenin");
 * - for Icelandic names, the genitive and dative endings ("Suðurlandi", "Reykjavíkur").
 */
const FI_CASE = '(?:n|a|ä|ta|tä|tta|ttä|na|nä|ksi|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|seen|hin|h[aeiouyäö]n)';
const FI_AFTER_VOWEL = `(?:[aeiouyäö]?${FI_CASE}(?:kin|kaan|kään)?|kin|kaan|kään)`;
const END = '(?![\\p{L}\\p{N}])';
const ENDINGS = {
  vowel: new RegExp(`^(?:s|${FI_AFTER_VOWEL})?${END}`, 'u'),
  consonant: new RegExp(`^(?:s|i${FI_AFTER_VOWEL})?${END}`, 'u'),
  icelandic: new RegExp(`^(?:s|i|ar|ur|um)?${END}`, 'u'),
};
/** Characters after a name read for its ending: the longest is a linking vowel, a case ending and a clitic. */
const MAX_SUFFIX = 10;

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
 * a shorter overlapping name and the text is read once. Names match with their capital letter and an
 * inflectional ending (ENDINGS), and never inside a longer word ("Nordlandsforskning" names an institute,
 * not the county). A capital counts only where it is not merely the seat of a national body.
 *
 * A region must also be a subject of the text, not a passing mention: one named only once, outside the
 * headline (the text's first line), is dropped when the headline names another region, and a capital
 * named so is dropped in any case. A text of a single line is all headline, so nothing is dropped there.
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
  // Icelandic names take Icelandic endings and, in Finnish text, Finnish ones.
  const endingsOf = new Map<string, RegExp[]>();
  for (const [form, { region }] of byName) {
    const general = /[aeiouyäöåøæéáíóúý]$/i.test(form) ? ENDINGS.vowel : ENDINGS.consonant;
    endingsOf.set(form, region.country === 'IS' ? [ENDINGS.icelandic, general] : [general]);
  }
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
          // Most names stand uninflected: only a letter after one calls for the endings.
          if (!isWordChar(text[at + form.length])) {
            found = { form, suffix: '' };
            break;
          }
          const after = text.slice(at + form.length, at + form.length + MAX_SUFFIX + 1);
          const suffix = endingsOf
            .get(form)!
            .map((ending) => ending.exec(after)?.[0])
            .find((s) => s !== undefined);
          if (suffix !== undefined) {
            found = { form, suffix };
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
    // Every caller puts the headline on the first line ("title\nsummary\nbody"); a text of one line is all headline.
    const newline = readable.indexOf('\n');
    const titleEnd = newline < 0 ? readable.length : newline;
    const found = new Map<string, RegionTag & { byCapital: boolean; mentions: number; inTitle: boolean }>();
    for (const m of matches(readable)) {
      const { region, kind } = byName.get(m.form)!;
      if (kind === 'capital' && isSeat(readable, m.at)) continue;
      const tag = found.get(region.code) ?? { code: region.code, name: region.names[0]!, terms: [], byCapital: true, mentions: 0, inTitle: false };
      if (!tag.terms.includes(m.matched)) tag.terms.push(m.matched);
      tag.byCapital &&= kind === 'capital';
      tag.mentions++;
      tag.inTitle ||= m.at < titleEnd;
      found.set(region.code, tag);
    }
    const tags = [...found.values()];
    // Capitals of three or more countries ("in Oslo, Stockholm and Helsinki") make a Nordic story, not a regional one.
    const capitalCountries = new Set(tags.filter((t) => t.byCapital).map((t) => t.code.slice(0, 2)));
    const nordicWide = capitalCountries.size >= 3;
    const headlined = tags.filter((t) => t.inTitle);
    const passing = (t: (typeof tags)[number]) =>
      t.mentions === 1 &&
      !t.inTitle &&
      // The headline names another region: one named once below it is context — a comparison, a route's
      // other end, a partner or an opponent, an example — not what the story is about.
      (headlined.some((h) => h !== t) ||
        // A capital named once only in passing is where national things happen — where a report was
        // published, a minister spoke, people move to — rarely what a story is about.
        t.byCapital);
    return tags.filter((t) => !(nordicWide && t.byCapital) && !passing(t)).map(({ byCapital: _, mentions: _m, inTitle: _t, ...tag }) => tag);
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
