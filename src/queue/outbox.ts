import { randomBytes } from 'node:crypto';
import { publicBaseUrl } from '../config/env.js';
import { Worker, type Job, type Queue } from 'bullmq';
import { outboxDeps, type Deps } from '../deps.js';
import { RegionradarError, UnavailableError } from '../errors.js';
import { digestDeps, digestNames, PROCESS_OWNER, queueDueDigests, sendConfirmation } from '../digests/service.js';
import { postWebhook } from '../webhooks/deliver.js';
import { runDueWebhooks, type WebhookRunDeps } from '../webhooks/run.js';
import { sendDigest } from '../digests/run.js';
import { updateStories } from '../jobs/stories.js';
import { metrics } from '../observability/metrics.js';
import { createRedis, redisErrorLogger } from './connection.js';
import { JOB, QUEUE } from './names.js';
import { confirmationPayloadSchema, digestPayloadSchema, parsePayload } from './payloads.js';
import { toJobError } from './retry.js';
import { closesWithItsConnection, workerOptions, type RunningWorker, type WorkerTuning } from './workers.js';

/** How often the outbox looks for digests due and webhook deliveries: digests go out within a minute of their hour. */
export const OUTBOX_TICK_MS = 60_000;

/** Finished ledger entries are kept this long (long enough to answer "did my digest of last month go out?"). */
const LEDGER_KEEP_MS = 90 * 86_400_000;
/** Subscriptions never confirmed are forgotten after this (their confirmation link expired long before). */
const PENDING_KEEP_MS = 7 * 86_400_000;
/** Inbox messages assigned or set aside are kept this long (new ones until the operator decides). */
const INBOX_KEEP_MS = 30 * 86_400_000;

/** Another worker holds the period: try again once its claim is settled or its lease ran out. */
export class PeriodBusyError extends RegionradarError {
  readonly retryable = true;
}


/** One job scheduler for the outbox tick; upserting is idempotent, so every process with the schedulers may call it. */
export async function syncOutboxScheduler(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler('outbox-tick', { every: OUTBOX_TICK_MS }, { name: JOB.outboxTick, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } });
}


/** A webhook POST gives up after this; the claim on its window lasts well beyond. */
const WEBHOOK_TIMEOUT_MS = 10_000;

async function webhookDeps(deps: Deps): Promise<WebhookRunDeps> {
  const { env } = deps.config;
  return {
    webhooks: deps.webhooks,
    articles: deps.store,
    names: await digestNames({ catalogue: deps.catalogue, taxonomy: deps.config.taxonomy }),
    post: (webhook, post) => postWebhook(webhook, post, { allowPrivateHosts: env.ALLOW_PRIVATE_HOSTS, timeoutMs: WEBHOOK_TIMEOUT_MS, userAgent: deps.userAgent }),
    now: () => new Date(),
    // Each tick its own owner: a tick still delivering when the next starts holds its windows against it.
    owner: `${PROCESS_OWNER}/${randomBytes(4).toString('hex')}`,
    leaseMs: 6 * WEBHOOK_TIMEOUT_MS,
    settleMs: env.DIGEST_SETTLE_MS,
    site: { name: 'Regionradar', url: publicBaseUrl(env) },
  };
}

/**
 * The outbox worker: every minute the tick queues the digests due and delivers the webhooks' new
 * windows (each webhook backs off on its own after failures); digest and confirmation jobs send mail,
 * which needs SECRET_KEY and SMTP_URL in this process.
 */
export function startOutboxWorker(deps: Deps, tuning: WorkerTuning = {}): RunningWorker {
  const outbox = outboxDeps(deps);
  const needOutbox = () => {
    if (!outbox) throw new UnavailableError('smtp', 'this worker has no SECRET_KEY and SMTP_URL');
    return outbox;
  };
  // Stories are grouped again only when something was stored since the last pass (the first tick always runs).
  let storiesAt: string | undefined;
  const stories = async () => {
    const started = new Date().toISOString();
    if (storiesAt && !(await deps.store.count({ storedFrom: storiesAt, withDuplicates: true }))) return;
    const r = await updateStories(deps.store);
    storiesAt = started;
    if (r.changed) deps.log.info(r, 'stories grouped');
  };
  const errors = redisErrorLogger(deps.log, 'outbox worker');
  const connection = createRedis(deps.config.env.REDIS_URL, 'worker', { onError: errors.onError });
  const worker = new Worker(
    QUEUE.digests,
    async (job: Job) => {
      try {
        switch (job.name) {
          case JOB.outboxTick: {
            // What the search index missed while it was down (PostgreSQL records with a Meilisearch index).
            if (deps.store.syncIndex) {
              const synced = await deps.store.syncIndex().catch((err: Error) => (deps.log.warn({ err: err.message }, 'search index sync failed; its writes stay queued'), undefined));
              if (synced) deps.log.debug({ synced }, 'search index synced');
            }
            // Before the digests: they show each story once.
            await stories();
            const due = outbox ? await queueDueDigests(deps.subscriptions, deps.queues.digests) : 0;
            if (due) deps.log.info({ due }, 'digests queued');
            const pruned = await deps.subscriptions.prune({ ledgerBefore: new Date(Date.now() - LEDGER_KEEP_MS).toISOString(), pendingBefore: new Date(Date.now() - PENDING_KEEP_MS).toISOString() });
            if (pruned.ledger || pruned.pending) deps.log.info(pruned, 'subscribers pruned');
            const inbox = await deps.inbox.prune(new Date(Date.now() - INBOX_KEEP_MS).toISOString());
            if (inbox) deps.log.info({ inbox }, 'newsletter inbox pruned');
            const webhooks = await runDueWebhooks(await webhookDeps(deps));
            for (const r of webhooks) {
              metrics.webhooks.inc({ outcome: r.ok ? r.outcome.kind : 'failed' });
              if (!r.ok) deps.log.warn({ webhookId: r.id, err: (r.error as Error).message }, 'webhook delivery failed');
            }
            return { due, webhooks: webhooks.length };
          }
          case JOB.sendDigest: {
            const { subscriptionId, period } = parsePayload(digestPayloadSchema, job.data, job.id);
            const r = await sendDigest(await digestDeps(needOutbox()), subscriptionId, period);
            if (r.kind === 'busy') throw new PeriodBusyError(`digest ${subscriptionId} ${period.key} is held by another worker`);
            metrics.digests.inc({ outcome: r.kind });
            const level = r.kind === 'bounced' || r.kind === 'uncertain' ? 'warn' : 'info';
            deps.log[level]({ jobId: job.id, subscriptionId, period: period.key, ...r }, 'digest');
            return r;
          }
          case JOB.sendConfirmation: {
            const { subscriptionId } = parsePayload(confirmationPayloadSchema, job.data, job.id);
            return { sent: await sendConfirmation(needOutbox(), subscriptionId) };
          }
          default:
            throw new Error(`unknown job ${job.name}`);
        }
      } catch (err) {
        deps.log.warn({ jobId: job.id, name: job.name, attempt: job.attemptsMade + 1, err: (err as Error).message }, 'outbox job failed');
        throw toJobError(err);
      }
    },
    workerOptions(deps, connection, deps.config.env.DIGEST_CONCURRENCY, tuning),
  );
  worker.on('error', errors.onEmitterError);
  return closesWithItsConnection(worker, connection);
}
