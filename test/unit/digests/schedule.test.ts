import { describe, expect, it } from 'vitest';
import { duePeriod, INSTANT_BATCH_MINUTES, localParts, periodAtOrAfter, periodAtOrBefore, zonedTime } from '../../../src/digests/schedule.js';
import type { Subscription } from '../../../src/subscriptions/model.js';

// Expected instants are worked out by hand: Europe/Oslo and Europe/Stockholm are UTC+1 (CET) in winter and
// UTC+2 (CEST) in summer, Europe/Helsinki UTC+2/+3; in 2026 the EU changes at 01:00Z on 29 March and 25 October.
// America/New_York is UTC-5/-4 (changes 8 March and 1 November 2026), Pacific/Auckland UTC+13 in the southern summer.
// 2026-11-30, 2026-11-23 and 2026-12-07 are Mondays, 2026-11-25 a Wednesday, 2026-07-10 a Friday.

const ms = (iso: string) => Date.parse(iso);
type Sched = Pick<Subscription, 'frequency' | 'sendAt' | 'timeZone'>;
const weekly = (weekday: number, hour: number, timeZone = 'Europe/Oslo'): Sched => ({ frequency: 'weekly', sendAt: { weekday, hour }, timeZone });
const daily = (hour: number, timeZone = 'Europe/Oslo'): Sched => ({ frequency: 'daily', sendAt: { hour }, timeZone });
const instant = (timeZone = 'Europe/Oslo'): Sched => ({ frequency: 'instant', sendAt: { hour: 7 }, timeZone });

describe('localParts', () => {
  it('gives the wall-clock date, time and ISO weekday in the zone', () => {
    expect(localParts(ms('2026-11-30T12:34:56Z'), 'Europe/Oslo')).toEqual({ year: 2026, month: 11, day: 30, hour: 13, minute: 34, weekday: 1 });
    expect(localParts(ms('2026-07-01T12:00:00Z'), 'Europe/Oslo')).toEqual({ year: 2026, month: 7, day: 1, hour: 14, minute: 0, weekday: 3 });
    expect(localParts(ms('2026-07-01T12:00:00Z'), 'Europe/Helsinki')).toMatchObject({ hour: 15 });
    expect(localParts(ms('2026-01-15T12:00:00Z'), 'Europe/Helsinki')).toMatchObject({ hour: 14 });
  });

  it('counts Sunday as 7 and midnight as hour 0 (not 24)', () => {
    expect(localParts(ms('2026-11-29T12:00:00Z'), 'UTC')).toMatchObject({ day: 29, weekday: 7 });
    // 23:30Z on Sunday is 00:30 on Monday in Oslo
    expect(localParts(ms('2026-11-29T23:30:00Z'), 'Europe/Oslo')).toEqual({ year: 2026, month: 11, day: 30, hour: 0, minute: 30, weekday: 1 });
  });

  it('moves to the local date when it differs from the UTC date', () => {
    expect(localParts(ms('2026-12-01T03:00:00Z'), 'America/New_York')).toEqual({ year: 2026, month: 11, day: 30, hour: 22, minute: 0, weekday: 1 });
    expect(localParts(ms('2026-11-30T20:00:00Z'), 'Pacific/Auckland')).toEqual({ year: 2026, month: 12, day: 1, hour: 9, minute: 0, weekday: 2 });
  });
});

describe('zonedTime', () => {
  it('is the instant of a local hour in winter and in summer', () => {
    expect(zonedTime(2026, 11, 30, 7, 'Europe/Oslo')).toBe(ms('2026-11-30T06:00:00Z'));
    expect(zonedTime(2026, 7, 1, 7, 'Europe/Oslo')).toBe(ms('2026-07-01T05:00:00Z'));
    expect(zonedTime(2026, 1, 15, 7, 'Europe/Helsinki')).toBe(ms('2026-01-15T05:00:00Z'));
    expect(zonedTime(2026, 7, 15, 7, 'Europe/Helsinki')).toBe(ms('2026-07-15T04:00:00Z'));
    expect(zonedTime(2026, 11, 30, 7, 'UTC')).toBe(ms('2026-11-30T07:00:00Z'));
    expect(zonedTime(2026, 11, 30, 21, 'America/New_York')).toBe(ms('2026-12-01T02:00:00Z'));
    expect(zonedTime(2026, 12, 1, 7, 'Pacific/Auckland')).toBe(ms('2026-11-30T18:00:00Z'));
  });

  it('resolves an hour skipped by the spring change to the hour after', () => {
    // Oslo 2026-03-29: 02:00 CET does not exist, 03:00 CEST = 01:00Z
    expect(zonedTime(2026, 3, 29, 2, 'Europe/Oslo')).toBe(ms('2026-03-29T01:00:00Z'));
    // New York 2026-03-08: 02:00 EST does not exist, 03:00 EDT = 07:00Z
    expect(zonedTime(2026, 3, 8, 2, 'America/New_York')).toBe(ms('2026-03-08T07:00:00Z'));
  });

  it('gets the hours next to the changes right', () => {
    expect(zonedTime(2026, 3, 29, 1, 'Europe/Oslo')).toBe(ms('2026-03-29T00:00:00Z')); // 01:00 CET
    expect(zonedTime(2026, 3, 29, 3, 'Europe/Oslo')).toBe(ms('2026-03-29T01:00:00Z')); // 03:00 CEST
    expect(zonedTime(2026, 10, 25, 3, 'Europe/Oslo')).toBe(ms('2026-10-25T02:00:00Z')); // 03:00 CET
    expect(zonedTime(2026, 10, 25, 1, 'Europe/Oslo')).toBe(ms('2026-10-24T23:00:00Z')); // 01:00 CEST
  });

  it('resolves the hour repeated by the autumn change to one of its two instants', () => {
    // 02:00 occurs at 00:00Z (CEST) and at 01:00Z (CET)
    const t = zonedTime(2026, 10, 25, 2, 'Europe/Oslo');
    expect([ms('2026-10-25T00:00:00Z'), ms('2026-10-25T01:00:00Z')]).toContain(t);
    expect(localParts(t, 'Europe/Oslo')).toMatchObject({ day: 25, hour: 2 });
  });
});

describe('periodAtOrBefore / periodAtOrAfter: weekly', () => {
  const monday7 = weekly(1, 7);

  it('on a Wednesday is the Monday before, 07:00 Oslo = 06:00Z in winter, keyed by the local date', () => {
    expect(periodAtOrBefore(monday7, ms('2026-11-25T12:00:00Z'))).toEqual({ key: 'w2026-11-23', at: '2026-11-23T06:00:00.000Z' });
  });

  it('on Monday at 06:59 local is the previous Monday; at 07:00 exactly it is that Monday', () => {
    expect(periodAtOrBefore(monday7, ms('2026-11-30T05:59:00Z'))).toEqual({ key: 'w2026-11-23', at: '2026-11-23T06:00:00.000Z' });
    expect(periodAtOrBefore(monday7, ms('2026-11-30T05:59:59.999Z')).key).toBe('w2026-11-23');
    expect(periodAtOrBefore(monday7, ms('2026-11-30T06:00:00Z'))).toEqual({ key: 'w2026-11-30', at: '2026-11-30T06:00:00.000Z' });
  });

  it('on Sunday late evening is still the Monday six days before', () => {
    expect(periodAtOrBefore(monday7, ms('2026-11-29T22:59:00Z')).key).toBe('w2026-11-23');
  });

  it('in summer, Monday 07:00 Oslo is 05:00Z', () => {
    // 2026-07-06 is a Monday
    expect(periodAtOrBefore(monday7, ms('2026-07-08T12:00:00Z'))).toEqual({ key: 'w2026-07-06', at: '2026-07-06T05:00:00.000Z' });
  });

  it('periodAtOrAfter: on Tuesday is the next Monday; at the send time itself it is that send', () => {
    expect(periodAtOrAfter(monday7, ms('2026-12-01T10:00:00Z'))).toEqual({ key: 'w2026-12-07', at: '2026-12-07T06:00:00.000Z' });
    expect(periodAtOrAfter(monday7, ms('2026-11-30T06:00:00Z'))).toEqual({ key: 'w2026-11-30', at: '2026-11-30T06:00:00.000Z' });
    expect(periodAtOrAfter(monday7, ms('2026-11-30T05:59:00Z'))).toEqual({ key: 'w2026-11-30', at: '2026-11-30T06:00:00.000Z' });
    expect(periodAtOrAfter(monday7, ms('2026-11-30T06:00:01Z'))).toEqual({ key: 'w2026-12-07', at: '2026-12-07T06:00:00.000Z' });
  });

  it('honours other weekdays (Friday 16:00 Stockholm in summer = 14:00Z; Sunday = 7)', () => {
    expect(periodAtOrBefore(weekly(5, 16, 'Europe/Stockholm'), ms('2026-07-13T00:00:00Z'))).toEqual({ key: 'w2026-07-10', at: '2026-07-10T14:00:00.000Z' });
    // Sunday 2026-11-29 20:00 Oslo = 19:00Z; on Monday that is the latest
    expect(periodAtOrBefore(weekly(7, 20), ms('2026-11-30T12:00:00Z'))).toEqual({ key: 'w2026-11-29', at: '2026-11-29T19:00:00.000Z' });
    expect(periodAtOrAfter(weekly(7, 20), ms('2026-11-30T12:00:00Z'))).toEqual({ key: 'w2026-12-06', at: '2026-12-06T19:00:00.000Z' });
  });

  it('in Auckland the Monday send falls on Sunday UTC; the key is the local Monday', () => {
    const nz = weekly(1, 7, 'Pacific/Auckland');
    expect(periodAtOrBefore(nz, ms('2026-11-29T18:00:00Z'))).toEqual({ key: 'w2026-11-30', at: '2026-11-29T18:00:00.000Z' });
    expect(periodAtOrBefore(nz, ms('2026-11-29T17:59:00Z'))).toEqual({ key: 'w2026-11-23', at: '2026-11-22T18:00:00.000Z' });
  });
});

describe('periodAtOrBefore / periodAtOrAfter: daily', () => {
  it('is today once the hour has come, else yesterday', () => {
    expect(periodAtOrBefore(daily(7), ms('2026-11-30T06:00:00Z'))).toEqual({ key: 'd2026-11-30', at: '2026-11-30T06:00:00.000Z' });
    expect(periodAtOrBefore(daily(7), ms('2026-11-30T05:59:00Z'))).toEqual({ key: 'd2026-11-29', at: '2026-11-29T06:00:00.000Z' });
    expect(periodAtOrAfter(daily(7), ms('2026-11-30T05:59:00Z'))).toEqual({ key: 'd2026-11-30', at: '2026-11-30T06:00:00.000Z' });
    expect(periodAtOrAfter(daily(7), ms('2026-11-30T06:00:01Z'))).toEqual({ key: 'd2026-12-01', at: '2026-12-01T06:00:00.000Z' });
  });

  it('around the spring change: 07:00 Oslo is 06:00Z before and 05:00Z after', () => {
    expect(periodAtOrBefore(daily(7), ms('2026-03-28T12:00:00Z'))).toEqual({ key: 'd2026-03-28', at: '2026-03-28T06:00:00.000Z' });
    expect(periodAtOrBefore(daily(7), ms('2026-03-29T12:00:00Z'))).toEqual({ key: 'd2026-03-29', at: '2026-03-29T05:00:00.000Z' });
    // 06:59 CEST on the day of the change: the send of the day before
    expect(periodAtOrBefore(daily(7), ms('2026-03-29T04:59:00Z'))).toEqual({ key: 'd2026-03-28', at: '2026-03-28T06:00:00.000Z' });
    expect(periodAtOrAfter(daily(7), ms('2026-03-28T12:00:00Z'))).toEqual({ key: 'd2026-03-29', at: '2026-03-29T05:00:00.000Z' });
    expect(periodAtOrBefore(daily(7), ms('2026-03-30T12:00:00Z'))).toEqual({ key: 'd2026-03-30', at: '2026-03-30T05:00:00.000Z' });
  });

  it('around the autumn change: 07:00 Oslo is 05:00Z before and 06:00Z after', () => {
    expect(periodAtOrBefore(daily(7), ms('2026-10-24T12:00:00Z'))).toEqual({ key: 'd2026-10-24', at: '2026-10-24T05:00:00.000Z' });
    expect(periodAtOrBefore(daily(7), ms('2026-10-25T12:00:00Z'))).toEqual({ key: 'd2026-10-25', at: '2026-10-25T06:00:00.000Z' });
    // 05:30Z is 06:30 CET on the 25th: not yet
    expect(periodAtOrBefore(daily(7), ms('2026-10-25T05:30:00Z'))).toEqual({ key: 'd2026-10-24', at: '2026-10-24T05:00:00.000Z' });
    expect(periodAtOrAfter(daily(7), ms('2026-10-24T12:00:00Z'))).toEqual({ key: 'd2026-10-25', at: '2026-10-25T06:00:00.000Z' });
  });

  it('a digest at hour 2 on the spring-forward day (02:00 does not exist) resolves to a real instant of that date', () => {
    const two = daily(2);
    const p = periodAtOrBefore(two, ms('2026-03-29T12:00:00Z'));
    expect(p.key).toBe('d2026-03-29');
    expect(Number.isNaN(Date.parse(p.at))).toBe(false);
    expect(p.at).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST, the hour after the gap
    expect(localParts(Date.parse(p.at), 'Europe/Oslo')).toMatchObject({ year: 2026, month: 3, day: 29 });
    // the day before, 02:00 CET = 01:00Z as well
    expect(periodAtOrBefore(two, ms('2026-03-29T00:30:00Z'))).toEqual({ key: 'd2026-03-28', at: '2026-03-28T01:00:00.000Z' });
    expect(periodAtOrAfter(two, ms('2026-03-29T00:30:00Z'))).toEqual({ key: 'd2026-03-29', at: '2026-03-29T01:00:00.000Z' });
  });

  it('a digest at hour 2 on the autumn day (02:00 happens twice) gives one period of that date', () => {
    const p = periodAtOrBefore(daily(2), ms('2026-10-25T12:00:00Z'));
    expect(p.key).toBe('d2026-10-25');
    expect(localParts(Date.parse(p.at), 'Europe/Oslo')).toMatchObject({ day: 25, hour: 2 });
    expect(periodAtOrAfter(daily(2), ms('2026-10-24T12:00:00Z')).key).toBe('d2026-10-25');
    expect(periodAtOrAfter(daily(2), ms('2026-10-25T12:00:00Z')).key).toBe('d2026-10-26');
  });

  it('uses the local date when the send hour falls on another UTC date', () => {
    // Oslo midnight 2026-12-01 = 2026-11-30T23:00Z
    expect(periodAtOrBefore(daily(0), ms('2026-11-30T23:30:00Z'))).toEqual({ key: 'd2026-12-01', at: '2026-11-30T23:00:00.000Z' });
    // Oslo 23:00 on 2026-11-30 = 22:00Z
    expect(periodAtOrBefore(daily(23), ms('2026-11-30T22:30:00Z'))).toEqual({ key: 'd2026-11-30', at: '2026-11-30T22:00:00.000Z' });
    expect(periodAtOrBefore(daily(23), ms('2026-11-30T21:30:00Z'))).toEqual({ key: 'd2026-11-29', at: '2026-11-29T22:00:00.000Z' });
  });

  it('Helsinki, Stockholm and UTC', () => {
    expect(periodAtOrBefore(daily(7, 'Europe/Helsinki'), ms('2026-07-15T12:00:00Z'))).toEqual({ key: 'd2026-07-15', at: '2026-07-15T04:00:00.000Z' });
    expect(periodAtOrBefore(daily(7, 'Europe/Helsinki'), ms('2026-01-15T12:00:00Z'))).toEqual({ key: 'd2026-01-15', at: '2026-01-15T05:00:00.000Z' });
    // Helsinki changes at the same instant (01:00Z): 07:00 is 05:00Z on the 28th, 04:00Z on the 29th
    expect(periodAtOrBefore(daily(7, 'Europe/Helsinki'), ms('2026-03-28T12:00:00Z')).at).toBe('2026-03-28T05:00:00.000Z');
    expect(periodAtOrBefore(daily(7, 'Europe/Helsinki'), ms('2026-03-29T12:00:00Z')).at).toBe('2026-03-29T04:00:00.000Z');
    expect(periodAtOrBefore(daily(7, 'Europe/Stockholm'), ms('2026-11-30T12:00:00Z'))).toEqual({ key: 'd2026-11-30', at: '2026-11-30T06:00:00.000Z' });
    expect(periodAtOrBefore(daily(7, 'UTC'), ms('2026-11-30T06:59:00Z'))).toEqual({ key: 'd2026-11-29', at: '2026-11-29T07:00:00.000Z' });
    expect(periodAtOrBefore(daily(7, 'UTC'), ms('2026-11-30T07:00:00Z'))).toEqual({ key: 'd2026-11-30', at: '2026-11-30T07:00:00.000Z' });
  });

  it('far from UTC the key is the local date, not the UTC date', () => {
    // New York 21:00 EST on 2026-11-30 = 2026-12-01T02:00Z
    expect(periodAtOrBefore(daily(21, 'America/New_York'), ms('2026-12-01T03:00:00Z'))).toEqual({ key: 'd2026-11-30', at: '2026-12-01T02:00:00.000Z' });
    // Auckland 07:00 NZDT on 2026-12-01 = 2026-11-30T18:00Z
    expect(periodAtOrBefore(daily(7, 'Pacific/Auckland'), ms('2026-11-30T20:00:00Z'))).toEqual({ key: 'd2026-12-01', at: '2026-11-30T18:00:00.000Z' });
    expect(periodAtOrAfter(daily(7, 'Pacific/Auckland'), ms('2026-11-30T12:00:00Z'))).toEqual({ key: 'd2026-12-01', at: '2026-11-30T18:00:00.000Z' });
  });
});

describe('periodAtOrBefore / periodAtOrAfter: instant', () => {
  it('batches in five-minute buckets keyed by their UTC start, without ":"', () => {
    expect(INSTANT_BATCH_MINUTES).toBe(5);
    expect(periodAtOrBefore(instant(), ms('2026-11-30T12:07:42.123Z'))).toEqual({ key: 'i20261130T1205Z', at: '2026-11-30T12:05:00.000Z' });
    expect(periodAtOrBefore(instant(), ms('2026-11-30T12:05:00.000Z'))).toEqual({ key: 'i20261130T1205Z', at: '2026-11-30T12:05:00.000Z' });
    expect(periodAtOrBefore(instant(), ms('2026-11-30T12:04:59.999Z'))).toEqual({ key: 'i20261130T1200Z', at: '2026-11-30T12:00:00.000Z' });
    expect(periodAtOrBefore(instant(), ms('2026-12-31T23:59:59.999Z'))).toEqual({ key: 'i20261231T2355Z', at: '2026-12-31T23:55:00.000Z' });
  });

  it('does not depend on the time zone', () => {
    const at = ms('2026-11-30T12:07:00Z');
    expect(periodAtOrBefore(instant('Pacific/Auckland'), at)).toEqual(periodAtOrBefore(instant('UTC'), at));
  });

  it('periodAtOrAfter is the same bucket as periodAtOrBefore', () => {
    for (const t of ['2026-11-30T12:07:42.123Z', '2026-11-30T12:05:00.000Z', '2026-03-29T01:02:03Z']) {
      expect(periodAtOrAfter(instant(), ms(t))).toEqual(periodAtOrBefore(instant(), ms(t)));
    }
  });
});

describe('period keys', () => {
  it('never contain ":" so a job id digest:<id>:<period> has exactly three parts', () => {
    const subs = [instant(), daily(0), daily(2), daily(7), daily(23, 'America/New_York'), weekly(1, 7), weekly(7, 23, 'Pacific/Auckland'), daily(7, 'Europe/Helsinki')];
    const start = ms('2026-03-27T00:00:00Z');
    for (let t = start; t < start + 4 * 86_400_000; t += 47 * 60_000) {
      for (const sub of subs) {
        for (const p of [periodAtOrBefore(sub, t), periodAtOrAfter(sub, t)]) {
          expect(p.key).not.toContain(':');
          expect(p.key).toMatch(/^(i\d{8}T\d{4}Z|[dw]\d{4}-\d{2}-\d{2})$/);
          expect(`digest:abcDEF123_-xyz:${p.key}`.split(':')).toHaveLength(3);
        }
      }
    }
  });

  it('periodAtOrBefore is at or before the time and periodAtOrAfter at or after it', () => {
    const subs = [instant(), daily(2), daily(7), weekly(1, 7), weekly(3, 2, 'America/New_York')];
    for (const start of [ms('2026-03-26T00:00:00Z'), ms('2026-10-23T00:00:00Z')]) {
      for (let t = start; t < start + 5 * 86_400_000; t += 37 * 60_000) {
        for (const sub of subs) {
          expect(Date.parse(periodAtOrBefore(sub, t).at)).toBeLessThanOrEqual(t);
          if (sub.frequency !== 'instant') expect(Date.parse(periodAtOrAfter(sub, t).at)).toBeGreaterThanOrEqual(t);
        }
      }
    }
  });
});

describe('duePeriod', () => {
  const base: Subscription = {
    id: 'sub-1',
    email: 'kari@example.no',
    filter: {},
    frequency: 'daily',
    sendAt: { hour: 7 },
    timeZone: 'Europe/Oslo',
    locale: 'nn',
    status: 'active',
    bounces: 0,
    feedToken: 'feed-token',
    createdAt: '2026-11-01T10:00:00.000Z',
    confirmedAt: '2026-11-01T10:05:00.000Z',
  };
  const now = ms('2026-11-30T12:00:00Z');
  const period = { key: 'd2026-11-30', at: '2026-11-30T06:00:00.000Z' };

  it('is the latest period for an active, confirmed subscription not yet sent', () => {
    expect(duePeriod(base, now)).toEqual(period);
    expect(duePeriod({ ...base, lastPeriodAt: '2026-11-29T06:00:00.000Z' }, now)).toEqual(period);
  });

  it('is nothing while pending or paused, or without confirmedAt', () => {
    expect(duePeriod({ ...base, status: 'pending' }, now)).toBeUndefined();
    expect(duePeriod({ ...base, status: 'paused', pausedReason: 'bounces' }, now)).toBeUndefined();
    const { confirmedAt: _, ...unconfirmed } = base;
    expect(duePeriod(unconfirmed, now)).toBeUndefined();
  });

  it('is nothing for a period at or before confirmation', () => {
    expect(duePeriod({ ...base, confirmedAt: '2026-11-30T06:30:00.000Z' }, now)).toBeUndefined();
    expect(duePeriod({ ...base, confirmedAt: '2026-11-30T06:00:00.000Z' }, now)).toBeUndefined();
    expect(duePeriod({ ...base, confirmedAt: '2026-11-30T05:59:59.999Z' }, now)).toEqual(period);
    // confirmed after today's send: the next period (tomorrow) is due
    expect(duePeriod({ ...base, confirmedAt: '2026-11-30T06:30:00.000Z' }, ms('2026-12-01T06:00:00Z'))).toEqual({ key: 'd2026-12-01', at: '2026-12-01T06:00:00.000Z' });
  });

  it('is nothing when the period has been finished already', () => {
    expect(duePeriod({ ...base, lastPeriodAt: '2026-11-30T06:00:00.000Z' }, now)).toBeUndefined();
    expect(duePeriod({ ...base, lastPeriodAt: '2026-12-01T06:00:00.000Z' }, now)).toBeUndefined();
  });

  it('follows the subscription schedule (weekly and instant)', () => {
    const w = { ...base, frequency: 'weekly' as const, sendAt: { weekday: 1, hour: 7 } };
    expect(duePeriod(w, ms('2026-11-25T12:00:00Z'))).toEqual({ key: 'w2026-11-23', at: '2026-11-23T06:00:00.000Z' });
    expect(duePeriod({ ...w, lastPeriodAt: '2026-11-23T06:00:00.000Z' }, ms('2026-11-25T12:00:00Z'))).toBeUndefined();
    const i = { ...base, frequency: 'instant' as const };
    expect(duePeriod(i, ms('2026-11-30T12:07:00Z'))).toEqual({ key: 'i20261130T1205Z', at: '2026-11-30T12:05:00.000Z' });
  });
});
