/**
 * A filtered output feed's title and the page it mirrors. Every filtered feed was titled "Regionradar"
 * and linked to `/`, so four subscriptions looked the same in a feed reader; the title now names the
 * filter ("Regionradar — Smart specialisation · nynorsk") and the home link is the same filter's page.
 */

/** The filter parameters a feed title names, as the API parses them. */
export interface TitledFilter {
  theme?: string[];
  lang?: string[];
  region?: string[];
  country?: string[];
  source?: string[];
  type?: string[];
  q?: string;
  status?: string;
}

/** Names for the values of a filter, in English for now (the interface languages come with the pages). */
export interface FilterNames {
  theme(id: string): string;
  region(code: string): string;
  source(id: string): string;
}

/** Language names as a reader of regional-development news says them: bokmål and nynorsk rather than "Norwegian Bokmål". */
const LANGUAGE_NAMES: Record<string, string> = {
  nob: 'bokmål',
  nno: 'nynorsk',
  swe: 'Swedish',
  dan: 'Danish',
  fin: 'Finnish',
  eng: 'English',
  isl: 'Icelandic',
  sme: 'Northern Sami',
  fao: 'Faroese',
  und: 'undetermined language',
};

const TYPE_NAMES: Record<string, string> = { consultation: 'consultations' };

/**
 * "Regionradar", then each filter field's values (alternatives joined by " or "), fields joined by " · ".
 *
 * @example
 * feedTitle({ theme: ['smart-specialisation'], lang: ['nno'] }, names); // "Regionradar — Smart specialisation · nynorsk"
 */
export function feedTitle(f: TitledFilter, names: FilterNames): string {
  const either = (values: string[] | undefined, name: (v: string) => string) => (values?.length ? [values.map(name).join(' or ')] : []);
  const parts = [
    ...either(f.theme, names.theme),
    ...either(f.lang, (l) => LANGUAGE_NAMES[l] ?? l),
    ...either(f.region, names.region),
    ...either(f.country, (c) => c),
    ...either(f.source, names.source),
    ...either(f.type, (t) => TYPE_NAMES[t] ?? t),
    ...(f.status === 'open' ? ['open for comment'] : []),
    ...(f.q ? [`“${f.q}”`] : []),
  ];
  return parts.length ? `Regionradar — ${parts.join(' · ')}` : 'Regionradar';
}

/** Parameters that page or size a feed; the page a feed mirrors has the filter without them. */
const NOT_FILTERS = new Set(['limit', 'cursor']);

/**
 * The human page showing the same filter as a feed's query: `/?theme=…&lang=…`.
 *
 * @example
 * homeUrl('https://radar.example', new URLSearchParams('theme=smart-specialisation&limit=50')); // "https://radar.example/?theme=smart-specialisation"
 */
export function homeUrl(base: string, query: URLSearchParams): string {
  const kept = new URLSearchParams([...query].filter(([k]) => !NOT_FILTERS.has(k)));
  const search = kept.toString();
  return `${base}/${search ? `?${search}` : ''}`;
}
