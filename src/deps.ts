import { Queue as BullQueue, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from './config/index.js';
import { publicBaseUrl } from './config/env.js';
import type { Source } from './sources/schema.js';
import type { SourceCatalogue } from './sources/catalogue.js';
import { openCatalogue } from './sources/open.js';
import { createSourceAdmin, type SourceAdmin } from './sources/admin.js';
import { JOB } from './queue/names.js';
import { INGEST_JOB_OPTIONS, syncSchedulers } from './queue/schedulers.js';
import type { IngestPayload } from './queue/payloads.js';
import { lookup } from 'node:dns/promises';
import { createHttpClient, type HttpClient } from './pipeline/fetch/client.js';
import { checkPublicUrl } from './pipeline/fetch/address.js';
import type { LanguageDetector } from './pipeline/language/index.js';
import { createNordicDetector } from './pipeline/language/cld2.js';
import { createThemeTagger, type ThemeTagger } from './pipeline/themes/index.js';
import { createRegionTagger, type RegionTagger } from './pipeline/regions/index.js';
import { openStore } from './store/index.js';
import type { ArticleStore } from './store/port.js';
import type { FetchState } from './state/port.js';
import { createRedisFetchState } from './state/redis.js';
import { createRedisRobotsCache } from './state/redis-robots.js';
import { createRedisHostSlots } from './state/redis-host-slots.js';
import { createHostGate, gatedHttpClient } from './pipeline/fetch/host-gate.js';
import { createRobotsPolicy, type RobotsPolicy } from './pipeline/fetch/robots.js';
import { createRedis, redisErrorLogger } from './queue/connection.js';
import { QUEUE } from './queue/names.js';
import { createLogger, type Logger } from './observability/log.js';
import type { SubscriptionStore } from './subscriptions/port.js';
import type { WebhookStore } from './webhooks/port.js';
import { createSqliteWebhookStore } from './webhooks/sqlite.js';
import { createSqliteSubscriptionStore } from './subscriptions/sqlite.js';
import type { Mailer } from './mail/port.js';
import { createSmtpMailer } from './mail/smtp.js';
import { linksFor, mailDomain, queueConfirmation, type OutboxDeps, type OutboxSettings } from './digests/service.js';
import type { SubscriptionDeps } from './subscriptions/deps.js';
import type { InboxStore } from './newsletters/inbox/port.js';
import { createSqliteInboxStore } from './newsletters/inbox/sqlite.js';
import { createPostgresInboxStore } from './newsletters/inbox/postgres.js';
import { createPostgresSubscriptionStore } from './subscriptions/postgres.js';
import { createPostgresWebhookStore } from './webhooks/postgres.js';
import type { DNSResolver } from './newsletters/auth.js';

const pkgVersion = '0.1.0';
/** The name robots.txt rules address us by (RFC 9309 product token). */
export const PRODUCT_TOKEN = 'Regionradar';

export interface Deps {
  config: Config;
  /** The sources in force: config plus runtime changes, read per use. */
  catalogue: SourceCatalogue;
  store: ArticleStore;
  state: FetchState;
  http: HttpClient;
  robots: RobotsPolicy;
  redis: Redis;
  queues: { ingest: Queue; enrich: Queue; digests: Queue };
  subscriptions: SubscriptionStore;
  webhooks: WebhookStore;
  /** Newsletter mail that matched no source, for the operator. */
  inbox: InboxStore;
  /** DNS for SPF/DKIM/DMARC of inbound mail; undefined: the system's. */
  mailResolver?: DNSResolver;
  /** Present when SECRET_KEY and SMTP_URL are set: subscriptions, digests and alerts are on. */
  outbox?: { mailer: Mailer; settings: OutboxSettings };
  detectLanguage: LanguageDetector;
  tagThemes: ThemeTagger;
  tagRegions: RegionTagger;
  tagVersion: number;
  log: Logger;
  userAgent: string;
  close(): Promise<void>;
}

/** The composition root: opens the store, Redis, queues and HTTP client once. Nothing else constructs them. */
export async function createDeps(
  config: Config,
  overrides: { store?: ArticleStore; log?: Logger; catalogue?: SourceCatalogue; mailResolver?: DNSResolver } = {},
): Promise<Deps> {
  const { env } = config;
  const log = overrides.log ?? createLogger(env.LOG_LEVEL);
  const store = overrides.store ?? (await openStore(config, 'configured', { log }));
  const redis = createRedis(env.REDIS_URL, 'producer', { onError: redisErrorLogger(log, 'state').onError });
  // Queue producers issue no blocking commands, so both share one connection.
  const queueErrors = redisErrorLogger(log, 'queues');
  const queueOpts = { connection: createRedis(env.REDIS_URL, 'producer', { onError: queueErrors.onError }), prefix: env.QUEUE_PREFIX };
  const queues = { ingest: new BullQueue(QUEUE.ingest, queueOpts), enrich: new BullQueue(QUEUE.enrich, queueOpts), digests: new BullQueue(QUEUE.digests, queueOpts) };
  // A Queue without an 'error' listener prints its connection's errors to stderr as plain text.
  for (const queue of Object.values(queues)) queue.on('error', queueErrors.onEmitterError);
  const slots = createRedisHostSlots(redis, env.QUEUE_PREFIX);
  // A job waits this long for its host's slot; the robots.txt lock of an origin is held at most that plus one fetch.
  const hostWaitMs = Math.max(30_000, env.HOST_INTERVAL_MS * 10);
  const hostGate = createHostGate(slots.trySlot, slots.releaseSlot, {
    concurrency: env.HOST_CONCURRENCY,
    intervalMs: env.HOST_INTERVAL_MS,
    leaseMs: env.FETCH_TIMEOUT_MS * 2,
    maxWaitMs: hostWaitMs,
  });
  const http = gatedHttpClient(
    createHttpClient({ timeoutMs: env.FETCH_TIMEOUT_MS, maxBytes: env.FETCH_MAX_BYTES, allowPrivateHosts: env.ALLOW_PRIVATE_HOSTS }),
    hostGate,
  );
  const userAgent = `${PRODUCT_TOKEN}/${pkgVersion} (+${env.CONTACT})`;
  const catalogue = overrides.catalogue ?? openCatalogue(config);
  // With DATABASE_URL, subscribers with their digest ledger, webhooks and the newsletter inbox live in
  // PostgreSQL beside the articles, shared by every host; else in DATA_DIR's subscribers.sqlite.
  const database = env.DATABASE_URL ? { connectionString: env.DATABASE_URL } : undefined;
  const subscriptions = database ? await createPostgresSubscriptionStore(database) : createSqliteSubscriptionStore(config.subscribersFile);
  const webhooks = database ? await createPostgresWebhookStore(database) : createSqliteWebhookStore(config.subscribersFile);
  const inbox = database ? await createPostgresInboxStore(database) : createSqliteInboxStore(config.subscribersFile);
  const baseUrl = publicBaseUrl(env);
  const outbox =
    env.SECRET_KEY && env.SMTP_URL
      ? {
          mailer: createSmtpMailer({ url: env.SMTP_URL, from: env.MAIL_FROM, maxConnections: env.SMTP_MAX_CONNECTIONS, ratePerSecond: env.SMTP_RATE_PER_SECOND }),
          settings: { secret: env.SECRET_KEY, baseUrl, messageIdDomain: mailDomain(env.MAIL_FROM, new URL(baseUrl).hostname), leaseMs: env.DIGEST_LEASE_MS, settleMs: env.DIGEST_SETTLE_MS },
        }
      : undefined;
  return {
    config,
    catalogue,
    store,
    state: createRedisFetchState(redis, env.QUEUE_PREFIX),
    http,
    robots: createRobotsPolicy({ http, cache: createRedisRobotsCache(redis, env.QUEUE_PREFIX), userAgent, productToken: PRODUCT_TOKEN, lockMs: hostWaitMs + env.FETCH_TIMEOUT_MS, log }),
    redis,
    queues,
    subscriptions,
    webhooks,
    inbox,
    mailResolver: overrides.mailResolver,
    outbox,
    detectLanguage: createNordicDetector(config.languageProfiles),
    tagThemes: createThemeTagger(config.taxonomy),
    tagRegions: createRegionTagger(config.gazetteer),
    tagVersion: config.tagVersion,
    log,
    userAgent,
    async close() {
      await Promise.allSettled([queues.ingest.close(), queues.enrich.close(), queues.digests.close()]);
      await outbox?.mailer.close();
      await subscriptions.close();
      await webhooks.close();
      await inbox.close();
      queueOpts.connection.disconnect();
      await http.close();
      await store.close();
      catalogue.close();
      redis.disconnect();
    },
  };
}

/** Last fetch time per source, for the schedulers' catch-up runs. */
export async function lastFetchTimes(deps: Pick<Deps, 'state'>, ids: string[]): Promise<Map<string, string | undefined>> {
  const health = await deps.state.getHealth(ids);
  return new Map(ids.map((id) => [id, health.get(id)?.lastFetchAt]));
}

/** The operator's actions on sources over these deps (admin API and CLI). */
export function sourceAdminFor(deps: Deps): SourceAdmin {
  return createSourceAdmin({
    catalogue: deps.catalogue,
    state: deps.state,
    fetchNow: async (sourceId) => {
      await deps.queues.ingest.add(JOB.ingestSource, { sourceId, force: true } satisfies IngestPayload, INGEST_JOB_OPTIONS);
    },
    reschedule: async (sources: readonly Source[]) => {
      await syncSchedulers(deps.queues.ingest, sources, (ids) => lastFetchTimes(deps, ids));
    },
    checkUrl: (url) => checkPublicUrl(url, { allowPrivateHosts: deps.config.env.ALLOW_PRIVATE_HOSTS, lookup }),
  });
}

/** What the digest jobs and `regionradar digests` need, when subscriptions are on. */
export function outboxDeps(deps: Deps): OutboxDeps | undefined {
  if (!deps.outbox) return undefined;
  return { subscriptions: deps.subscriptions, store: deps.store, mailer: deps.outbox.mailer, catalogue: deps.catalogue, taxonomy: deps.config.taxonomy, settings: deps.outbox.settings };
}

/** What the subscription API and pages need, when subscriptions are on. */
export function subscriptionDepsFor(deps: Deps): SubscriptionDeps | undefined {
  const outbox = outboxDeps(deps);
  if (!outbox) return undefined;
  return {
    store: deps.subscriptions,
    secret: outbox.settings.secret,
    links: linksFor(outbox.settings),
    requestConfirmation: (id) => queueConfirmation(deps.queues.digests, id),
  };
}

