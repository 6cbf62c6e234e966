import { describe, expect, it } from 'vitest';
import { analyzeQuery, buildSynonyms } from '../../../src/search/analyze.js';
import { highlight, snippet } from '../../../src/search/highlight.js';
import { shippedConfig } from '../../helpers/config.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);
const marked = (html: string) => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);

describe('highlight: only what matched the query', () => {
  it.each([
    // the query's own words, as typed
    ['smart spesialisering', 'Veileder i smart spesialisering', 'nob', ['smart', 'spesialisering']],
    // folded forms and prefixes: "okonomi" marks "økonomi", "vasterbott" marks "Västerbotten"
    ['sirkulaer okonomi', 'Sirkulær økonomi i Agder', 'nob', ['Sirkulær', 'økonomi']],
    ['vasterbott', 'Smart specialisering i Västerbotten', 'swe', ['Västerbotten']],
    // stems in the article's language
    ['spesialiseringa', 'Arbeidet med spesialiseringen', 'nno', ['spesialiseringen']],
    // the theme expansion finds these articles, but its other words are not marked
    ['smart spesialisering', 'Nordland får ny regional plan for verdiskaping', 'nob', []],
    ['smart spesialisering', 'Strategier för smart specialisering och innovation', 'swe', ['smart']],
    ['smart spesialisering', 'Research and innovation strategies for smart specialisation', 'eng', ['smart']],
  ])('%s in "%s"', (q, text, lang, expected) => {
    const query = analyzeQuery(q, synonyms);
    expect(query.synonyms.length > 0 || q === 'vasterbott' || q === 'spesialiseringa').toBe(true);
    expect(marked(highlight(text, query, lang))).toEqual(expected);
  });

  it('marks nothing of the expansion in a snippet, and escapes the text', () => {
    const query = analyzeQuery('smart spesialisering', synonyms);
    const s = snippet('Planen <b> bygger på research and innovation strategies for smart specialisation, og smart spesialisering.', query, 'nob');
    expect(marked(s)).toEqual(['smart', 'smart', 'spesialisering']);
    expect(s).toContain('&lt;b&gt;');
  });
});
