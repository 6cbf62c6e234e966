import type { ThemeTag, RegionTag } from './tags.js';

/** What any parser yields for one item, before normalization. Strings are as found (HTML allowed). */
export interface RawItem {
  guid?: string;
  title?: string;
  link?: string;
  /** Date string as found in the feed or page. */
  published?: string;
  updated?: string;
  summary?: string;
  contentHtml?: string;
  /** Base URL for relative links in the content (its xml:base), when it differs from the item link's. */
  contentBase?: string;
  author?: string;
  categories?: string[];
  /** URL of the first enclosure (podcast audio, attached report). */
  enclosure?: string;
  /** Language the feed or page declares for this item (xml:lang, <language>, <html lang>). */
  declaredLanguage?: string;
  /** A document-type label from the page ("Høring", "Høyring", "Remiss"). */
  typeLabel?: string;
  /** Text near the item that may state a response deadline ("Høringsfrist: 14.08.2026"). */
  deadlineText?: string;
  departments?: string[];
}

/** A normalized item: canonical URL, stable id, UTC dates, sanitized content, plain-text summary. */
export interface ArticleDraft {
  id: string;
  sourceId: string;
  url: string;
  title: string;
  summary: string;
  contentHtml: string;
  contentText: string;
  author?: string;
  publishedAt: string;
  fetchedAt: string;
  declaredLanguage?: string;
  /** Set for consultations (høring, høyring, remiss …). */
  documentType?: 'consultation';
  /** Response deadline of a consultation, UTC ISO-8601. */
  deadline?: string;
  /** Issuing departments or agencies, as the page names them. */
  departments?: string[];
  /** Hash over what a reader sees (title, summary, content): a change means re-enrich. */
  contentHash: string;
  country?: string;
  regionHint?: string;
}

/** An enriched, stored article. */
export interface Article extends ArticleDraft {
  language: string;
  languageConfidence: number;
  themes: ThemeTag[];
  regions: RegionTag[];
  countries: string[];
  /** Version of the tagging rules that produced `themes`, so a taxonomy change can re-tag. */
  tagVersion: number;
}
