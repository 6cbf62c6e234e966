import type { Hono } from 'hono';
import type { ArticleStore } from '../store/port.js';
import type { FetchState } from '../state/port.js';
import type { SourceCatalogue } from '../sources/catalogue.js';
import type { SourceAdmin } from '../sources/admin.js';
import type { InboxRouteDeps } from './routes/inbox.js';
import type { Taxonomy } from '../pipeline/themes/schema.js';
import type { Gazetteer } from '../pipeline/regions/schema.js';
import type { Logger } from '../observability/log.js';
import { UnavailableError } from '../errors.js';
import type { SubscriptionDeps } from '../subscriptions/deps.js';
import type { WebhookRouteDeps } from './routes/webhooks.js';

/** What the HTTP app needs; it never sees a store or state adapter, only their ports. */
export interface ApiDeps {
  store: ArticleStore;
  state: FetchState;
  catalogue: Pick<SourceCatalogue, 'list'>;
  /** The admin API, present only when ADMIN_TOKEN is set; webhooks and the newsletter inbox with it. */
  admin?: { token: string; sources: SourceAdmin; webhooks?: WebhookRouteDeps; inbox?: InboxRouteDeps; queueBoard?: { path: string; app: Hono } };
  taxonomy: Taxonomy;
  /** The regions config knows; when given, `region` and `country` filters must name one of them (or a source's country). */
  gazetteer?: Gazetteer;
  /** True when Redis answers. */
  redisReady(): Promise<boolean>;
  /** Public base URL; when absent, links are built from the request's own URL. */
  publicUrl?: string;
  /** Failed requests and unavailable dependencies are logged here, as JSON. */
  log: Logger;
  /** Subscriptions, digests and private feeds; absent unless SECRET_KEY and SMTP_URL are set. */
  subscriptions?: SubscriptionDeps;
}

/** What the API depends on at run time, as /readyz and /api/sources name it in `unavailable`. */
export type Dependency = 'store' | 'redis';

/**
 * How long the API waits for one dependency before answering without it: half of the one second in
 * which /readyz and /api/sources must answer during an outage. Redis answers in well under a
 * millisecond here and the store's ping in a few.
 */
export const DEPENDENCY_TIMEOUT_MS = 500;

/**
 * `promise`, or an UnavailableError naming `dependency` after `ms`. The promise is not cancelled; its
 * late rejection is absorbed, since an unhandled rejection would end the process.
 *
 * @example
 * const health = await withTimeout(deps.state.getHealth(ids), DEPENDENCY_TIMEOUT_MS, 'redis');
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, dependency: Dependency): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnavailableError(dependency, `no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What /api/sources and the /sources page show of the sources: article counts from the store and fetch
 * health from Redis, each bounded by DEPENDENCY_TIMEOUT_MS. A dependency that does not answer in time is
 * named in `unavailable` and its part is undefined — shown as unknown, never as "never fetched" or 0.
 */
export async function readSourcesState(deps: Pick<ApiDeps, 'store' | 'state' | 'log'>, sourceIds: string[]) {
  const unavailable: Dependency[] = [];
  const read = async <T>(dependency: Dependency, query: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withTimeout(Promise.resolve().then(query), DEPENDENCY_TIMEOUT_MS, dependency);
    } catch (err) {
      unavailable.push(dependency);
      deps.log.warn({ err, dependency }, 'sources answered without an unavailable dependency');
      return undefined;
    }
  };
  const [counts, health] = await Promise.all([read('store', () => deps.store.countBySource()), read('redis', () => deps.state.getHealth(sourceIds))]);
  return { counts, health, unavailable: unavailable.sort() };
}
