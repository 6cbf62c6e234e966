import type { RegionTag } from '../../model/tags.js';
import type { Gazetteer } from './schema.js';

/** Letters an inflected name may carry after it: genitive -s, definite and case endings ("Pohjois-Karjalassa"). */
const MAX_SUFFIX = 5;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface RegionTagger {
  (text: string): RegionTag[];
}

/**
 * Regions named in a text, from the gazetteer in config/regions.yaml. One regular expression holds
 * every name, longest first, so "Västra Götaland" wins over a shorter overlapping name and the text
 * is read once. Names match with their capital letter and up to five letters of inflection, and
 * never inside a longer word ("Nordlandsforskning" names an institute, not the county).
 */
export function createRegionTagger(gazetteer: Gazetteer): RegionTagger {
  const byName = new Map<string, Gazetteer[number]>();
  for (const region of gazetteer) for (const name of region.names) byName.set(name, region);
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${names.map(escapeRegExp).join('|')})(\\p{Ll}{0,${MAX_SUFFIX}})(?![\\p{L}\\p{N}])`, 'gu');
  const excludes = gazetteer.flatMap((r) => r.exclude);
  const excludePattern = excludes.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${excludes.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu') : undefined;

  return (text) => {
    const readable = excludePattern ? text.replace(excludePattern, (m) => ' '.repeat(m.length)) : text;
    const found = new Map<string, RegionTag>();
    for (const m of readable.matchAll(pattern)) {
      const region = byName.get(m[1]!)!;
      const tag = found.get(region.code) ?? { code: region.code, name: region.names[0]!, terms: [] };
      if (!tag.terms.includes(m[0])) tag.terms.push(m[0]);
      found.set(region.code, tag);
    }
    return [...found.values()];
  };
}

/** The countries of an article: its source's, and those of the regions it names. */
export function countriesOf(sourceCountry: string | undefined, regions: readonly RegionTag[]): string[] {
  const out = new Set<string>();
  if (sourceCountry) out.add(sourceCountry);
  for (const r of regions) out.add(r.code.slice(0, 2));
  return [...out];
}
