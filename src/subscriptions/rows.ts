import type { Frequency, Subscription } from './model.js';
import type { DigestClaim, DigestState } from './port.js';

/** The subscribers' and the digest ledger's rows as both adapters (SQLite, PostgreSQL) store them, and back. */

export interface SubscriptionRow {
  id: string;
  email: string;
  filter_json: string;
  frequency: Frequency;
  send_weekday: number | null;
  send_hour: number;
  time_zone: string;
  locale: Subscription['locale'];
  status: Subscription['status'];
  paused_reason: string | null;
  bounces: number;
  feed_token: string;
  created_at: string;
  confirmed_at: string | null;
  last_digest_until: string | null;
  last_period_at: string | null;
}

export interface LedgerRow {
  subscription_id: string;
  period: string;
  period_at: string;
  window_from: string;
  window_to: string;
  state: DigestState;
  owner: string;
  lease_until: string;
  articles: number | null;
  detail: string | null;
}

const opt = <K extends string, V>(key: K, v: V | null): { [P in K]?: V } => (v === null ? {} : ({ [key]: v } as { [P in K]?: V }));

export function toSubscription(r: SubscriptionRow): Subscription {
  return {
    id: r.id,
    email: r.email,
    filter: JSON.parse(r.filter_json),
    frequency: r.frequency,
    sendAt: { ...opt('weekday', r.send_weekday), hour: r.send_hour },
    timeZone: r.time_zone,
    locale: r.locale,
    status: r.status,
    ...opt('pausedReason', r.paused_reason),
    bounces: r.bounces,
    feedToken: r.feed_token,
    createdAt: r.created_at,
    ...opt('confirmedAt', r.confirmed_at),
    ...opt('lastDigestUntil', r.last_digest_until),
    ...opt('lastPeriodAt', r.last_period_at),
  };
}

export function toClaim(r: LedgerRow): DigestClaim {
  return {
    subscriptionId: r.subscription_id,
    period: r.period,
    periodAt: r.period_at,
    from: r.window_from,
    to: r.window_to,
    state: r.state,
    owner: r.owner,
    leaseUntil: r.lease_until,
    ...opt('articles', r.articles),
    ...opt('detail', r.detail),
  };
}

/** States a period ends in: nothing more is done for it. */
export const FINISHED: readonly DigestState[] = ['sent', 'empty', 'bounced', 'uncertain'];
