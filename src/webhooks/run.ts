import { byStory, toDigestItem, type DigestItem, type DigestNames } from '../digests/content.js';
import type { UiLanguage } from '../i18n/index.js';
import type { Article } from '../model/article.js';
import { MAX_PAGE_SIZE, type ArticleFilter, type Cursor } from '../store/filter.js';
import type { ArticleStore } from '../store/port.js';
import { articleFilterOf } from '../subscriptions/model.js';
import type { PostWebhook } from './deliver.js';
import { formatMessage } from './format.js';
import type { Webhook } from './model.js';
import type { WebhookStore } from './port.js';
import { deliveryId } from './sign.js';

/** What delivering webhooks needs; the composition root binds postWebhook's options into `post`. */
export interface WebhookRunDeps {
  webhooks: WebhookStore;
  articles: Pick<ArticleStore, 'list'>;
  names: DigestNames;
  post: PostWebhook;
  now: () => Date;
  /** This worker's id in claims, unique per process. */
  owner: string;
  /** How long a claim holds; longer than a delivery's timeout, so a live delivery keeps its window. */
  leaseMs: number;
  /**
   * How far behind now a window ends. A store stamps `storedAt` as it writes, a moment before every
   * reader sees the write (a transaction still open, Meilisearch still indexing its task queue); a
   * window ending that far in the past does not close over articles not yet visible. A minute is ample.
   */
  settleMs: number;
  /** Named in messages, and linked for the articles beyond the cap. */
  site: { name: string; url: string };
  /** Language of theme labels; `en` by default. */
  locale?: UiLanguage;
  /** Articles one delivery carries at most (newest first); the rest are counted in the message. Default WEBHOOK_MAX_ARTICLES. */
  maxArticles?: number;
}

/** Articles per delivery by default: a channel message stays readable, and the formats cut to their own limits below it. */
export const WEBHOOK_MAX_ARTICLES = 200;

/** What one call of deliverWebhook did. */
export type DeliveryOutcome =
  /** The window's articles were posted and the window is done. */
  | { kind: 'delivered'; from: string; to: string; deliveryId: string; articles: number; more: number }
  /** No article of the window matched: the window is done, nothing was posted. */
  | { kind: 'empty'; from: string; to: string }
  /** Another worker holds this webhook's window. */
  | { kind: 'busy' }
  /** The next window has not opened yet. */
  | { kind: 'idle' }
  /** No such webhook (deleted after its job was queued). */
  | { kind: 'gone' };

/**
 * Delivers a webhook's next window: claims it (ending `settleMs` before now, or where a failed
 * attempt's window ended), lists the articles first stored in it that match the webhook's filter,
 * posts them in the webhook's format, and finishes the window. A window with no match is finished
 * without posting. On any failure the window is failed (released, kept pending) and the error
 * rethrown: a WebhookDeliveryError with `retryable` for the queue to retry with backoff, a
 * WebhookRefusedError or a non-retryable WebhookDeliveryError for the admin to look at.
 *
 * @example
 *   const outcome = await deliverWebhook({ webhooks, articles: store, names, post, now: () => new Date(), owner: workerId, leaseMs: 120_000, settleMs: 60_000, site }, id);
 */
export async function deliverWebhook(deps: WebhookRunDeps, id: string): Promise<DeliveryOutcome> {
  const webhook = await deps.webhooks.get(id);
  if (!webhook) return { kind: 'gone' };
  const now = deps.now();
  const claim = await deps.webhooks.claimWindow(id, {
    to: new Date(now.getTime() - deps.settleMs).toISOString(),
    owner: deps.owner,
    leaseMs: deps.leaseMs,
    now: now.toISOString(),
  });
  if (claim.kind !== 'claimed') return claim;
  const { from, to } = claim;
  try {
    const { articles, more } = await windowArticles(deps, webhook, from, to);
    if (!articles.length) {
      await deps.webhooks.finishWindow(id, deps.owner, to);
      return { kind: 'empty', from, to };
    }
    // Each story once, with its other reports in the window as `also`.
    const items: DigestItem[] = byStory(articles).map(({ lead, also }) => toDigestItem(lead, deps.locale ?? 'en', deps.names, also));
    const delivery = deliveryId(id, to);
    const payload = formatMessage(webhook.format, { webhookId: id, from, to, items, more, site: deps.site });
    await deps.post(webhook, { deliveryId: delivery, payload });
    // False only when the lease ran out mid-post and another worker took the window over: it posts the
    // same window under the same delivery id, which the receiver can drop.
    await deps.webhooks.finishWindow(id, deps.owner, to, deps.now().toISOString());
    return { kind: 'delivered', from, to, deliveryId: delivery, articles: items.length, more };
  } catch (err) {
    // Should recording the failure fail too, the lease runs out and the window is retried all the same.
    await deps.webhooks.failWindow(id, deps.owner, (err as Error)?.message ?? String(err), deps.now().toISOString()).catch(() => false);
    throw err;
  }
}

/**
 * The articles first stored in (from, to] that match the webhook's filter, newest first, at most
 * maxArticles; `more` counts the rest (paging on, keeping only the count).
 */
async function windowArticles(deps: WebhookRunDeps, webhook: Webhook, from: string, to: string): Promise<{ articles: Article[]; more: number }> {
  const max = deps.maxArticles ?? WEBHOOK_MAX_ARTICLES;
  const filter: ArticleFilter = { ...articleFilterOf(webhook.filter), storedFrom: from, storedTo: to };
  const articles: Article[] = [];
  let more = 0;
  let cursor: Cursor | undefined;
  do {
    const page = await deps.articles.list(filter, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    const room = max - articles.length;
    articles.push(...page.items.slice(0, Math.max(0, room)));
    more += Math.max(0, page.items.length - Math.max(0, room));
    cursor = page.nextCursor;
  } while (cursor);
  return { articles, more };
}

/**
 * Retry backoff for webhook deliveries: 30 s doubling per attempt (1 = the first retry) up to an
 * hour, or what the receiver asked for with Retry-After (up to a day). Slack and Teams rate limits
 * clear within a minute; an hour keeps a dead receiver from being hit more than hourly.
 *
 * @example retryDelay(1) // → 30_000;  retryDelay(3) // → 120_000;  retryDelay(2, { retryAfter: 90 }) // → 90_000
 */
export function retryDelay(attempt: number, err?: unknown): number {
  const retryAfter = (err as { retryAfter?: unknown } | undefined)?.retryAfter;
  if (typeof retryAfter === 'number' && retryAfter >= 0) return Math.min(retryAfter * 1000, RETRY_AFTER_MAX_MS);
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS);
}
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;
const RETRY_AFTER_MAX_MS = 86_400_000;

/** One webhook's part in a periodic run. */
export type RunResult =
  | { id: string; ok: true; outcome: DeliveryOutcome | { kind: 'backoff'; until: string } }
  | { id: string; ok: false; error: unknown };

/**
 * The periodic run: delivers every webhook's next window, one after the other. A failing webhook is
 * left out until its backoff (retryDelay of its failures in a row, from its last failure) has passed,
 * so a receiver that is down or gone is not posted to at every tick; its error is collected and the
 * run goes on, so one bad receiver never holds up the others.
 *
 * @example
 *   for (const r of await runDueWebhooks(deps)) if (!r.ok) log.warn({ err: r.error, webhookId: r.id }, 'webhook delivery failed');
 */
export async function runDueWebhooks(deps: WebhookRunDeps): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const webhook of await deps.webhooks.list()) {
    const until = backoffUntil(webhook);
    if (until && until > deps.now()) {
      results.push({ id: webhook.id, ok: true, outcome: { kind: 'backoff', until: until.toISOString() } });
      continue;
    }
    try {
      results.push({ id: webhook.id, ok: true, outcome: await deliverWebhook(deps, webhook.id) });
    } catch (error) {
      results.push({ id: webhook.id, ok: false, error });
    }
  }
  return results;
}

/** When a failing webhook may be tried again; undefined when it is not failing. */
function backoffUntil(w: Webhook): Date | undefined {
  if (!w.failures || !w.lastFailureAt) return undefined;
  return new Date(Date.parse(w.lastFailureAt) + retryDelay(w.failures));
}
