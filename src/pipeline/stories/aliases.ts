/**
 * One key for names that each language spells its own way: Nordic countries and cities with exonyms
 * ("Uleåborg" = "Oulu", "Tukholma" = "Stockholm"), and the Nordic and EU bodies that regional news
 * names in every language ("Nordiska ministerrådet", "Pohjoismaiden ministerineuvosto", "Nordic Council
 * of Ministers"). Without them a Finnish and a Swedish report of one event share few names. The list is
 * deliberately short: names every article in the region spells alike need no entry.
 */

/** Canonical key → spellings, folded as `foldName` folds (lower case, accents and rings dropped: å → a, ö → o; ø and æ stay). */
const NAME_ALIASES: Record<string, string[]> = {
  norway: ['norway', 'norge', 'noreg', 'norja', 'norges', 'norwegian', 'norsk', 'norska', 'norske', 'norjan'],
  sweden: ['sweden', 'sverige', 'ruotsi', 'ruotsin', 'sveriges', 'swedish', 'svensk', 'svenska', 'svenske'],
  denmark: ['denmark', 'danmark', 'tanska', 'tanskan', 'danmarks', 'danish', 'dansk', 'danska', 'danske'],
  finland: ['finland', 'suomi', 'suomen', 'finlands', 'finnish', 'finsk', 'finska', 'finske'],
  iceland: ['iceland', 'island', 'islanti', 'islannin', 'islands', 'icelandic'],
  nordic: ['nordic', 'nordisk', 'nordiska', 'nordiske', 'pohjoismaiden', 'pohjoismaat', 'pohjoismainen', 'norden'],
  europe: ['europe', 'europa', 'eurooppa', 'euroopan', 'european', 'europeisk', 'europeiska', 'europeiske', 'europaeisk', 'europaeiske', 'eu'],
  stockholm: ['stockholm', 'tukholma'],
  copenhagen: ['copenhagen', 'kobenhavn', 'københavn', 'kopenhamn', 'koopenhamina'],
  helsinki: ['helsinki', 'helsingfors'],
  turku: ['turku', 'abo'],
  oulu: ['oulu', 'uleaborg'],
  lulea: ['lulea', 'luulaja'],
  umea: ['umea', 'uumaja'],
  vaasa: ['vaasa', 'vasa'],
  tornio: ['tornio', 'tornea'],
  tampere: ['tampere', 'tammerfors'],
  gothenburg: ['gothenburg', 'goteborg', 'gøteborg'],
  brussels: ['brussels', 'bryssel', 'brussel', 'bruxelles'],
  tromso: ['tromsø', 'tromso', 'tromssa'],
  reykjavik: ['reykjavik'],
  lapland: ['lapland', 'lappland', 'lappi', 'lapin'],
  sapmi: ['sapmi', 'sameland', 'saamelaisalue'],
};

/** Phrases (folded, lower case) that name one body; matched anywhere in the text, capitalised or not. */
export const PHRASE_ALIASES: Array<[RegExp, string]> = [
  [/\bnordic council of ministers|\bnordisk(?:e)? ministerr[aå]d|\bnordiska ministerr[aå]det|\bpohjoismaiden ministerineuvosto/u, 'nordic-council-of-ministers'],
  [/\bnordic council\b(?! of)|\bnordisk r[aå]d\b|\bnordiska r[aå]det|\bpohjoismaiden neuvosto/u, 'nordic-council'],
  [/\beuropean commission|\beu[- ]?kommisjonen|\beu[- ]?kommissionen|\beuropakommisjonen|\beuropa-kommissionen|\beuropeiska kommissionen|\beuroopan komissio|\beu:n komissio/u, 'european-commission'],
  [/\beuropean parliament|\beuropaparlamentet|\beuropaparlament|\beuroopan parlamentti|\beuroparlamentti/u, 'european-parliament'],
  [/\beuropean regional development fund|\berdf\b|\beakr\b|\beruf\b|\bregionalfond|\bregionale udviklingsfond|\baluekehitysrahasto/u, 'erdf'],
];

const CANONICAL = new Map<string, string>();
for (const [key, spellings] of Object.entries(NAME_ALIASES)) for (const s of spellings) CANONICAL.set(s, key);

/** The canonical key of a folded name, when it has one. */
export function canonicalName(folded: string): string | undefined {
  return CANONICAL.get(folded);
}
