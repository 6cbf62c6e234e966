import { describe, expect, it } from 'vitest';
import { articleFilterOf, subscriptionInputSchema, type SubscriptionFilter } from '../../../src/subscriptions/model.js';

const paths = (input: unknown): string[] => {
  const r = subscriptionInputSchema.safeParse(input);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('subscriptionInputSchema', () => {
  it('fills the defaults: weekly, Monday 07:00, Europe/Oslo, en, empty filter', () => {
    expect(subscriptionInputSchema.parse({ email: 'kari@example.no' })).toStrictEqual({
      email: 'kari@example.no',
      filter: {},
      frequency: 'weekly',
      sendAt: { weekday: 1, hour: 7 },
      timeZone: 'Europe/Oslo',
      locale: 'en',
    });
  });

  it('trims and lower-cases the e-mail address', () => {
    expect(subscriptionInputSchema.parse({ email: '  Kari.Nordmann@Example.NO \n' }).email).toBe('kari.nordmann@example.no');
  });

  it('gives a weekly digest without a weekday Monday (1), keeping the hour', () => {
    expect(subscriptionInputSchema.parse({ email: 'a@example.no', frequency: 'weekly', sendAt: { hour: 9 } }).sendAt).toStrictEqual({ hour: 9, weekday: 1 });
    // weekly is the default frequency
    expect(subscriptionInputSchema.parse({ email: 'a@example.no', sendAt: { hour: 18 } }).sendAt).toStrictEqual({ hour: 18, weekday: 1 });
    // a weekday given is kept
    expect(subscriptionInputSchema.parse({ email: 'a@example.no', sendAt: { weekday: 5, hour: 16 } }).sendAt).toStrictEqual({ weekday: 5, hour: 16 });
  });

  it('leaves a daily digest without a weekday', () => {
    const s = subscriptionInputSchema.parse({ email: 'a@example.no', frequency: 'daily', sendAt: { hour: 6 } });
    expect(s.sendAt).toStrictEqual({ hour: 6 });
  });

  it('accepts a full input and keeps its values', () => {
    const s = subscriptionInputSchema.parse({
      email: 'ola@example.se',
      filter: {
        themes: ['smart-specialisation', 'housing'],
        languages: ['nno', 'swe', 'und'],
        regions: ['NO-18', 'SE-AC'],
        countries: ['NO', 'SE'],
        sources: ['nordregio'],
        type: ['consultation'],
        q: '  hydrogen  ',
      },
      frequency: 'instant',
      sendAt: { hour: 0 },
      timeZone: 'Europe/Helsinki',
      locale: 'fi',
    });
    expect(s).toStrictEqual({
      email: 'ola@example.se',
      filter: {
        themes: ['smart-specialisation', 'housing'],
        languages: ['nno', 'swe', 'und'],
        regions: ['NO-18', 'SE-AC'],
        countries: ['NO', 'SE'],
        sources: ['nordregio'],
        type: ['consultation'],
        q: 'hydrogen',
      },
      frequency: 'instant',
      sendAt: { hour: 0 },
      timeZone: 'Europe/Helsinki',
      locale: 'fi',
    });
  });

  it('accepts the bounds: hour 0 and 23, weekday 1 and 7', () => {
    expect(subscriptionInputSchema.safeParse({ email: 'a@example.no', sendAt: { weekday: 7, hour: 23 } }).success).toBe(true);
    expect(subscriptionInputSchema.safeParse({ email: 'a@example.no', sendAt: { weekday: 1, hour: 0 } }).success).toBe(true);
  });

  it('rejects a bad or missing e-mail address at email', () => {
    expect(paths({ email: 'not-an-address' })).toContain('email');
    expect(paths({ email: 'kari@' })).toContain('email');
    expect(paths({ email: '' })).toContain('email');
    expect(paths({ email: `${'a'.repeat(250)}@example.no` })).toContain('email');
    expect(paths({})).toContain('email');
  });

  it('rejects unknown fields (strict), at the top and in the filter and sendAt', () => {
    const top = subscriptionInputSchema.safeParse({ email: 'a@example.no', admin: true });
    expect(top.success).toBe(false);
    expect(top.error?.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['admin'], path: [] })]);
    const inFilter = subscriptionInputSchema.safeParse({ email: 'a@example.no', filter: { theme: ['housing'] } });
    expect(inFilter.error?.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['theme'], path: ['filter'] })]);
    const inSendAt = subscriptionInputSchema.safeParse({ email: 'a@example.no', sendAt: { hour: 7, minute: 30 } });
    expect(inSendAt.error?.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['minute'], path: ['sendAt'] })]);
  });

  it('rejects hour 24, hour -1, a fractional hour, weekday 0 and weekday 8 at their paths', () => {
    expect(paths({ email: 'a@example.no', sendAt: { hour: 24 } })).toEqual(['sendAt.hour']);
    expect(paths({ email: 'a@example.no', sendAt: { hour: -1 } })).toEqual(['sendAt.hour']);
    expect(paths({ email: 'a@example.no', sendAt: { hour: 7.5 } })).toEqual(['sendAt.hour']);
    expect(paths({ email: 'a@example.no', sendAt: { weekday: 0, hour: 7 } })).toEqual(['sendAt.weekday']);
    expect(paths({ email: 'a@example.no', sendAt: { weekday: 8, hour: 7 } })).toEqual(['sendAt.weekday']);
  });

  it('rejects an unknown time zone and an unknown locale or frequency', () => {
    expect(paths({ email: 'a@example.no', timeZone: 'Europe/Atlantis' })).toEqual(['timeZone']);
    expect(paths({ email: 'a@example.no', timeZone: '' })).toEqual(['timeZone']);
    expect(paths({ email: 'a@example.no', locale: 'de' })).toEqual(['locale']);
    expect(paths({ email: 'a@example.no', frequency: 'hourly' })).toEqual(['frequency']);
  });

  it('rejects bad region and country codes, languages and ids at the index in the filter', () => {
    expect(paths({ email: 'a@example.no', filter: { regions: ['NO-18', 'no-18'] } })).toEqual(['filter.regions.1']);
    expect(paths({ email: 'a@example.no', filter: { regions: ['NO18'] } })).toEqual(['filter.regions.0']);
    expect(paths({ email: 'a@example.no', filter: { countries: ['NOR'] } })).toEqual(['filter.countries.0']);
    expect(paths({ email: 'a@example.no', filter: { languages: ['nb'] } })).toEqual(['filter.languages.0']);
    expect(paths({ email: 'a@example.no', filter: { themes: ['Housing'] } })).toEqual(['filter.themes.0']);
    expect(paths({ email: 'a@example.no', filter: { type: ['report'] } })).toEqual(['filter.type.0']);
  });

  it('rejects an empty or blank query', () => {
    expect(paths({ email: 'a@example.no', filter: { q: '' } })).toEqual(['filter.q']);
    expect(paths({ email: 'a@example.no', filter: { q: '   ' } })).toEqual(['filter.q']);
    expect(paths({ email: 'a@example.no', filter: { q: 'x'.repeat(201) } })).toEqual(['filter.q']);
  });
});

describe('articleFilterOf', () => {
  it('maps every field to the store filter (type → types)', () => {
    const f: SubscriptionFilter = {
      themes: ['housing'],
      languages: ['nno'],
      regions: ['NO-18'],
      countries: ['NO'],
      sources: ['nordregio'],
      type: ['consultation'],
      q: 'hydrogen',
    };
    expect(articleFilterOf(f)).toEqual({
      themes: ['housing'],
      languages: ['nno'],
      regions: ['NO-18'],
      countries: ['NO'],
      sources: ['nordregio'],
      types: ['consultation'],
      q: 'hydrogen',
    });
    expect(articleFilterOf(f)).not.toHaveProperty('type');
  });

  it('maps an empty filter to no conditions', () => {
    const out = articleFilterOf({});
    expect(Object.values(out).every((v) => v === undefined)).toBe(true);
  });
});
