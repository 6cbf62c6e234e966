import { describe, expect, it } from 'vitest';
import { mergeArticle } from '../../../../src/pipeline/dedupe/merge.js';
import type { Article } from '../../../../src/model/article.js';
import { makeArticle } from '../../../helpers/factories.js';

const base = makeArticle({ url: 'https://www.regjeringen.no/no/aktuelt/a/id1/' });
const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 12, minute)).toISOString();
const v = (sourceId: string, fromPublisher: boolean, minute: number, title: string): Article => {
  const contentHash = `${sourceId}:${title}`;
  return { ...base, sourceId, fromPublisher, fetchedAt: at(minute), title, contentHash, sources: [{ sourceId, contentHash, fetchedAt: at(minute), fromPublisher }] };
};

describe('mergeArticle', () => {
  it('stores a new article with its one source', () => {
    expect(mergeArticle(undefined, v('kdd', true, 1, 'A'))!.sources.map((s) => s.sourceId)).toEqual(['kdd']);
  });

  it('lets the publisher replace a copy from another host, and never the other way round', () => {
    const copy = mergeArticle(undefined, v('relay', false, 1, 'Copy'))!;
    const afterPublisher = mergeArticle(copy, v('kdd', true, 2, 'Original'))!;
    expect([afterPublisher.title, afterPublisher.sourceId]).toEqual(['Original', 'kdd']);
    const afterCopy = mergeArticle(afterPublisher, v('relay', false, 3, 'Copy, later'))!;
    expect([afterCopy.title, afterCopy.sourceId]).toEqual(['Original', 'kdd']);
    expect(afterCopy.sources.find((s) => s.sourceId === 'relay')!.contentHash).toBe('relay:Copy, later');
  });

  it('keeps the first of two copies, updated only by its own source', () => {
    const first = mergeArticle(undefined, v('a', false, 1, 'First'))!;
    const both = mergeArticle(first, v('b', false, 2, 'Second'))!;
    expect(both.title).toBe('First');
    expect(mergeArticle(both, v('a', false, 3, 'First, updated'))!.title).toBe('First, updated');
  });

  it('ignores a version older than one already recorded from the same source', () => {
    const newer = mergeArticle(undefined, v('kdd', true, 5, 'New'))!;
    expect(mergeArticle(newer, v('kdd', true, 4, 'Old'))).toBeUndefined();
  });

  it('changes nothing when the same version arrives again', () => {
    const stored = mergeArticle(mergeArticle(undefined, v('kdd', true, 1, 'A'))!, v('relay', false, 1, 'B'))!;
    expect(mergeArticle(stored, v('relay', false, 1, 'B'))).toBeUndefined();
  });

  it('treats an article stored before sources were recorded as its own source’s', () => {
    const legacy = { ...v('kdd', true, 1, 'A'), sources: [] };
    expect(mergeArticle(legacy, v('relay', false, 2, 'B'))!.sources.map((s) => s.sourceId)).toEqual(['kdd', 'relay']);
  });
});
