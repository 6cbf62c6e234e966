/**
 * Stems of Finnish place names for case endings. "Turku" is "Turussa", "Lahti" "Lahdessa", "Keski-Suomi"
 * "Keski-Suomessa", "Lappeenranta" "Lappeenrannassa", "Helsinki" "Helsingissä": the stem before the ending
 * takes the weak grade of its last consonant (consonant gradation) and a final -i often becomes -e. The
 * tagger adds these stems beside the name; an ending of up to five letters then follows either.
 */

const VOWEL = /[aeiouyäö]/i;

/** Strong grade → weak grade of the consonant(s) before a stem's last vowel. */
const GRADATION: Array<[RegExp, string]> = [
  [/kk$/, 'k'],
  [/pp$/, 'p'],
  [/tt$/, 't'],
  [/nk$/, 'ng'],
  [/nt$/, 'nn'],
  [/lt$/, 'll'],
  [/rt$/, 'rr'],
  [/mp$/, 'mm'],
  [/ht$/, 'hd'],
  [/lk$/, 'l'],
  [/rk$/, 'r'],
  [/hk$/, 'h'],
  [/([aeiouyäö])k$/, '$1'],
  [/([aeiouyäö])t$/, '$1d'],
  [/([aeiouyäö])p$/, '$1v'],
];

/** The stems a Finnish name takes before case endings, the name itself not included. Only the last word changes. */
export function finnishStems(name: string): string[] {
  const m = /^(.*?)([^\s-]+)$/u.exec(name);
  if (!m) return [];
  const [, head, word] = m as unknown as [string, string, string];
  if (word.length < 4 || !VOWEL.test(word.at(-1)!)) return [];
  const last = word.at(-1)!;
  const body = word.slice(0, -1);
  const bodies = new Set([body]);
  for (const [strong, weak] of GRADATION) {
    if (strong.test(body)) {
      bodies.add(body.replace(strong, weak));
      break;
    }
  }
  // A final -i after a consonant often turns -e before endings (Suomi → Suome-, Lahti → Lahde-), and often
  // stays (Helsinki → Helsingi-, Lappi → Lapi-): both are kept.
  const finals = last === 'i' && !VOWEL.test(body.at(-1) ?? '') ? ['i', 'e'] : [last];
  const stems = new Set<string>();
  for (const b of bodies) for (const f of finals) stems.add(`${head}${b}${f}`);
  stems.delete(name);
  return [...stems].filter((s) => s.length >= 4);
}
