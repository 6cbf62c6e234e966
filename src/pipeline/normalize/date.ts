// Deep imports: the date-fns and date-fns/locale indexes load every function and ~100 locales (over a second).
import { parse as parseWithFormat } from 'date-fns/parse';
import { isValid } from 'date-fns/isValid';
import { da } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import { fi } from 'date-fns/locale/fi';
import { nb } from 'date-fns/locale/nb';
import { nn } from 'date-fns/locale/nn';
import { sv } from 'date-fns/locale/sv';
import { parseFeedDate } from './feed-date.js';

const LOCALES = { nb, nn, sv, da, fi, en: enGB } as const;
export type DateLocale = keyof typeof LOCALES;

/** Dates more than a day ahead are publisher mistakes (or time zones gone wrong); they would pin an item to the top of every feed. */
const MAX_FUTURE_MS = 86_400_000;
/**
 * Publication dates before this are placeholders (0001-01-01, 1970-01-01 from a zero timestamp), not
 * news: no source Regionradar follows published on the web before the 1990s.
 */
const EARLIEST_PUBLISHED_MS = Date.UTC(1990, 0, 1);

/** The one rule for a publication date: from 1990 up to a day after the fetch. */
export function isPlausiblePublished(iso: string, fetchedAtMs: number): boolean {
  const ms = Date.parse(iso);
  return ms >= EARLIEST_PUBLISHED_MS && ms <= fetchedAtMs + MAX_FUTURE_MS;
}

/**
 * A date string from a feed or page → UTC ISO-8601, or undefined. With a format (date-fns pattern)
 * the string is read with that locale's month names; a date without a time is put at 12:00 UTC so
 * that it names the same calendar day in every Nordic time zone.
 */
export function parseDate(
  text: string | undefined,
  opts: { format?: string; locale?: DateLocale; now?: number; /** deadlines lie ahead by nature */ allowFuture?: boolean } = {},
): string | undefined {
  if (!text) return undefined;
  const value = text.trim();
  const now = opts.now ?? Date.now();
  let ms: number | undefined;
  if (opts.format) {
    const d = parseWithFormat(value, opts.format, new Date(now), { locale: LOCALES[opts.locale ?? 'en'] });
    if (isValid(d)) {
      const hasTime = /[Hhkm]/.test(opts.format);
      ms = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), hasTime ? d.getHours() : 12, hasTime ? d.getMinutes() : 0, d.getSeconds());
    }
  }
  ms ??= parseFeedDate(value);
  if (ms === undefined || (!opts.allowFuture && ms > now + MAX_FUTURE_MS)) return undefined;
  return new Date(ms).toISOString();
}
