import type { ArticleDraft } from '../../src/model/article.js';
import type { Source } from '../../src/sources/schema.js';
import { parsePage } from '../../src/pipeline/parse/index.js';
import { normalizeItem } from '../../src/pipeline/normalize/index.js';

/** What the audit needs of a stored article. */
export interface StoredArticle {
  id: string;
  sourceId: string;
  url: string;
  title: string;
  contentHash: string;
}

/** An item version as ingestion must see it: the project's own parse and normalize stages over the document served. */
export interface ExpectedArticle {
  id: string;
  sourceId: string;
  url: string;
  title: string;
  contentHash: string;
}

/** A document → its items' ids, titles and content hashes, exactly as src/jobs/ingest.ts derives them. */
export async function expectedArticles(xml: string, source: Source, contentType: string): Promise<ExpectedArticle[]> {
  const page = await parsePage(xml, source, { url: source.url, contentType });
  const fetchedAt = new Date().toISOString();
  return page.items
    .map((item) => normalizeItem(item, source, { fetchedAt, documentUrl: source.url }))
    .filter((d): d is ArticleDraft => d !== undefined)
    .map((d) => ({ id: d.id, sourceId: d.sourceId, url: d.url, title: d.title, contentHash: d.contentHash }));
}

export interface AuditResult {
  expected: number;
  stored: number;
  /** Expected ids not stored. */
  lost: string[];
  /** Stored ids beyond the expected ones (an item under a second id counts here). */
  duplicated: string[];
  /** Stored with another version than the publisher's latest, or under another source. */
  overwritten: string[];
  /** A few examples per kind, for the report. */
  examples: string[];
  /** Overwritten articles stored under another source than their publisher. */
  foreignSource: number;
}

const withoutQuery = (url: string) => url.replace(/[?#].*$/, '');

/**
 * Compares the store with what the feeds served. `publisher` holds each publishing feed's version of
 * its items (the feed's latest served state); `relayed` the ids other sources served (any version of
 * those is fine, but they must be stored).
 */
export function compare(publisher: Map<string, ExpectedArticle>, relayed: Set<string>, stored: Map<string, StoredArticle>): AuditResult {
  const lost: string[] = [];
  const overwritten: string[] = [];
  const duplicated: string[] = [];
  const examples: string[] = [];
  let foreignSource = 0;
  const example = (kind: string, text: string) => {
    if (examples.filter((e) => e.startsWith(kind)).length < 3) examples.push(`${kind} ${text}`);
  };
  for (const [id, want] of publisher) {
    const got = stored.get(id);
    if (!got) {
      lost.push(id);
      example('lost', `${id} ${want.url} (${want.sourceId})`);
      continue;
    }
    if (got.sourceId !== want.sourceId) {
      overwritten.push(id);
      foreignSource++;
      example('overwritten', `${id} ${want.url}: stored from ${got.sourceId}, published by ${want.sourceId} ("${got.title.slice(0, 60)}")`);
    } else if (got.contentHash !== want.contentHash || got.title !== want.title) {
      overwritten.push(id);
      example('overwritten', `${id} ${want.url}: stored "${got.title.slice(-40)}", served "${want.title.slice(-40)}"`);
    }
  }
  for (const id of relayed) {
    if (publisher.has(id)) continue;
    if (!stored.has(id)) {
      lost.push(id);
      example('lost', `${id} (relayed only)`);
    }
  }
  const expectedUrls = new Map<string, string>();
  for (const [id, e] of publisher) expectedUrls.set(withoutQuery(e.url), id);
  for (const [id, got] of stored) {
    if (publisher.has(id) || relayed.has(id)) continue;
    duplicated.push(id);
    const twin = expectedUrls.get(withoutQuery(got.url));
    example('duplicated', twin ? `${id} ${got.url}: the item of ${twin} under a second id` : `${id} ${got.url}: not an item any feed served`);
  }
  return { expected: new Set([...publisher.keys(), ...relayed]).size, stored: stored.size, lost, duplicated, overwritten, examples, foreignSource };
}
