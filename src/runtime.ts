import { readFileSync } from 'node:fs';
import { publicBaseUrl } from './config/env.js';
import { serve, type ServerType } from '@hono/node-server';
import { lastFetchTimes, sourceAdminFor, subscriptionDepsFor, type Deps } from './deps.js';
import { startInboundSmtp } from './newsletters/smtp.js';
import { startImapPoller } from './newsletters/imap.js';
import { assignFromInbox, type ReceiveDeps } from './newsletters/receive.js';
import { QUEUE_BOARD_PATH, queueBoard } from './queue/board.js';
import { watchQueues } from './observability/metrics.js';
import { createApp } from './api/app.js';
import { enqueueEnrich, startEnrichWorker, startIngestWorker, type RunningWorker, type WorkerTuning } from './queue/workers.js';
import { syncSchedulers } from './queue/schedulers.js';
import { lookup } from 'node:dns/promises';
import { checkPublicUrl } from './pipeline/fetch/address.js';
import { startOutboxWorker, syncOutboxScheduler } from './queue/outbox.js';

export interface ServiceSet {
  api?: boolean;
  ingest?: boolean;
  enrich?: boolean;
  /** Digests, alerts, confirmations and webhooks. */
  outbox?: boolean;
  schedulers?: boolean;
  /** Newsletters in: the SMTP listener (INBOUND_SMTP_PORT) and the IMAP poller (IMAP_URL), whichever is configured. */
  inbound?: boolean;
  tuning?: WorkerTuning;
}

export interface Running {
  /** Port the API listens on, when it runs. */
  port?: number;
  /** Port the inbound SMTP listener listens on, when it runs. */
  smtpPort?: number;
  /** Stops taking work, lets in-flight jobs finish (or returns them to the queue), then closes. */
  close(): Promise<void>;
}

/** Starts the chosen services of one process over shared deps. */
export async function startServices(deps: Deps, set: ServiceSet): Promise<Running> {
  const { env } = deps.config;
  const tuning = { lockDuration: env.JOB_LOCK_MS, stalledInterval: env.JOB_LOCK_MS, ...set.tuning };
  const workers: RunningWorker[] = [];
  if (set.enrich) workers.push(startEnrichWorker(deps, tuning));
  if (set.ingest) workers.push(startIngestWorker(deps, tuning));
  if (set.outbox) workers.push(startOutboxWorker(deps, tuning));
  if (set.outbox && !deps.outbox) deps.log.info('e-mail is off (SECRET_KEY and SMTP_URL unset): the outbox delivers webhooks only');
  if (workers.length) deps.log.info({ ingest: !!set.ingest, enrich: !!set.enrich, outbox: !!set.outbox }, 'workers started');
  const reconciler = set.schedulers || set.ingest || set.enrich || set.outbox ? keepSchedulersReconciled(deps) : undefined;
  if (set.schedulers) {
    const r = await syncSchedulers(deps.queues.ingest, await deps.catalogue.list(), (ids) => lastFetchTimes(deps, ids));
    await syncOutboxScheduler(deps.queues.digests);
    deps.log.info(r, 'schedulers synced');
  }
  const inbound = set.inbound ? await startInbound(deps) : [];
  let server: ServerType | undefined;
  let port: number | undefined;
  if (set.api) {
    watchQueues(Object.values(deps.queues));
    const app = createApp({
      store: deps.store,
      state: deps.state,
      catalogue: deps.catalogue,
      admin: env.ADMIN_TOKEN
        ? {
            token: env.ADMIN_TOKEN,
            sources: sourceAdminFor(deps),
            webhooks: { webhooks: deps.webhooks, checkUrl: (url) => checkPublicUrl(url, { allowPrivateHosts: env.ALLOW_PRIVATE_HOSTS, lookup }) },
            inbox: inboxAdminFor(deps),
            queueBoard: { path: QUEUE_BOARD_PATH, app: queueBoard(Object.values(deps.queues)) },
          }
        : undefined,
      subscriptions: subscriptionDepsFor(deps),
      taxonomy: deps.config.taxonomy,
      gazetteer: deps.config.gazetteer,
      redisReady: async () => (await deps.redis.ping()) === 'PONG',
      publicUrl: env.PUBLIC_URL,
      log: deps.log,
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
        port = info.port;
        resolve();
      });
    });
    deps.log.info({ url: `http://${env.HOST}:${port}/` }, 'API listening');
  }
  return {
    port,
    smtpPort: inbound.find((i) => i.port !== undefined)?.port,
    async close() {
      reconciler?.stop();
      await Promise.all(inbound.map((i) => i.close()));
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await Promise.all(workers.map((w) => w.close()));
      await deps.close();
    },
  };
}

/** The operator's inbox actions: assigning publishes through the same path as mail that matched. */
function inboxAdminFor(deps: Deps) {
  const receive = receiveDepsFor(deps);
  return {
    inbox: deps.inbox,
    assign: async (id: string, sourceId: string) => {
      const { items, fresh } = await assignFromInbox(id, sourceId, receive);
      return { sourceId, items, fresh };
    },
  };
}

/** The configured ways newsletters come in. */
async function startInbound(deps: Deps): Promise<Array<{ port?: number; close(): Promise<void> }>> {
  const { env } = deps.config;
  const receive = receiveDepsFor(deps);
  const started: Array<{ port?: number; close(): Promise<void> }> = [];
  if (env.INBOUND_SMTP_PORT !== undefined) {
    const smtp = await startInboundSmtp(receive, {
      port: env.INBOUND_SMTP_PORT,
      host: env.INBOUND_SMTP_HOST,
      domain: env.INBOUND_DOMAIN,
      maxBytes: env.INBOUND_MAX_BYTES,
      ratePerMinute: env.INBOUND_RATE_PER_MINUTE,
      ...(env.INBOUND_TLS_CERT && env.INBOUND_TLS_KEY ? { tls: { cert: readFileSync(env.INBOUND_TLS_CERT), key: readFileSync(env.INBOUND_TLS_KEY) } } : {}),
    });
    deps.log.info({ host: env.INBOUND_SMTP_HOST, port: smtp.port, domain: env.INBOUND_DOMAIN ?? '(any)', starttls: !!env.INBOUND_TLS_CERT }, 'newsletter SMTP listener started');
    started.push(smtp);
  }
  if (env.IMAP_URL) {
    const folders = async () => (await deps.catalogue.list()).flatMap((s) => (s.kind === 'newsletter' && s.enabled && s.newsletter?.mailbox ? [s.newsletter.mailbox] : []));
    started.push(startImapPoller(receive, { url: env.IMAP_URL, folders, maxBytes: env.INBOUND_MAX_BYTES, everyMs: env.IMAP_POLL_MS }));
    deps.log.info({ host: new URL(env.IMAP_URL).host, everyMs: env.IMAP_POLL_MS }, 'newsletter IMAP poller started');
  }
  if (!started.length) deps.log.info('newsletters in are off (INBOUND_SMTP_PORT and IMAP_URL unset)');
  return started;
}

/**
 * Job schedulers live in Redis, and a Redis restarted without persistence comes back empty: no
 * scheduler, no queued job, no fetch state, and nothing would fetch again until a process restarted.
 * So every long-running process re-syncs the schedulers with the catalogue when its Redis connection
 * comes back, and once a minute in any case (also picking up catalogue changes made elsewhere).
 * Upserting is idempotent, and the sync queues a catch-up fetch for sources not fetched for an
 * interval — after an empty restart, all of them — so ingestion resumes within seconds.
 */
export const RECONCILE_EVERY_MS = 60_000;

export function keepSchedulersReconciled(deps: Pick<Deps, 'queues' | 'catalogue' | 'state' | 'redis' | 'log' | 'outbox'>, everyMs = RECONCILE_EVERY_MS): { stop(): void } {
  let running = false;
  let stopped = false;
  const reconcile = async (why: string): Promise<boolean> => {
    if (running) return false;
    running = true;
    try {
      const r = await syncSchedulers(deps.queues.ingest, await deps.catalogue.list(), (ids) => lastFetchTimes(deps, ids));
      await syncOutboxScheduler(deps.queues.digests);
      if (why !== 'periodic' || r.catchUp || r.removed) deps.log.info({ ...r, why }, 'schedulers synced');
      return true;
    } catch (err) {
      deps.log.warn({ err, why }, 'scheduler sync failed');
      return false;
    } finally {
      running = false;
    }
  };
  // The queues' own connection may come back a moment after this one: after a reconnect, try every
  // second until the sync goes through, rather than waiting for the next periodic run.
  const afterReconnect = async () => {
    for (let i = 0; i < RECONNECT_TRIES && !stopped; i++) {
      if (await reconcile('redis reconnected')) return;
      await new Promise((r) => setTimeout(r, 1_000).unref());
    }
  };
  const timer = setInterval(() => void reconcile('periodic'), everyMs);
  timer.unref();
  let connectedBefore = deps.redis.status === 'ready';
  const onReady = () => {
    if (connectedBefore) void afterReconnect();
    connectedBefore = true;
  };
  deps.redis.on('ready', onReady);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      deps.redis.off('ready', onReady);
    },
  };
}

/** Tries of the sync after a reconnect, a second apart, before leaving it to the periodic run. */
const RECONNECT_TRIES = 30;

/** Closes `running` on SIGINT or SIGTERM; a second signal exits at once. */
export function closeOnSignals(running: Running, log: Deps['log']): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(130);
    closing = true;
    log.info({ signal }, 'shutting down: finishing in-flight jobs');
    running.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A crash is a bug: its stack goes into the JSON log like every other line, then the process ends
  // (its jobs return to the queue after JOB_LOCK_MS).
  const onCrash = (err: unknown) => {
    log.fatal({ err }, 'crashed: uncaught error');
    process.exit(1);
  };
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);
}

/** What receiving newsletter mail needs (SMTP listener, IMAP poller, the inbox's assign action). */
export function receiveDepsFor(deps: Deps): ReceiveDeps {
  const { env } = deps.config;
  return {
    catalogue: deps.catalogue,
    inbox: deps.inbox,
    knownHashes: (sourceId, ids) => deps.store.knownHashes(sourceId, ids),
    enqueueEnrich: enqueueEnrich(deps),
    state: deps.state,
    baseUrl: publicBaseUrl(env),
    inboundDomain: env.INBOUND_DOMAIN,
    resolver: deps.mailResolver,
    documents: { http: deps.http, robots: deps.robots, userAgent: deps.userAgent },
    log: deps.log,
  };
}
