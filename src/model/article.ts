import { z } from 'zod';
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

export const linkedDocumentSchema = z
  .object({
    url: z.string().url(),
    title: z.string().optional(),
    pages: z.number().int().min(0),
    bytes: z.number().int().min(0),
    /** The document's text, capped (extract.ts), for tagging and search. */
    text: z.string(),
  })
  .strict();
export type LinkedDocument = z.output<typeof linkedDocumentSchema>;

/** An authentication verdict as mailauth gives it: pass, fail, softfail, neutral, none, temperror, permerror, policy. */
const verdict = z.string().min(1).max(20);
export const mailAuthSchema = z.object({ spf: verdict, dkim: verdict, dmarc: verdict }).strict();
export type MailAuth = z.output<typeof mailAuthSchema>;

/** Text of an article's linked documents, for tagging and search. */
export const documentsText = (a: Pick<ArticleDraft, 'documents'>): string => (a.documents ?? []).map((d) => [d.title, d.text].filter(Boolean).join('\n')).join('\n');

/**
 * A normalized item: canonical URL, stable id, UTC dates, sanitized content, plain-text summary. The
 * schema is the type's one definition: enrich jobs carry drafts through Redis and are validated with it
 * (strict, so a field one side knows and the other does not fails loudly instead of vanishing).
 */
export const articleDraftSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    sourceId: z.string().min(1),
    url: z.string().url(),
    title: z.string(),
    summary: z.string(),
    contentHtml: z.string(),
    contentText: z.string(),
    author: z.string().optional(),
    publishedAt: z.string(),
    /** The date the source gave when it was implausible (before 1990, or over a day ahead) and publishedAt became the fetch time. */
    publishedAtOriginal: z.string().optional(),
    /** When the source's document carrying this version was fetched (ISO-8601): orders versions of one article from one source. */
    fetchedAt: z.string(),
    declaredLanguage: z.string().optional(),
    /** Set for consultations (høring, høyring, remiss …). */
    documentType: z.literal('consultation').optional(),
    /** Response deadline of a consultation, UTC ISO-8601. */
    deadline: z.string().optional(),
    /** Issuing departments or agencies, as the page names them. */
    departments: z.array(z.string()).optional(),
    /** Hash over what a reader sees (title, summary, content): a change means re-enrich. */
    contentHash: z.string().min(1),
    country: z.string().optional(),
    regionHint: z.string().optional(),
    /** The source is the article's publisher: its host is the article URL's host. */
    fromPublisher: z.boolean(),
    /** Documents (PDFs) the item links to, read for language, themes, regions and search. */
    documents: z.array(linkedDocumentSchema).optional(),
    /** For an article that came by e-mail: what SPF, DKIM and DMARC said of the message (mailauth's verdicts). */
    mailAuth: mailAuthSchema.optional(),
  })
  .strict();
export type ArticleDraft = z.output<typeof articleDraftSchema>;

/** One source that carried an article: the version it last served and when, whether or not that version is the stored one. */
export interface ArticleSighting {
  sourceId: string;
  contentHash: string;
  fetchedAt: string;
  /** The source's host is the article URL's host. */
  fromPublisher: boolean;
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
  /**
   * Every source that carried the article, `sourceId` (whose version is stored) among them. The id is
   * the canonical URL's, so one story published by one site and relayed by others is one article.
   */
  sources: ArticleSighting[];
  /**
   * When this service first stored the article (ISO-8601), set by the store on the first write and
   * kept by every later one: digests, alerts and webhooks send what was first stored since they last ran.
   */
  storedAt?: string;
  /**
   * The story the article belongs to: articles about one event, across sources and languages, share it
   * (the stories pass, src/jobs/stories.ts, sets it; until then an article stands alone).
   */
  story?: string;
  /**
   * Set on an article whose text is the same or nearly the same as an earlier one's (a press release
   * republished under another URL): that article's id. Lists, feeds, search and digests show the earlier
   * one, with this one's source and URL among its "also reported by"; the copy stays stored, so its
   * source's next fetch knows it and nothing is stored twice.
   */
  duplicateOf?: string;
}

/** One other report of an article's story, as outputs list it under "also reported by". */
export interface StoryMate {
  id: string;
  title: string;
  url: string;
  sourceId: string;
  language: string;
  publishedAt: string;
  /** This report is a near-copy of the article it is listed under. */
  duplicate: boolean;
}

/** Reports of one story in the order outputs list them: published first, then by id. */
export const oldestFirst = (x: Pick<Article, 'publishedAt' | 'id'>, y: Pick<Article, 'publishedAt' | 'id'>): number =>
  x.publishedAt.localeCompare(y.publishedAt) || x.id.localeCompare(y.id);

/** What the stories pass decides for one article. */
export interface StoryAssignment {
  id: string;
  story: string;
  duplicateOf?: string;
}

/** The sighting an article's own version stands for. */
export function sightingOf(a: Pick<ArticleDraft, 'sourceId' | 'contentHash' | 'fetchedAt' | 'fromPublisher'>): ArticleSighting {
  return { sourceId: a.sourceId, contentHash: a.contentHash, fetchedAt: a.fetchedAt, fromPublisher: a.fromPublisher };
}
