import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../src/errors.js';
import { enrichPayloadSchema, parsePayload } from '../../../src/queue/payloads.js';
import { normalizeItem } from '../../../src/pipeline/normalize/index.js';
import type { ArticleDraft } from '../../../src/model/article.js';
import { makeSource } from '../../helpers/factories.js';

/** A draft with every optional field set, as ingestion makes one. */
function fullDraft(): ArticleDraft {
  const d = normalizeItem(
    {
      title: 'Høyring: ny lov',
      link: 'https://example.org/hoyring/1',
      summary: 'Samandrag',
      contentHtml: '<p>Tekst</p>',
      author: 'KDD',
      published: '0001-01-01T00:00:00Z',
      declaredLanguage: 'nno',
      typeLabel: 'Høyring',
      deadlineText: 'Høyringsfrist: 14.08.2027',
      departments: ['Kommunal- og distriktsdepartementet'],
    },
    makeSource({ region: 'NO-46', homepage: 'https://example.org/' }),
    { fetchedAt: '2026-11-29T12:00:00.000Z', documentUrl: 'https://example.org/feed.xml' },
  )!;
  return d;
}

describe('enrich job payloads', () => {
  it('carry a draft through Redis (JSON) and back unchanged, every field included', () => {
    const draft = fullDraft();
    for (const key of ['author', 'publishedAtOriginal', 'declaredLanguage', 'documentType', 'deadline', 'departments', 'regionHint', 'fromPublisher'] as const) {
      expect(draft[key], key).toBeDefined();
    }
    const back = parsePayload(enrichPayloadSchema, JSON.parse(JSON.stringify({ draft })), 'j1');
    expect(back.draft).toEqual(draft);
  });

  it('refuse a draft with a field the schema does not know, instead of dropping it on the way', () => {
    const draft = { ...fullDraft(), addedByANewerProducer: 'x' };
    expect(() => parsePayload(enrichPayloadSchema, { draft }, 'j2')).toThrow(PayloadError);
    expect(() => parsePayload(enrichPayloadSchema, { draft }, 'j2')).toThrow(/draft/);
  });
});
