/**
 * Dates as feeds write them → epoch milliseconds, or undefined when the string cannot be read.
 * JavaScript's Date.parse is no help here: it guesses at nonsense ("1:2:3:4", day 99) and rejects
 * common feed forms (named zones like CEST, two-digit years, ISO week forms). A date without a zone
 * is read as UTC. The forms follow feedparser's date tests: RFC 822 and its variants, W3CDTF/ISO
 * 8601, asctime, Perforce, and the Greek, Hungarian and Korean forms real feeds carry.
 */

const MONTHS: Record<string, number> = {};
// English first, then the Nordic spellings (Norwegian, Swedish, Danish share most) and Hungarian.
const MONTH_NAMES: string[][] = [
  ['jan', 'january', 'januar', 'januari', 'janvier', 'január', 'tammikuu', 'tammi'],
  ['feb', 'february', 'februar', 'februari', 'február', 'helmikuu', 'helmi'],
  ['mar', 'march', 'mars', 'marts', 'március', 'maaliskuu', 'maalis'],
  ['apr', 'april', 'apríl', 'április', 'huhtikuu', 'huhti'],
  ['may', 'mai', 'maj', 'május', 'toukokuu', 'touko'],
  ['jun', 'june', 'juni', 'június', 'kesäkuu', 'kesä'],
  ['jul', 'july', 'juli', 'július', 'heinäkuu', 'heinä'],
  ['aug', 'august', 'augusti', 'augusztus', 'elokuu', 'elo'],
  ['sep', 'sept', 'september', 'szeptember', 'syyskuu', 'syys'],
  ['oct', 'october', 'okt', 'oktober', 'október', 'lokakuu', 'loka'],
  ['nov', 'november', 'november', 'marraskuu', 'marras'],
  ['dec', 'december', 'des', 'desember', 'december', 'joulukuu', 'joulu'],
];
MONTH_NAMES.forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

/** Greek abbreviations (one feed test and real Greek blogs) → English, so the RFC 822 reader takes them. */
const GREEK: Record<string, string> = {
  Κυρ: 'Sun', Δευ: 'Mon', Τρι: 'Tue', Τετ: 'Wed', Πεμ: 'Thu', Παρ: 'Fri', Σαβ: 'Sat',
  Ιαν: 'Jan', Φεβ: 'Feb', Μαρ: 'Mar', Μάρ: 'Mar', Απρ: 'Apr', Μάι: 'May', Μαϊ: 'May', Μαι: 'May', Μάϊ: 'May',
  Ιούν: 'Jun', Ιον: 'Jun', Ιούλ: 'Jul', Ιολ: 'Jul', Αύγ: 'Aug', Αυγ: 'Aug', Σεπ: 'Sep', Οκτ: 'Oct', Νοέ: 'Nov', Νοε: 'Nov', Δεκ: 'Dec',
};

/** Zone names feeds use, in minutes east of UTC. One-letter US zones (AT, ET …) are how some old feeds wrote them. */
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, 'etc/gmt': 0, 'etc/utc': 0, wet: 0, bst: 60, west: 60, cet: 60, met: 60, mez: 60,
  cest: 120, mest: 120, mesz: 120, eet: 120, eest: 180, msk: 180,
  at: -240, ast: -240, adt: -180, et: -300, est: -300, edt: -240, ct: -360, cst: -360, cdt: -300,
  mt: -420, mst: -420, mdt: -360, pt: -480, pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600,
  kst: 540, jst: 540,
};

/** "+0200", "-01:01", "+02", "GMT-01:01", "CEST" → minutes east of UTC; NaN when it is no zone. */
function zoneOffset(zone: string | undefined): number {
  if (!zone) return 0;
  const z = zone.trim().toLowerCase();
  if (z in ZONES) return ZONES[z]!;
  const m = /^(?:gmt|utc|ut)?([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!m) return NaN;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 23 || minutes > 59) return NaN;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function monthNumber(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  return MONTHS[n];
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length > 2) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

/** Builds the instant after checking every field's range; a date that rolls over (31 Feb) is refused. */
function instant(year: number, month: number, day: number, h = 0, mi = 0, s = 0, offsetMinutes = 0): number | undefined {
  if (!Number.isFinite(offsetMinutes) || year < 1 || year > 9999) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, mi, Math.min(s, 59), 0);
  if (d.getUTCDate() !== day) return undefined;
  const ms = d.getTime() - offsetMinutes * 60_000;
  return ms;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`;
const ZONE = String.raw`([A-Za-z]{1,5}|Etc/GMT|(?:GMT|UTC|UT)?[+-]\d{2}:?\d{2}|[+-]\d{2})`;

const RFC822 = new RegExp(String.raw`^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})\s+([A-Za-zÀ-ž]{3,10})\.?,?\s+(\d{2}|\d{4})(?:\s+${TIME})?(?:\s*${ZONE})?$`);
const ASCTIME = new RegExp(String.raw`^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{4})\s+${TIME}|${TIME}(?:\s+${ZONE})?\s+(\d{4}))(?:\s+${ZONE})?$`);
const PERFORCE = new RegExp(String.raw`^(?:[A-Za-z]{3},\s*)?(\d{4})/(\d{2})/(\d{2})\s+${TIME}(?:\s+${ZONE})?$`);
const W3CDTF = new RegExp(String.raw`^(\d{4})(?:-(\d{2,3})(?:-(\d{2}))?)?(?:[T ]${TIME}(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?$`, 'i');
const W3CDTF_MONTH_NAME = new RegExp(String.raw`^(\d{4})-([^\d\s-]+)-(\d{1,2})T${TIME}(Z|[+-]\d{2}:?\d{2})?$`, 'i');
const ISO_SHORT: Array<[RegExp, (m: RegExpExecArray) => number | undefined]> = [
  [/^(\d{2})-(\d{2})-(\d{2})$/, (m) => instant(fullYear(m[1]!), Number(m[2]), Number(m[3]))], // YY-MM-DD
  [/^(\d{2})(\d{2})(\d{2})$/, (m) => instant(fullYear(m[1]!), Number(m[2]), Number(m[3]))], // YYMMDD
  [/^-(\d{2})-?(\d{2})$/, (m) => instant(fullYear(m[1]!), Number(m[2]), 1)], // -YY-MM, -YYMM
];
const KOREAN_NATE = /^(\d{4})-(\d{2})-(\d{2})\s+(오전|오후)\s+(\d{1,2}):(\d{2}):(\d{2})$/;
const KOREAN_ONBLOG = /^(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일\s+(\d{1,2}):(\d{2}):(\d{2})$/;
const KST = 540;

export function parseFeedDate(input: string): number | undefined {
  let value = input.trim().replace(/\s+/g, ' ');
  if (!value) return undefined;
  if (/[\u0370-\u03ff]/.test(value)) value = value.replace(/[\u0370-\u03ff]+/g, (w) => GREEK[w] ?? w);
  let m: RegExpExecArray | null;

  if ((m = W3CDTF.exec(value))) {
    const [, y, mo, d, h, mi, s, zone] = m;
    return instant(Number(y), mo ? Number(mo) : 1, d ? Number(d) : 1, h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0, zoneOffset(zone));
  }
  if ((m = RFC822.exec(value))) {
    const [, d, mon, y, h, mi, s, zone] = m;
    const month = monthNumber(mon!);
    if (!month) return undefined;
    return instant(fullYear(y!), month, Number(d), h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0, zoneOffset(zone));
  }
  if ((m = ASCTIME.exec(value))) {
    const [, mon, d, y1, h1, mi1, s1, h2, mi2, s2, zone1, y2, zone2] = m;
    const month = monthNumber(mon!);
    if (!month) return undefined;
    const [h, mi, s] = y1 ? [h1, mi1, s1] : [h2, mi2, s2];
    return instant(Number(y1 ?? y2), month, Number(d), Number(h), Number(mi), Number(s ?? 0), zoneOffset(zone1 ?? zone2));
  }
  if ((m = PERFORCE.exec(value))) {
    const [, y, mo, d, h, mi, s, zone] = m;
    return instant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), zoneOffset(zone));
  }
  if ((m = W3CDTF_MONTH_NAME.exec(value))) {
    const [, y, mon, d, h, mi, s, zone] = m;
    const month = monthNumber(mon!);
    return month ? instant(Number(y), month, Number(d), Number(h), Number(mi), Number(s ?? 0), zoneOffset(zone)) : undefined;
  }
  if ((m = KOREAN_NATE.exec(value))) {
    const [, y, mo, d, half, h, mi, s] = m;
    const hour = (Number(h) % 12) + (half === '오후' ? 12 : 0);
    return instant(Number(y), Number(mo), Number(d), hour, Number(mi), Number(s), KST);
  }
  if ((m = KOREAN_ONBLOG.exec(value))) {
    const [, y, mo, d, h, mi, s] = m;
    return instant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), KST);
  }
  for (const [re, build] of ISO_SHORT) {
    const short = re.exec(value);
    if (short) return build(short);
  }
  return undefined;
}
