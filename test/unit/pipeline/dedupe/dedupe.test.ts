import { describe, expect, it } from 'vitest';
import { partitionByNovelty } from '../../../../src/pipeline/dedupe/index.js';
import { makeArticle } from '../../../helpers/factories.js';

describe('partitionByNovelty', () => {
  it('splits drafts into fresh, changed and unchanged by stored hash, counting repeats once', () => {
    const a = makeArticle({ contentHash: 'h1' });
    const b = makeArticle({ contentHash: 'h2' });
    const c = makeArticle({ contentHash: 'h3' });
    const known = new Map([
      [b.id, 'h2'],
      [c.id, 'old'],
    ]);
    const r = partitionByNovelty([a, b, c, a], known);
    expect(r.fresh.map((d) => d.id)).toEqual([a.id]);
    expect(r.unchanged.map((d) => d.id)).toEqual([b.id]);
    expect(r.changed.map((d) => d.id)).toEqual([c.id]);
  });
});
