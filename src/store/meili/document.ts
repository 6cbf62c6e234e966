import { documentsText, type Article } from '../../model/article.js';
import { foldedText, stemmedText } from '../../search/analyze.js';
import { sightingsOf } from '../../pipeline/dedupe/merge.js';

/**
 * The article as a Meilisearch document: the article itself (returned whole), the folded and stemmed
 * text the engine matches on (it neither stems Nordic text nor folds ø), and flat fields to filter,
 * facet and sort on.
 */
export interface MeiliDocument {
  id: string;
  /**
   * The id in lower-case hex. Meilisearch compares and sorts strings case-insensitively, and ids are
   * case-sensitive base64url; hex keeps their order and makes the keyset cursor and scan exact.
   */
  key: string;
  article: Article;
  contentHash: string;
  title_f: string;
  title_s: string;
  summary_f: string;
  summary_s: string;
  content_f: string;
  content_s: string;
  language: string;
  /** Every source that carried the article, for the source filter, facet and counts. */
  sourceIds: string[];
  /** The content hash each source last delivered, for ingestion's per-source dedupe without reading the article. */
  seen: Record<string, string>;
  themeIds: string[];
  countries: string[];
  regionCodes: string[];
  documentType?: string;
  publishedTs: number;
  deadlineTs?: number;
  /** When the article was first stored (ms), for digests and webhooks. */
  storedTs?: number;
  story?: string;
  /** Present on near-duplicates only: lists and search leave out documents that have it. */
  duplicateOf?: string;
}

export const idKey = (id: string): string => Buffer.from(id, 'utf8').toString('hex');

/** The searchable body: the article's text and its linked documents' text. */
const bodyOf = (a: Article): string => (a.documents?.length ? `${a.contentText}\n${documentsText(a)}` : a.contentText);

export function toDocument(a: Article): MeiliDocument {
  const sources = sightingsOf(a);
  return {
    id: a.id,
    key: idKey(a.id),
    article: a,
    contentHash: a.contentHash,
    title_f: foldedText(a.title),
    title_s: stemmedText(a.title, a.language),
    summary_f: foldedText(a.summary),
    summary_s: stemmedText(a.summary, a.language),
    content_f: foldedText(bodyOf(a)),
    content_s: stemmedText(bodyOf(a), a.language),
    language: a.language,
    sourceIds: sources.map((x) => x.sourceId),
    seen: Object.fromEntries(sources.map((x) => [x.sourceId, x.contentHash])),
    themeIds: a.themes.map((t) => t.id),
    countries: a.countries,
    regionCodes: a.regions.map((r) => r.code),
    ...(a.documentType ? { documentType: a.documentType } : {}),
    publishedTs: Date.parse(a.publishedAt),
    ...(a.deadline ? { deadlineTs: Date.parse(a.deadline) } : {}),
    ...(a.storedAt ? { storedTs: Date.parse(a.storedAt) } : {}),
    ...(a.story ? { story: a.story } : {}),
    ...(a.duplicateOf ? { duplicateOf: a.duplicateOf } : {}),
  };
}
