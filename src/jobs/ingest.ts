import { FetchError, NotFoundError } from '../errors.js';
import type { ArticleDraft } from '../model/article.js';
import type { Source } from '../sources/schema.js';
import type { SourceCatalogue } from '../sources/catalogue.js';
import type { HttpClient } from '../pipeline/fetch/client.js';
import { fetchSource } from '../pipeline/fetch/index.js';
import { parsePage } from '../pipeline/parse/index.js';
import { extractArticle } from '../pipeline/extract/index.js';
import type { RawItem } from '../model/article.js';
import { normalizeItem } from '../pipeline/normalize/index.js';
import { partitionByNovelty } from '../pipeline/dedupe/index.js';
import type { FetchState } from '../state/port.js';
import type { IngestPayload } from '../queue/payloads.js';
import type { RobotsPolicy } from '../pipeline/fetch/robots.js';
import { decideFetch } from '../sources/health.js';
import { classifyIngestFailure, countsAgainstSource } from './failure.js';
import type { Logger } from '../observability/log.js';
import { addDocuments } from './documents.js';

export interface IngestDeps {
  catalogue: Pick<SourceCatalogue, 'get'>;
  http: HttpClient;
  state: FetchState;
  robots: RobotsPolicy;
  /** The content hash the source last delivered, per article id (ArticleStore.knownHashes). */
  knownHashes(sourceId: string, ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * Queues drafts for enrichment, idempotently per article version. `revive`: ids whose earlier job may
   * have failed for good; such a job is retried rather than left to block its version.
   */
  enqueueEnrich(drafts: readonly ArticleDraft[], opts?: { revive?: ReadonlySet<string> }): Promise<void>;
  userAgent: string;
  /** Where a linked document that could not be read is reported (the article is stored without it). */
  log?: Pick<Logger, 'warn'>;
  now?: () => number;
}

export interface IngestResult {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'skipped';
  items: number;
  fresh: number;
  changed: number;
  /** Why a run did not fetch (pause, backoff, Retry-After), or fetched in full. */
  reason?: string;
}

/**
 * politeness (pause, backoff, robots.txt) → fetch → parse → normalize → dedupe → enqueue enrich.
 *
 * A fetch counts as done only when its articles are stored: the validators are saved with the list of
 * what this fetch queued, and the next run trusts them (sending If-None-Match) only if all of that is in
 * the store; otherwise it fetches in full and queues what is still missing. So a crash, a job that
 * failed, or a Redis that lost its queues never hides articles behind a 304.
 *
 * Failures are classified once (jobs/failure.ts): only the source's own faults touch its health.
 */
export async function runIngest(payload: IngestPayload, deps: IngestDeps): Promise<IngestResult> {
  // Read per job: a source changed through the admin API applies from the next fetch, in every worker.
  const source = await deps.catalogue.get(payload.sourceId);
  if (!source) throw new NotFoundError(`no source with id "${payload.sourceId}" is configured`, { sourceId: payload.sourceId });
  const now = deps.now?.() ?? Date.now();
  const at = new Date(now).toISOString();
  // Its issues arrive by e-mail (newsletters/receive.ts); its url is a sign-up page, never fetched.
  if (source.kind === 'newsletter') return { sourceId: source.id, status: 'skipped', items: 0, fresh: 0, changed: 0, reason: 'a newsletter arrives by e-mail' };
  const health = (await deps.state.getHealth([source.id])).get(source.id);
  const decision = decideFetch(source, health, now, payload.force);
  if (!decision.fetch) return { sourceId: source.id, status: 'skipped', items: 0, fresh: 0, changed: 0, reason: decision.reason };
  try {
    await deps.robots.assertAllowed(source.url, { sourceId: source.id });
    const saved = await deps.state.getValidators(source.id);
    const unstored = saved?.pending ? await notYetStored(source.id, saved.pending, deps) : [];
    // Keep fullFetchAt: a full fetch now is what it records anyway.
    const validators = unstored.length ? undefined : saved;
    const outcome = await fetchSource({ sourceId: source.id, url: source.url }, validators, deps.http, deps.userAgent, now);
    if (outcome.kind === 'not-modified') {
      await deps.state.recordFetch(source.id, { at, status: 'not-modified' });
      return { sourceId: source.id, status: 'not-modified', items: 0, fresh: 0, changed: 0 };
    }
    const page = await parsePage(outcome.text, source, { url: outcome.url, contentType: outcome.contentType });
    const raw = [...page.items, ...(await olderPages(source, page.next, deps, now))];
    const normalized = raw.flatMap((item) => {
      const draft = normalizeItem(item, source, { fetchedAt: at, documentUrl: outcome.url });
      return draft ? [{ item, draft }] : [];
    });
    const drafts = normalized.map((n) => n.draft);
    const known = await deps.knownHashes(source.id, drafts.map((d) => d.id));
    const { fresh, changed } = partitionByNovelty(drafts, known);
    const toEnrich = [...fresh, ...changed];
    if (source.fullText) await addFullText(toEnrich, source, deps, now);
    if (source.documents) await addDocuments(toEnrich, new Map(normalized.map((n) => [n.draft.id, n.item])), source, deps);
    await deps.enqueueEnrich(toEnrich, { revive: new Set(unstored) });
    await deps.state.setValidators(source.id, { ...outcome.validators, pending: Object.fromEntries(toEnrich.map((d) => [d.id, d.contentHash])) });
    await deps.state.recordFetch(source.id, { at, status: 'ok', itemCount: drafts.length });
    return {
      sourceId: source.id,
      status: 'ok',
      items: drafts.length,
      fresh: fresh.length,
      changed: changed.length,
      ...(unstored.length ? { reason: `fetched in full: ${unstored.length} article(s) of the last fetch not stored yet` } : {}),
    };
  } catch (err) {
    const kind = classifyIngestFailure(err);
    if (countsAgainstSource(kind)) {
      const retryAfter = err instanceof FetchError ? err.retryAfter : undefined;
      const notBefore = retryAfter === undefined ? undefined : new Date(now + retryAfter * 1000).toISOString();
      const status = kind === 'gone' ? 'gone' : 'error';
      // If recording fails too, Redis is down: the job's own error still says what happened.
      await deps.state.recordFetch(source.id, { at, status, error: (err as Error).message, notBefore }).catch(() => {});
    }
    throw err;
  }
}

/** Ids of a fetch's queued articles whose version the store does not hold yet. */
async function notYetStored(sourceId: string, pending: Record<string, string>, deps: IngestDeps): Promise<string[]> {
  const ids = Object.keys(pending);
  if (!ids.length) return [];
  const stored = await deps.knownHashes(sourceId, ids);
  return ids.filter((id) => stored.get(id) !== pending[id]);
}

/**
 * Further pages of a listing (source.listing.pages > 1), fetched unconditionally after the first one
 * changed. A page that fails ends the walk: the first page's items still count.
 */
async function olderPages(source: Source, next: string | undefined, deps: IngestDeps, now: number): Promise<RawItem[]> {
  const items: RawItem[] = [];
  const seen = new Set([source.url]);
  for (let n = 2; next && n <= (source.listing?.pages ?? 1) && !seen.has(next); n++) {
    seen.add(next);
    try {
      await deps.robots.assertAllowed(next, { sourceId: source.id });
      const outcome = await fetchSource({ sourceId: source.id, url: next }, undefined, deps.http, deps.userAgent, now);
      if (outcome.kind !== 'fetched') break;
      const page = await parsePage(outcome.text, source, { url: outcome.url, contentType: outcome.contentType });
      items.push(...page.items);
      next = page.next;
    } catch {
      break;
    }
  }
  return items;
}

/** Items with less text than this carry a summary only, and get their article page read. */
const SUMMARY_ONLY_CHARS = 600;

/**
 * Replaces summary-only content with the article's body from its page (source.fullText). The
 * content hash stays the one of what the feed said, so an unchanged item is not fetched again.
 * A page that cannot be fetched, is disallowed or yields no article leaves the item as it was.
 */
async function addFullText(drafts: ArticleDraft[], source: Source, deps: IngestDeps, now: number): Promise<void> {
  const wanted = drafts.filter((d) => d.contentText.length < SUMMARY_ONLY_CHARS).slice(0, source.fullText!.maxPerRun);
  for (const draft of wanted) {
    try {
      await deps.robots.assertAllowed(draft.url, { sourceId: source.id });
      const page = await fetchSource({ sourceId: source.id, url: draft.url }, undefined, deps.http, deps.userAgent, now);
      if (page.kind !== 'fetched') continue;
      const article = extractArticle(page.text, page.url, { selector: source.fullText!.selector });
      if (!article) continue;
      draft.contentHtml = article.html;
      draft.contentText = article.text;
    } catch {
      // the item keeps the feed's summary; the next change to it tries again
    }
  }
}
