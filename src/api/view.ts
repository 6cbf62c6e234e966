import type { Article } from '../model/article.js';
import { sourcesOf } from '../output/types.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';

/** Article as the JSON API shows it; `full` adds the sanitized HTML body. */
export function articleView(a: Article, taxonomy: Taxonomy, full = false) {
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
  };
}
