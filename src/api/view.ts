import type { Article } from '../model/article.js';
import { sourcesOf } from '../output/types.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';
import type { StoryMate } from '../jobs/stories.js';

/** A report of the same story in an article's `alsoReportedBy`. */
export const mateView = (m: StoryMate) => ({ id: m.id, title: m.title, url: m.url, source: m.sourceId, language: m.language, publishedAt: m.publishedAt, duplicate: m.duplicate });

/**
 * Article as the JSON API shows it; `full` adds the sanitized HTML body; `mates`, the other reports of its
 * story (jobs/stories.ts, storyMates).
 */
export function articleView(a: Article, taxonomy: Taxonomy, full = false, mates: readonly StoryMate[] = []) {
  const label = (id: string) => taxonomy.themes.find((t) => t.id === id)?.labels.en ?? id;
  return {
    id: a.id,
    url: a.url,
    title: a.title,
    summary: a.summary,
    ...(full ? { contentHtml: a.contentHtml } : {}),
    author: a.author,
    publishedAt: a.publishedAt,
    ...(a.publishedAtOriginal ? { publishedAtOriginal: a.publishedAtOriginal } : {}),
    fetchedAt: a.fetchedAt,
    source: a.sourceId,
    /** Every source that carried the article; `source`, whose version this is, first. */
    sources: sourcesOf(a),
    language: a.language,
    languageConfidence: a.languageConfidence,
    themes: a.themes.map((t) => ({ id: t.id, label: label(t.id), score: t.score, terms: t.terms })),
    regions: a.regions,
    countries: a.countries,
    documentType: a.documentType ?? null,
    deadline: a.deadline ?? null,
    departments: a.departments ?? [],
    /** Linked documents read with the article (their text is searched, not shown here). */
    documents: (a.documents ?? []).map(({ url, title, pages, bytes }) => ({ url, title: title ?? null, pages, bytes })),
    /** For an issue that came by e-mail: what SPF, DKIM and DMARC said. */
    mailAuth: a.mailAuth ?? null,
    /** The story the article belongs to; an article not grouped with others is a story of its own. */
    story: a.story ?? a.id,
    alsoReportedBy: mates.map(mateView),
  };
}
