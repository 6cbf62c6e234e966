import type { Subscription } from '../subscriptions/model.js';

/** Instant subscriptions are batched per this many minutes. */
export const INSTANT_BATCH_MINUTES = 5;
const DAY_MS = 86_400_000;

/** One send of a subscription: its key in the ledger and job id (no ':'), and its scheduled time. */
export interface Period {
  key: string;
  /** ISO-8601 UTC. */
  at: string;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The wall-clock date and time at `ms` in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? '') + 1,
  };
}

/** How far `timeZone` is ahead of UTC at `ms`. */
function offsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
}

/** The instant a wall-clock hour of a date has in `timeZone` (an hour skipped by a DST change resolves to the hour after). */
export function zonedTime(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetMs(wall, timeZone);
  const second = wall - offsetMs(first, timeZone);
  return offsetMs(second, timeZone) === offsetMs(first, timeZone) ? second : Math.max(first, second);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The scheduled send time of a daily or weekly subscription on the local date `days` after `base`. */
function sendOn(sub: Pick<Subscription, 'frequency' | 'sendAt' | 'timeZone'>, base: LocalParts, days: number): Period {
  const d = new Date(Date.UTC(base.year, base.month - 1, base.day + days));
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const prefix = sub.frequency === 'weekly' ? 'w' : 'd';
  return { key: `${prefix}${y}-${pad(m)}-${pad(day)}`, at: new Date(zonedTime(y, m, day, sub.sendAt.hour, sub.timeZone)).toISOString() };
}

function instantPeriod(ms: number): Period {
  const size = INSTANT_BATCH_MINUTES * 60_000;
  const start = new Date(Math.floor(ms / size) * size);
  const iso = start.toISOString();
  return { key: `i${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`, at: iso };
}

/**
 * The latest scheduled send of a subscription at or before `ms`: daily at `sendAt.hour`, weekly on
 * `sendAt.weekday` at that hour, both in the subscriber's time zone; instant every five minutes.
 */
export function periodAtOrBefore(sub: Pick<Subscription, 'frequency' | 'sendAt' | 'timeZone'>, ms: number): Period {
  if (sub.frequency === 'instant') return instantPeriod(ms);
  const today = localParts(ms, sub.timeZone);
  const back = sub.frequency === 'weekly' ? (today.weekday - (sub.sendAt.weekday ?? 1) + 7) % 7 : 0;
  const p = sendOn(sub, today, -back);
  return Date.parse(p.at) <= ms ? p : sendOn(sub, today, -back - (sub.frequency === 'weekly' ? 7 : 1));
}

/** The earliest scheduled send at or after `ms`: what `digests run --now` sends early. */
export function periodAtOrAfter(sub: Pick<Subscription, 'frequency' | 'sendAt' | 'timeZone'>, ms: number): Period {
  if (sub.frequency === 'instant') return instantPeriod(ms);
  const before = periodAtOrBefore(sub, ms);
  if (Date.parse(before.at) === ms) return before;
  // One step on from the last send, found from a time safely inside the next interval.
  const step = sub.frequency === 'weekly' ? 7 * DAY_MS : DAY_MS;
  return periodAtOrBefore(sub, Date.parse(before.at) + step + 2 * 3_600_000);
}

/**
 * The period a subscription is due for at `ms`, if any: active, confirmed before the period's time (no
 * digest for a period that began before the subscriber confirmed), and not finished already.
 */
export function duePeriod(sub: Subscription, ms: number): Period | undefined {
  if (sub.status !== 'active' || !sub.confirmedAt) return undefined;
  const p = periodAtOrBefore(sub, ms);
  if (p.at <= sub.confirmedAt) return undefined;
  if (sub.lastPeriodAt && p.at <= sub.lastPeriodAt) return undefined;
  return p;
}
