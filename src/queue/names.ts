/** Queue and job names. BullMQ keys are `<prefix>:<queue>:…`, so names never contain ':'. */
export const QUEUE = {
  ingest: 'ingest',
  enrich: 'enrich',
  /** Digests, alerts, confirmations and webhooks: everything that goes out. */
  digests: 'digests',
} as const;

export const JOB = {
  ingestSource: 'ingest-source',
  enrichArticle: 'enrich-article',
  /** Every minute: queue the digests that are due and the webhooks' deliveries. */
  outboxTick: 'outbox-tick',
  sendDigest: 'send-digest',
  sendConfirmation: 'send-confirmation',
  deliverWebhook: 'deliver-webhook',
} as const;
