import { describe, expect, it } from 'vitest';
import { analyzeQuery, buildSynonyms, fold } from '../../../src/search/analyze.js';
import { shippedConfig } from '../../helpers/config.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);
const expansion = (q: string) => analyzeQuery(q, synonyms).synonyms.map((p) => p.join(' ')).sort();

describe('analyzeQuery: folding comes before theme-term expansion', () => {
  it.each([
    // typed without æ, ø and å, or with their two-letter spellings, in any case
    ['sirkulaer okonomi', 'sirkulær økonomi'],
    ['SIRKULAER OEKONOMI', 'sirkulær økonomi'],
    ['sirkular okonomi', 'sirkulær økonomi'],
    ['cirkular ekonomi', 'cirkulär ekonomi'],
    ['alykas erikoistuminen', 'älykäs erikoistuminen'],
  ])('"%s" expands as "%s" does', (typed, spelt) => {
    expect(expansion(spelt).length).toBeGreaterThan(3);
    expect(expansion(typed)).toEqual(expansion(spelt));
  });

  it('gives Meilisearch a phrasing its synonym settings know when the query is spelt otherwise', () => {
    const q = analyzeQuery('sirkulaer okonomi', synonyms);
    const keys = new Set(synonyms.byTerm.keys());
    expect(q.phrasings.some((p) => keys.has(p))).toBe(true);
  });

  it('expands nothing that is not a theme term', () => {
    expect(expansion('nytt sykehus')).toEqual([]);
    expect(fold('Ålesund')).toBe(fold('Aalesund'));
  });
});
