import { z } from 'zod';
import { UI_LANGUAGES, type UiLanguage } from '../i18n/index.js';
import { LANGUAGE_CODES } from '../sources/schema.js';
import { DOCUMENT_TYPES } from '../pipeline/doctype/index.js';
import type { ArticleFilter } from '../store/filter.js';

/** How often a subscriber hears from us: `instant` batches new matches every five minutes. */
export const FREQUENCIES = ['instant', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case id');
const few = <T extends z.ZodType>(item: T) => z.array(item).max(50, 'at most 50 values').optional();

/** What a subscriber follows: the web reader's filters, by the names the API uses. Values within a field are alternatives. */
export const subscriptionFilterSchema = z
  .object({
    themes: few(slug),
    languages: few(z.enum([...LANGUAGE_CODES, 'und'] as [string, ...string[]])),
    regions: few(z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as NO-18 or SE-AC')),
    countries: few(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NO')),
    sources: few(slug),
    type: few(z.enum(DOCUMENT_TYPES)),
    q: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters').optional(),
  })
  .strict();
export type SubscriptionFilter = z.output<typeof subscriptionFilterSchema>;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** When digests go out, in the subscriber's time zone. `weekday` 1 = Monday … 7 = Sunday (ISO 8601), weekly only. */
export const sendAtSchema = z
  .object({
    weekday: z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)').optional(),
    hour: z.number().int().min(0, 'must be 0 to 23').max(23, 'must be 0 to 23'),
  })
  .strict();
export type SendAt = z.output<typeof sendAtSchema>;

/** The body of POST /api/subscriptions, and what the subscribe form and the manage page submit. */
export const subscriptionInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254, 'at most 254 characters').pipe(z.email('must be an e-mail address')),
    filter: subscriptionFilterSchema.default({}),
    frequency: z.enum(FREQUENCIES).default('weekly'),
    sendAt: sendAtSchema.default({ weekday: 1, hour: 7 }),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Oslo').default('Europe/Oslo'),
    locale: z.enum(UI_LANGUAGES).default('en'),
  })
  .strict()
  // A weekly digest without a weekday goes out on Mondays.
  .transform((s) => (s.frequency === 'weekly' && s.sendAt.weekday === undefined ? { ...s, sendAt: { ...s.sendAt, weekday: 1 } } : s));
export type SubscriptionInput = z.output<typeof subscriptionInputSchema>;

export type SubscriptionStatus = 'pending' | 'active' | 'paused';

/**
 * One subscriber's choices and the little the service must remember to serve them. Only the address
 * and the choices are personal data; unsubscribing deletes the whole record.
 */
export interface Subscription {
  /** Random, 22 characters base64url; never derived from the address. */
  id: string;
  email: string;
  filter: SubscriptionFilter;
  frequency: Frequency;
  sendAt: SendAt;
  timeZone: string;
  locale: UiLanguage;
  /** `pending` until the address is confirmed; nothing but the confirmation goes out before. */
  status: SubscriptionStatus;
  /** Why a paused subscription is paused (the subscriber's choice, or bounces). */
  pausedReason?: string;
  /** Permanent delivery failures in a row; three pause the subscription. */
  bounces: number;
  /** Unguessable token of the subscription's private RSS, Atom and JSON feeds. */
  feedToken: string;
  createdAt: string;
  confirmedAt?: string;
  /** End of the window the last finished digest covered: the next digest holds articles first stored after it. */
  lastDigestUntil?: string;
  /** Scheduled time of the last finished period, so the scheduler does not queue it again. */
  lastPeriodAt?: string;
}

/** The articles a subscription follows, as the store's filter. */
export function articleFilterOf(f: SubscriptionFilter): ArticleFilter {
  return { themes: f.themes, languages: f.languages, regions: f.regions, countries: f.countries, sources: f.sources, types: f.type, q: f.q };
}

/** Bounces in a row that pause a subscription. */
export const MAX_BOUNCES = 3;
