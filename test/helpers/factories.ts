import { sightingOf, type Article } from '../../src/model/article.js';
import type { Source } from '../../src/sources/schema.js';
import { articleId } from '../../src/pipeline/normalize/id.js';

export function makeSource(overrides: Partial<Source> = {}): Source {
  return {
    id: 'test-source',
    name: 'Test source',
    url: 'https://example.org/feed.xml',
    kind: 'feed',
    country: 'NO',
    schedule: { every: 3_600_000, jitter: 0.1 },
    enabled: true,
    ...overrides,
  };
}

let counter = 0;
export function makeArticle(overrides: Partial<Article> = {}): Article {
  counter++;
  const url = overrides.url ?? `https://example.org/articles/${counter}`;
  const article: Article = {
    id: articleId(url),
    sourceId: 'test-source',
    url,
    title: `Article ${counter}`,
    summary: 'A summary.',
    contentHtml: '<p>Body.</p>',
    contentText: 'Body.',
    publishedAt: new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString(),
    fetchedAt: '2026-11-01T00:00:00.000Z',
    contentHash: `hash-${counter}`,
    language: 'nob',
    languageConfidence: 0.9,
    themes: [],
    regions: [],
    // as enrichment derives them: the source's country plus those of named regions
    countries: [...new Set([overrides.country ?? 'NO', ...(overrides.regions ?? []).map((r) => r.code.slice(0, 2))])],
    country: 'NO',
    tagVersion: 1,
    fromPublisher: true,
    sources: [],
    ...overrides,
  };
  return overrides.sources ? article : { ...article, sources: [sightingOf(article)] };
}
