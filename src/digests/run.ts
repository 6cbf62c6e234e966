import { randomBytes } from 'node:crypto';
import type { Article } from '../model/article.js';
import type { ArticleStore } from '../store/port.js';
import { MailError } from '../errors.js';
import type { Mailer } from '../mail/port.js';
import type { UiLanguage } from '../i18n/index.js';
import { articleFilterOf, type Subscription } from '../subscriptions/model.js';
import type { SubscriptionStore } from '../subscriptions/port.js';
import type { SubscriptionLinks } from '../subscriptions/links.js';
import { DIGEST_MAX_ITEMS, groupByTheme, type DigestContent, type DigestNames, type RenderedMail } from './content.js';
import type { Period } from './schedule.js';

export interface DigestDeps {
  subscriptions: SubscriptionStore;
  articles: Pick<ArticleStore, 'list' | 'count'>;
  mailer: Mailer;
  links: SubscriptionLinks;
  names: DigestNames;
  render(content: DigestContent): RenderedMail;
  /** The heading of articles that carry none of the followed themes, per language. */
  otherLabel(lang: UiLanguage): string;
  /** Host part of Message-IDs (the sending domain). */
  messageIdDomain: string;
  /** The process that claims periods (host, pid and a random part); each try adds its own part. */
  owner: string;
  /** How long a claim is held before another worker may take it over. */
  leaseMs: number;
  /**
   * A window ends this long before the run: an article is stamped with its store time just before its
   * write commits, so the newest moment is left to settle rather than risk missing an article for good.
   */
  settleMs: number;
  now(): number;
}

export type DigestOutcome =
  | { kind: 'sent'; articles: number }
  | { kind: 'empty' }
  | { kind: 'bounced'; reason: string }
  /** Finished before (sent, empty, bounced or uncertain): nothing done now. */
  | { kind: 'done' }
  /** Another worker holds the period. */
  | { kind: 'busy' }
  /** A worker died while handing this period to SMTP; recorded, not sent again. */
  | { kind: 'uncertain' }
  | { kind: 'inactive' };

/** The Message-ID of a subscriber's digest for a period: the same on every try, so a resend is recognisably the same message. */
export const digestMessageId = (subscriptionId: string, period: string, domain: string): string => `digest.${subscriptionId}.${period}@${domain}`;

/** Matching articles first stored in the window, newest first: those one e-mail shows, and how many more there are. */
export async function windowArticles(articles: DigestDeps['articles'], sub: Pick<Subscription, 'filter'>, from: string, to: string): Promise<{ shown: Article[]; more: number }> {
  const filter = { ...articleFilterOf(sub.filter), storedFrom: from, storedTo: to };
  const page = await articles.list(filter, { limit: DIGEST_MAX_ITEMS });
  // Counted only when there is more than one e-mail shows.
  const more = page.nextCursor ? (await articles.count(filter)) - page.items.length : 0;
  return { shown: page.items, more: Math.max(0, more) };
}

/** Builds what a subscriber's digest shows for a window. */
export function digestContent(deps: Pick<DigestDeps, 'names' | 'otherLabel'> & { links: Omit<SubscriptionLinks, 'confirm'> }, sub: Pick<Subscription, 'id' | 'feedToken' | 'locale' | 'frequency' | 'email' | 'filter'>, window: { from: string; to: string }, found: { shown: Article[]; more: number }): DigestContent {
  const groups = groupByTheme(found.shown, { lang: sub.locale, followed: sub.filter.themes, names: deps.names, otherLabel: deps.otherLabel(sub.locale) });
  return {
    locale: sub.locale,
    frequency: sub.frequency,
    email: sub.email,
    from: window.from,
    to: window.to,
    filter: sub.filter,
    groups,
    // Items shown: each story once.
    total: groups.reduce((n, g) => n + g.items.length, 0),
    more: found.more,
    links: { manage: deps.links.manage(sub), unsubscribe: deps.links.unsubscribe(sub), web: deps.links.web(sub.filter), feed: deps.links.feed(sub, 'atom') },
  };
}

/**
 * Sends one subscriber's digest for one period, exactly once however often it is called: the period is
 * claimed in the ledger first (a second caller is told `busy` or `done`), marked `sending` just before
 * SMTP gets it and `sent` when SMTP accepted it. A temporary SMTP failure gives the period back and
 * throws (the queue retries with backoff); a bounce is recorded and not retried; nothing new finishes
 * the period without a message.
 */
export async function sendDigest(deps: DigestDeps, subscriptionId: string, period: Period): Promise<DigestOutcome> {
  const now = deps.now();
  // Each try its own owner: a job run again in the same process (its lock lost) must not pass for the run still going.
  const owner = `${deps.owner}/${randomBytes(4).toString('hex')}`;
  const claimed = await deps.subscriptions.claimPeriod({
    subscriptionId,
    period: period.key,
    periodAt: period.at,
    to: new Date(now - deps.settleMs).toISOString(),
    owner,
    leaseMs: deps.leaseMs,
    now: new Date(now).toISOString(),
  });
  if (claimed.kind !== 'claimed') return { kind: claimed.kind };
  const { claim } = claimed;
  const finish = (how: Parameters<SubscriptionStore['finish']>[3]) => deps.subscriptions.finish(subscriptionId, period.key, owner, how);
  let handedOver = false;
  try {
    const sub = await deps.subscriptions.get(subscriptionId);
    if (!sub) return { kind: 'inactive' };
    const found = await windowArticles(deps.articles, sub, claim.from, claim.to);
    if (!found.shown.length) {
      await finish({ state: 'empty' });
      return { kind: 'empty' };
    }
    const mail = deps.render(digestContent(deps, sub, claim, found));
    if (!(await deps.subscriptions.markSending(subscriptionId, period.key, owner))) return { kind: 'busy' };
    try {
      await deps.mailer.send({
        to: sub.email,
        ...mail,
        messageId: digestMessageId(sub.id, period.key, deps.messageIdDomain),
        date: new Date(deps.now()),
        unsubscribeUrl: deps.links.unsubscribe(sub),
        listId: `Regionradar ${sub.frequency} <${sub.id}.digests.${deps.messageIdDomain}>`,
      });
    } catch (err) {
      if (err instanceof MailError && err.kind === 'bounce') {
        await finish({ state: 'bounced', reason: err.message });
        return { kind: 'bounced', reason: err.message };
      }
      throw err;
    }
    handedOver = true;
    await finish({ state: 'sent', articles: found.shown.length });
    return { kind: 'sent', articles: found.shown.length };
  } catch (err) {
    // Not handed over (or refused for now): the next try claims the period afresh. Once SMTP has taken
    // the message, a failure to record it leaves the claim `sending`, never sent again (see README).
    if (!handedOver) await deps.subscriptions.release(subscriptionId, period.key, owner).catch(() => undefined);
    throw err;
  }
}
