import type { Settings } from 'meilisearch';
import type { SynonymIndex } from '../../search/analyze.js';
import { MAX_SEARCH_HITS } from '../port.js';

/** Facets the search API counts, as document fields. */
export const FACET_FIELDS = { themes: 'themeIds', languages: 'language', sources: 'sourceIds', countries: 'countries' } as const;

/**
 * The index settings Regionradar needs, made from config: title before summary before content (folded
 * words and stems of each), the list filters as filterable fields, the two list orders as sortable
 * ones, and the theme taxonomy's terms, as folded stems, as synonyms of one another in all six
 * languages. `sort` comes first among the ranking rules so that a sorted list (the feed with a query)
 * is in date order; ranked search sends no sort and is ranked by relevance, newest first on ties.
 * `attribute` comes right after `words`: a word in the title outranks a word in the body however it
 * was matched (the field weights of the embedded store).
 */
export function indexSettings(synonyms: SynonymIndex): Settings {
  const synonymMap: Record<string, string[]> = {};
  for (const [term, phrases] of synonyms.byTerm) {
    const others = phrases.map((p) => p.join(' ')).filter((p) => p !== term);
    if (others.length) synonymMap[term] = others.sort();
  }
  return {
    searchableAttributes: ['title_f', 'title_s', 'summary_f', 'summary_s', 'content_f', 'content_s'],
    displayedAttributes: ['id', 'article', 'contentHash', 'seen'],
    filterableAttributes: [
      { attributePatterns: ['themeIds', 'language', 'sourceIds', 'countries', 'regionCodes', 'documentType', 'story', 'duplicateOf'], features: { facetSearch: false, filter: { equality: true, comparison: false } } },
      { attributePatterns: ['publishedTs', 'deadlineTs', 'storedTs', 'key'], features: { facetSearch: false, filter: { equality: true, comparison: true } } },
    ],
    sortableAttributes: ['deadlineTs', 'key', 'publishedTs'],
    rankingRules: ['sort', 'words', 'attribute', 'proximity', 'exactness', 'publishedTs:desc'],
    faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits: MAX_SEARCH_HITS },
    // Folding and stems already meet the spellings users type; typo tolerance on top would let "Tromso" find
    // "Troms" (another place), and make the engines answer the same query differently.
    typoTolerance: { enabled: false },
    synonyms: synonymMap,
  };
}

/** Canonical JSON: object keys sorted, so that settings compare by content. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The names of the wanted settings that the index does not have (as Meilisearch reports them back). */
export function settingsDiff(wanted: Settings, actual: Settings): string[] {
  const norm = (key: string, v: unknown): string => {
    if (key === 'synonyms' && v && typeof v === 'object') {
      return canonical(Object.fromEntries(Object.entries(v as Record<string, string[]>).map(([k, vs]) => [k, [...vs].sort()])));
    }
    if (key === 'sortableAttributes' && Array.isArray(v)) return canonical([...v].sort());
    return canonical(v);
  };
  return Object.keys(wanted).filter((k) => {
    const want = (wanted as Record<string, unknown>)[k];
    const have = (actual as Record<string, unknown>)[k];
    // Meilisearch reports nested settings whole; only the parts we set are compared.
    if (want && typeof want === 'object' && !Array.isArray(want) && have && typeof have === 'object' && k !== 'synonyms') {
      return Object.keys(want).some((sub) => norm(k, (want as Record<string, unknown>)[sub]) !== norm(k, (have as Record<string, unknown>)[sub]));
    }
    return norm(k, want) !== norm(k, have);
  });
}
