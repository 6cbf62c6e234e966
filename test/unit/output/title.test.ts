import { describe, expect, it } from 'vitest';
import { feedTitle, homeUrl } from '../../../src/output/title.js';

const names = {
  theme: (id: string) => ({ 'smart-specialisation': 'Smart specialisation', 'circular-economy': 'Circular economy' })[id] ?? id,
  region: (code: string) => ({ 'NO-18': 'Nordland' })[code] ?? code,
  source: (id: string) => ({ 'regjeringen-kdd': 'KDD' })[id] ?? id,
};

describe('feedTitle: the filter, named', () => {
  it.each([
    [{}, 'Regionradar'],
    [{ theme: ['smart-specialisation'], lang: ['nno'] }, 'Regionradar — Smart specialisation · nynorsk'],
    [{ theme: ['smart-specialisation', 'circular-economy'] }, 'Regionradar — Smart specialisation or Circular economy'],
    [{ lang: ['nob', 'swe'], region: ['NO-18'], country: ['NO'] }, 'Regionradar — bokmål or Swedish · Nordland · NO'],
    [{ source: ['regjeringen-kdd'], type: ['consultation'], status: 'open' }, 'Regionradar — KDD · consultations · open for comment'],
    [{ q: 'sirkulær økonomi' }, 'Regionradar — “sirkulær økonomi”'],
  ])('%j → %s', (filter, title) => {
    expect(feedTitle(filter, names)).toBe(title);
  });
});

describe('homeUrl: the same filter’s page', () => {
  it.each([
    ['', 'https://radar.example/'],
    ['limit=50', 'https://radar.example/'],
    ['theme=smart-specialisation&lang=nno&limit=10&cursor=abc', 'https://radar.example/?theme=smart-specialisation&lang=nno'],
    ['lang=nob&lang=swe&q=gr%C3%B8n', 'https://radar.example/?lang=nob&lang=swe&q=gr%C3%B8n'],
  ])('?%s → %s', (query, url) => {
    expect(homeUrl('https://radar.example', new URLSearchParams(query))).toBe(url);
  });
});
