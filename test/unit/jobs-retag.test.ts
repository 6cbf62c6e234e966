import { describe, expect, it } from 'vitest';
import { retagAll } from '../../src/jobs/retag.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { createLanguageDetector } from '../../src/pipeline/language/index.js';
import { createThemeTagger } from '../../src/pipeline/themes/index.js';
import { createRegionTagger } from '../../src/pipeline/regions/index.js';
import { shippedConfig } from '../helpers/config.js';
import { makeArticle } from '../helpers/factories.js';

const config = shippedConfig();
const deps = {
  detectLanguage: createLanguageDetector(config.languageProfiles),
  tagThemes: createThemeTagger(config.taxonomy),
  tagRegions: createRegionTagger(config.gazetteer),
  tagVersion: config.tagVersion,
};

describe('retag after a taxonomy or gazetteer change', () => {
  it('rewrites only the articles whose tags change, and a second run rewrites nothing', async () => {
    const store = createSqliteStore(':memory:');
    const text = 'Fylkeskommunen i Nordland arbeider med smart spesialisering og regionalt partnerskap.';
    // tagged under older rules: no themes, no regions
    const stale = Array.from({ length: 5 }, (_, i) => makeArticle({ title: `Smart spesialisering ${i}`, contentText: text, language: 'nob', themes: [], regions: [], tagVersion: 1 }));
    const current = makeArticle({ title: 'Kort melding', contentText: 'Ingen tema her i det heile.', language: 'nno', themes: [], regions: [], countries: ['NO'] });
    await store.upsertBatch([...stale, current]);
    const progress: number[] = [];
    const first = await retagAll(store, deps, { pageSize: 2, onProgress: (p) => progress.push(p.scanned) });
    expect(first).toEqual({ scanned: 6, changed: 5, total: 6 });
    expect(progress).toEqual([2, 4, 6]);
    const after = (await store.get(stale[0]!.id))!;
    expect(after.themes.map((t) => t.id)).toContain('smart-specialisation');
    expect(after.regions.map((r) => r.code)).toEqual(['NO-18']);
    expect(after.tagVersion).toBe(config.tagVersion);
    expect((await store.get(current.id))!.tagVersion).toBe(current.tagVersion);
    expect(await retagAll(store, deps)).toMatchObject({ scanned: 6, changed: 0 });
  });
});
