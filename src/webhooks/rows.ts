import { StoreError } from '../errors.js';
import { subscriptionFilterSchema } from '../subscriptions/model.js';
import { WEBHOOK_FORMATS, type Webhook, type WebhookFormat } from './model.js';

/** A webhook's row as both adapters (SQLite, PostgreSQL) store it, with its delivery ledger, and back. */
export interface Row {
  id: string;
  url: string;
  filter_json: string;
  format: string;
  description: string | null;
  secret: string;
  created_at: string;
  last_delivered_until: string | null;
  failures: number;
  last_error: string | null;
  last_failure_at: string | null;
  last_delivery_at: string | null;
  claim_to: string | null;
  claim_owner: string | null;
  lease_until: string | null;
}

export const iso = (s: string) => new Date(s).toISOString();

/** Invalid rows are the store's fault, not the caller's: they fail loudly rather than deliver to a half-read webhook. */
export function toWebhook(r: Row): Webhook {
  const filter = subscriptionFilterSchema.safeParse(JSON.parse(r.filter_json));
  if (!filter.success || !(WEBHOOK_FORMATS as readonly string[]).includes(r.format)) {
    throw new StoreError(`webhook ${r.id} is stored invalid`, { retryable: false });
  }
  return {
    id: r.id,
    url: r.url,
    filter: filter.data,
    format: r.format as WebhookFormat,
    ...(r.description !== null ? { description: r.description } : {}),
    secret: r.secret,
    createdAt: r.created_at,
    ...(r.last_delivered_until !== null ? { lastDeliveredUntil: r.last_delivered_until } : {}),
    failures: r.failures,
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.last_failure_at !== null ? { lastFailureAt: r.last_failure_at } : {}),
    ...(r.last_delivery_at !== null ? { lastDeliveryAt: r.last_delivery_at } : {}),
  };
}
