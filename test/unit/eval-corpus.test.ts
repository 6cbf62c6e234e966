import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabelled } from '../../src/commands/eval.js';
import { shippedConfig } from '../helpers/config.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'eval', 'corpus');
/** SHA-256 of the frozen test part, as committed before any tuning on the corpus. It never changes. */
const FROZEN_TEST_SHA256 = 'da8dc350edb23855d42e8454a0db278c49e8b53e922f036a9168244ecc9f1fb4';

const read = (name: string) => readLabelled(join(DIR, name));

describe('the evaluation corpus', () => {
  const test = read('test.jsonl');
  const tune = read('tune.jsonl');
  const all = [...test, ...tune];
  const config = shippedConfig();

  it('keeps its test part frozen', () => {
    expect(createHash('sha256').update(readFileSync(join(DIR, 'test.jsonl'))).digest('hex')).toBe(FROZEN_TEST_SHA256);
  });

  it('holds 300 articles, 50 per language, with unique ids, and never splits a story group between its parts', () => {
    expect(all).toHaveLength(300);
    expect(new Set(all.map((a) => a.id)).size).toBe(300);
    for (const lang of ['nob', 'nno', 'swe', 'dan', 'fin', 'eng']) expect(all.filter((a) => a.lang === lang)).toHaveLength(50);
    const testGroups = new Set(test.flatMap((a) => (a.story ? [a.story] : [])));
    expect(tune.filter((a) => a.story && testGroups.has(a.story))).toEqual([]);
    expect(new Set(all.flatMap((a) => (a.story ? [a.story] : []))).size).toBeGreaterThanOrEqual(40);
  });

  it('labels only themes and regions that exist, and leaves at least 15% without a theme', () => {
    const themes = new Set(config.taxonomy.themes.map((t) => t.id));
    const regions = new Set(config.gazetteer.map((r) => r.code));
    for (const a of all) {
      for (const t of a.themes) expect(themes, `${a.id}: ${t}`).toContain(t);
      for (const r of a.regions) expect(regions, `${a.id}: ${r}`).toContain(r);
      if (a.duplicateOf) expect(all.find((b) => b.id === a.duplicateOf)?.story).toBe(a.story);
    }
    expect(all.filter((a) => a.themes.length === 0).length / all.length).toBeGreaterThanOrEqual(0.15);
  });
});
