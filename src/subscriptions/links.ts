import type { Subscription, SubscriptionFilter } from './model.js';
import { signToken } from './token.js';

/** How long a confirmation link works. */
export const CONFIRM_TTL_HOURS = 48;

export interface SubscriptionLinks {
  confirm(sub: Pick<Subscription, 'id'>, nowMs: number): string;
  manage(sub: Pick<Subscription, 'id'>): string;
  /** The one-click unsubscribe URL (RFC 8058): POST unsubscribes, GET shows a button. */
  unsubscribe(sub: Pick<Subscription, 'id'>): string;
  /** The filter as a view of the web reader (the search page when it has a query). */
  web(filter: SubscriptionFilter): string;
  /** The subscription's private feed in a format. */
  feed(sub: Pick<Subscription, 'feedToken'>, format: 'rss' | 'atom' | 'json'): string;
}

/** Reader parameters of a filter, by the names the web reader and the feeds take. */
export function filterParams(filter: SubscriptionFilter): URLSearchParams {
  const params = new URLSearchParams();
  const lists: Array<[string, string[] | undefined]> = [
    ['theme', filter.themes],
    ['lang', filter.languages],
    ['region', filter.regions],
    ['country', filter.countries],
    ['source', filter.sources],
    ['type', filter.type],
  ];
  for (const [name, values] of lists) if (values?.length) params.set(name, values.join(','));
  if (filter.q) params.set('q', filter.q);
  return params;
}

/** Absolute links in e-mails, under PUBLIC_URL, with tokens signed by SECRET_KEY. */
export function subscriptionLinks(baseUrl: string, secret: string): SubscriptionLinks {
  const base = baseUrl.replace(/\/+$/, '');
  const withToken = (path: string, token: string) => `${base}${path}?token=${encodeURIComponent(token)}`;
  return {
    confirm: (sub, nowMs) =>
      withToken('/subscriptions/confirm', signToken(secret, { purpose: 'confirm', subscriptionId: sub.id, expires: Math.floor(nowMs / 1000) + CONFIRM_TTL_HOURS * 3600 })),
    manage: (sub) => withToken('/subscriptions/manage', signToken(secret, { purpose: 'manage', subscriptionId: sub.id })),
    unsubscribe: (sub) => withToken('/subscriptions/unsubscribe', signToken(secret, { purpose: 'manage', subscriptionId: sub.id })),
    web: (filter) => {
      const params = filterParams(filter);
      const query = params.toString();
      return `${base}${filter.q ? '/search' : '/'}${query ? `?${query}` : ''}`;
    },
    feed: (sub, format) => `${base}/feeds/private/${sub.feedToken}.${format}`,
  };
}
