import { FetchError } from '../errors.js';
import type { ArticleDraft, RawItem } from '../model/article.js';
import type { Logger } from '../observability/log.js';
import { extractPdfText } from '../pipeline/documents/extract.js';
import { createLimiter } from '../pipeline/documents/limit.js';
import { documentLinks } from '../pipeline/documents/links.js';
import type { HttpClient } from '../pipeline/fetch/client.js';
import type { RobotsPolicy } from '../pipeline/fetch/robots.js';
import type { Source } from '../sources/schema.js';

/** What reading linked documents needs: the pipeline's one HTTP client and robots.txt policy. */
export interface DocumentDeps {
  http: HttpClient;
  robots: RobotsPolicy;
  userAgent: string;
  /** Where a document that could not be read is reported (the article is stored without it). */
  log?: Pick<Logger, 'warn'>;
}

/** PDF extractions at once in this process: each is a child process of up to its memory cap (256 MB). */
const extraction = createLimiter(2);

/**
 * Reads the PDFs new and changed items link to (source.documents), for feeds, listings and newsletter
 * issues alike: fetched under the same robots.txt, per-host politeness, address and size rules as
 * everything else, their text extracted in a child process with a memory and time cap
 * (pipeline/documents/extract.ts). The text goes to tagging and search with the article; the content
 * hash stays the item's, so an unchanged item is not read again. A document that cannot be fetched or
 * read is logged and left out; the article is stored without it.
 */
export async function addDocuments(drafts: ArticleDraft[], raw: ReadonlyMap<string, Pick<RawItem, 'enclosure'>>, source: Source, deps: DocumentDeps): Promise<void> {
  if (!source.documents) return;
  const { maxPerRun, maxBytes } = source.documents;
  let budget = maxPerRun;
  for (const draft of drafts) {
    for (const url of documentLinks(draft, raw.get(draft.id))) {
      if (budget-- <= 0) return;
      try {
        await deps.robots.assertAllowed(url, { sourceId: source.id });
        const res = await deps.http.get(url, { 'user-agent': deps.userAgent, accept: 'application/pdf, */*;q=0.5' }, { sourceId: source.id, maxBytes });
        if (res.status !== 200) throw new FetchError(`HTTP ${res.status}`, { sourceId: source.id, url, status: res.status, retryable: false });
        const pdf = await extraction(() => extractPdfText(res.body, { sourceId: source.id, url }));
        const document = { url: res.url, ...(pdf.title ? { title: pdf.title } : {}), pages: pdf.pages, bytes: res.body.length, text: pdf.text };
        draft.documents = [...(draft.documents ?? []), document];
      } catch (err) {
        deps.log?.warn({ err, sourceId: source.id, url, articleUrl: draft.url }, 'linked document not read');
      }
    }
  }
}
