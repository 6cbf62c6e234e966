import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { t, type UiLanguage } from '../i18n/index.js';
import type { Mailer } from '../mail/port.js';
import type { SourceCatalogue } from '../sources/catalogue.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';
import type { ArticleStore } from '../store/port.js';
import { FREQUENCIES, type Frequency, type Subscription, type SubscriptionFilter } from '../subscriptions/model.js';
import type { SubscriptionStore } from '../subscriptions/port.js';
import { CONFIRM_TTL_HOURS, filterParams, subscriptionLinks, type SubscriptionLinks } from '../subscriptions/links.js';
import { JOB } from '../queue/names.js';
import type { DigestNames, RenderedMail } from './content.js';
import { describeFilter, renderConfirmationEmail, renderDigestEmail } from './render/index.js';
import { digestContent, sendDigest, windowArticles, type DigestDeps, type DigestOutcome } from './run.js';
import { duePeriod, periodAtOrAfter, type Period } from './schedule.js';

/** What sending needs from the process: configured only when SECRET_KEY and SMTP_URL are set. */
export interface OutboxSettings {
  secret: string;
  /** PUBLIC_URL, or the API's own address. */
  baseUrl: string;
  /** Domain of Message-IDs: MAIL_FROM's. */
  messageIdDomain: string;
  leaseMs: number;
  settleMs: number;
}

export interface OutboxDeps {
  subscriptions: SubscriptionStore;
  store: Pick<ArticleStore, 'list' | 'count'>;
  mailer: Mailer;
  catalogue: Pick<SourceCatalogue, 'list'>;
  taxonomy: Taxonomy;
  settings: OutboxSettings;
}

/** The domain of an address such as `Regionradar <digest@example.org>`. */
export function mailDomain(from: string, fallback: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? fallback;
}

/** One owner id per process: digest claims and webhook windows name who holds them. */
export const PROCESS_OWNER = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;

export const linksFor = (s: OutboxSettings): SubscriptionLinks => subscriptionLinks(s.baseUrl, s.secret);

/** Theme labels from the taxonomy and source names from the catalogue, as digests show them. */
export async function digestNames(deps: Pick<OutboxDeps, 'catalogue' | 'taxonomy'>): Promise<DigestNames> {
  const sources = new Map((await deps.catalogue.list()).map((s) => [s.id, s.name]));
  const themes = new Map(deps.taxonomy.themes.map((th) => [th.id, th.labels]));
  return { theme: (id, lang) => themes.get(id)?.[lang] ?? id, source: (id) => sources.get(id) ?? id };
}

export async function digestDeps(deps: OutboxDeps): Promise<DigestDeps> {
  return {
    subscriptions: deps.subscriptions,
    articles: deps.store,
    mailer: deps.mailer,
    links: linksFor(deps.settings),
    names: await digestNames(deps),
    render: renderDigestEmail,
    otherLabel: (lang: UiLanguage) => t(lang, 'mail.otherTheme'),
    messageIdDomain: deps.settings.messageIdDomain,
    owner: PROCESS_OWNER,
    leaseMs: deps.settings.leaseMs,
    settleMs: deps.settings.settleMs,
    now: Date.now,
  };
}

/** Each active subscription of the frequencies with the period it is due for at `nowMs` (or, with `early`, its next period). */
export async function* duePeriods(subscriptions: SubscriptionStore, opts: { frequencies?: readonly Frequency[]; nowMs: number; early?: boolean }): AsyncGenerator<{ sub: Subscription; period: Period }> {
  for (const frequency of opts.frequencies ?? FREQUENCIES) {
    let after: string | undefined;
    for (;;) {
      const page = await subscriptions.listActive(frequency, after, 500);
      for (const sub of page) {
        const period = opts.early ? periodAtOrAfter(sub, opts.nowMs) : duePeriod(sub, opts.nowMs);
        // A period at or before the last finished one is over (an early run may have sent a later one).
        if (period && !(sub.lastPeriodAt && period.at <= sub.lastPeriodAt)) yield { sub, period };
      }
      if (page.length < 500) break;
      after = page[page.length - 1]!.id;
    }
  }
}

/** Digest jobs are kept a week once done, so the scheduler's next tick cannot queue the same period again while the ledger answers anyway. */
export const DIGEST_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'capped' },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/** `digest:<subscriber>:<period>`: one job per subscriber and period, however many schedulers queue it. */
export const digestJobId = (subscriptionId: string, period: string): string => `digest:${subscriptionId}:${period}`;

/** The scheduler's tick: queues one job per subscriber with a period due now. Returns how many were due. */
export async function queueDueDigests(subscriptions: SubscriptionStore, queue: Queue, nowMs = Date.now()): Promise<number> {
  let due = 0;
  let batch: Parameters<Queue['addBulk']>[0] = [];
  const flush = async () => {
    if (batch.length) await queue.addBulk(batch);
    batch = [];
  };
  for await (const { sub, period } of duePeriods(subscriptions, { nowMs })) {
    due++;
    batch.push({ name: JOB.sendDigest, data: { subscriptionId: sub.id, period }, opts: { ...DIGEST_JOB_OPTIONS, jobId: digestJobId(sub.id, period.key) } });
    if (batch.length >= 500) await flush();
  }
  await flush();
  return due;
}

/**
 * Confirmation mails are retried a few times over about an hour, then given up (the subscriber can ask
 * again). A sent one is kept a quarter of an hour under its fixed job id, so asking again within that
 * time sends nothing more: a form submitted over and over does not flood the address.
 */
export const CONFIRMATION_JOB_OPTIONS = { attempts: 8, backoff: { type: 'capped' }, removeOnComplete: { age: 900 }, removeOnFail: { age: 7 * 86_400 } } as const;

/** Queues the confirmation e-mail of a new subscription. */
export async function queueConfirmation(queue: Queue, subscriptionId: string): Promise<void> {
  await queue.add(JOB.sendConfirmation, { subscriptionId }, { ...CONFIRMATION_JOB_OPTIONS, jobId: `confirm-${subscriptionId}` });
}

export type RunSummary = Record<DigestOutcome['kind'] | 'failed', number>;

/**
 * `regionradar digests run`: sends the due digests now, in this process, a few at a time, through the
 * same ledger as the queue's jobs (so a digest the queue sent is not sent again). With `early`, every
 * active subscription's next period is sent now.
 */
export async function runDigestsNow(deps: OutboxDeps, opts: { frequencies?: readonly Frequency[]; early?: boolean; concurrency?: number; onError?(sub: Subscription, err: unknown): void }): Promise<RunSummary> {
  const d = await digestDeps(deps);
  const summary: RunSummary = { sent: 0, empty: 0, bounced: 0, done: 0, busy: 0, uncertain: 0, inactive: 0, failed: 0 };
  const running = new Set<Promise<void>>();
  for await (const { sub, period } of duePeriods(deps.subscriptions, { frequencies: opts.frequencies, nowMs: Date.now(), early: opts.early })) {
    const p = sendDigest(d, sub.id, period)
      .then((r) => {
        summary[r.kind]++;
      })
      .catch((err) => {
        summary.failed++;
        opts.onError?.(sub, err);
      })
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= (opts.concurrency ?? 8)) await Promise.race(running);
  }
  await Promise.all(running);
  return summary;
}

/** Sends the confirmation e-mail of a pending subscription (double opt-in). Nothing for one already confirmed or gone. */
export async function sendConfirmation(deps: OutboxDeps, subscriptionId: string, nowMs = Date.now()): Promise<boolean> {
  const sub = await deps.subscriptions.get(subscriptionId);
  if (!sub || sub.status !== 'pending') return false;
  const names = await digestNames(deps);
  const mail = renderConfirmationEmail({
    locale: sub.locale,
    email: sub.email,
    confirmUrl: linksFor(deps.settings).confirm(sub, nowMs),
    frequency: sub.frequency,
    describe: describeFilter(sub.locale, sub.filter, (id) => names.theme(id, sub.locale)),
    expiresHours: CONFIRM_TTL_HOURS,
  });
  await deps.mailer.send({ to: sub.email, ...mail, messageId: `confirm.${sub.id}.${nowMs}@${deps.settings.messageIdDomain}`, date: new Date(nowMs) });
  return true;
}

/** The window a preview shows: about one period of the frequency. */
const PREVIEW_SPAN_MS: Record<Frequency, number> = { instant: 3_600_000, daily: 86_400_000, weekly: 7 * 86_400_000 };

/**
 * The digest e-mail a filter would give now, for /digests/preview: the articles first stored in the
 * last period, rendered as the subscriber would get them; links lead to the site, not to a subscription.
 */
export async function previewDigest(
  deps: Pick<OutboxDeps, 'store' | 'catalogue' | 'taxonomy'>,
  req: { filter: SubscriptionFilter; frequency: Frequency; locale: UiLanguage; baseUrl: string; nowMs?: number },
): Promise<RenderedMail> {
  const now = req.nowMs ?? Date.now();
  const window = { from: new Date(now - PREVIEW_SPAN_MS[req.frequency]).toISOString(), to: new Date(now).toISOString() };
  const base = req.baseUrl.replace(/\/+$/, '');
  const query = filterParams(req.filter).toString();
  const web = subscriptionLinks(base, 'preview').web(req.filter);
  const links = {
    manage: () => `${base}/subscriptions/manage`,
    unsubscribe: () => `${base}/subscriptions/unsubscribe`,
    web: () => web,
    feed: () => `${base}/feeds/all.atom${query ? `?${query}` : ''}`,
  };
  const sub = { id: 'preview', feedToken: '', locale: req.locale, frequency: req.frequency, email: 'you@example.org', filter: req.filter };
  const found = await windowArticles(deps.store, sub, window.from, window.to);
  const content = digestContent({ names: await digestNames(deps), otherLabel: (lang) => t(lang, 'mail.otherTheme'), links }, sub, window, found);
  return renderDigestEmail(content);
}
