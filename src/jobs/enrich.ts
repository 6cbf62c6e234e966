import { documentsText, sightingOf, type Article, type ArticleDraft } from '../model/article.js';
import type { LanguageDetector } from '../pipeline/language/index.js';
import type { ThemeTagger } from '../pipeline/themes/index.js';
import { countriesOf, type RegionTagger } from '../pipeline/regions/index.js';

export interface EnrichDeps {
  detectLanguage: LanguageDetector;
  tagThemes: ThemeTagger;
  tagRegions: RegionTagger;
  /** Version of the taxonomy and gazetteer together (Config.tagVersion). */
  tagVersion: number;
}

/** A normalized draft → a stored article: language, themes, regions, countries. Pure; the write is the caller's. */
export function enrichArticle(draft: ArticleDraft, deps: EnrichDeps): Article {
  // Linked documents count as body text: a teaser that only links a report is tagged by the report.
  const body = [draft.contentText, documentsText(draft)].filter(Boolean).join('\n');
  const language = deps.detectLanguage({
    title: draft.title,
    summary: draft.summary,
    body,
    declared: draft.declaredLanguage,
  });
  const regions = deps.tagRegions([draft.title, draft.summary, body].join('\n'));
  const themes = deps.tagThemes({ title: draft.title, summary: draft.summary, text: body, language: language.lang });
  return {
    ...draft,
    language: language.lang,
    languageConfidence: Math.round(language.confidence * 1000) / 1000,
    themes,
    regions,
    countries: countriesOf(draft.country, regions),
    tagVersion: deps.tagVersion,
    sources: [sightingOf(draft)],
  };
}
