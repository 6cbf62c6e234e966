import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../../src/pipeline/normalize/feed-date.js';

const iso = (s: string) => {
  const ms = parseFeedDate(s);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('parseFeedDate', () => {
  it.each([
    ['Mon, 23 Nov 2020 10:15:00 +0100', '2020-11-23T09:15:00.000Z'],
    ['Fri,24 Nov 2023 18:28:36 -0000', '2023-11-24T18:28:36.000Z'],
    ['Thu, 30 Apr 2015 08:57:00 MEST', '2015-04-30T06:57:00.000Z'],
    ['Thu, 01 Jan 04 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Wed, 19 Feb 2012 22:40:00 GMT-01:01', '2012-02-19T23:41:00.000Z'],
    ['Mon, 26 January 2004 16:31:00 PT', '2004-01-27T00:31:00.000Z'],
    ['tor, 14 mars 2018 09:00:00 +0100', '2018-03-14T08:00:00.000Z'],
    ['Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06.000Z'],
    ['Thu Aug 30 2012 17:26:16 +0200', '2012-08-30T15:26:16.000Z'],
    ['Fri, 2006/09/15 08:19:53 EDT', '2006-09-15T12:19:53.000Z'],
    ['2007-04-23T23:25:47.538+10:00', '2007-04-23T13:25:47.000Z'],
    ['2004-07-08 23:56:58', '2004-07-08T23:56:58.000Z'],
    ['2003-12', '2003-12-01T00:00:00.000Z'],
    ['2000-02-28T18:14:55-08:00', '2000-02-29T02:14:55.000Z'],
    ['Κυρ, 11 Ιούλ 2004 12:00:00 EST', '2004-07-11T17:00:00.000Z'],
    ['2004년 05월 28일  01:31:15', '2004-05-27T16:31:15.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it.each([
    'Sun, 16 Dec 2012 1:2:3:4 GMT',
    'Sun, 99 Jun 2009 12:00:00 GMT',
    'Sun, 16 zzz 2012 11:47:32 GMT',
    'Sun, 16 Dec 2012 11:47:32 +zz:00',
    '2003-12-31T25:14:55Z',
    '2013-01-28T11:30:00-06:00Textra',
    '9999-12-31T23:59:59-99:99',
    '2013-02-30',
    '22013',
    'i går',
  ])('refuses %s rather than guess', (input) => {
    expect(parseFeedDate(input)).toBeUndefined();
  });
});
