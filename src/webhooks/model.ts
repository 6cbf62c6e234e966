import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { subscriptionFilterSchema, type SubscriptionFilter } from '../subscriptions/model.js';

/**
 * What a webhook's receiver understands: a Slack incoming webhook, a Teams workflow ("Post to a
 * channel when a webhook request is received") taking an Adaptive Card, or any JSON receiver.
 */
export const WEBHOOK_FORMATS = ['slack', 'teams', 'json'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * The body of POST and PUT /api/admin/webhooks. Only http(s) URLs; whether the host may be reached
 * (not private, loopback or link-local) is decided by the address check, at creation and per delivery.
 * 2048 characters is the longest URL browsers and most servers agree on; Slack and Teams URLs are far shorter.
 */
export const webhookInputSchema = z
  .object({
    url: z.string().trim().max(2048, 'at most 2048 characters').pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' })),
    filter: subscriptionFilterSchema.default({}),
    format: z.enum(WEBHOOK_FORMATS, { message: `must be one of ${WEBHOOK_FORMATS.join(', ')}` }),
    description: z.string().trim().max(200, 'at most 200 characters').optional(),
  })
  .strict();
export type WebhookInput = z.output<typeof webhookInputSchema>;

/**
 * One receiver of new matching articles, and where its deliveries stand. The window of the next
 * delivery starts at `lastDeliveredUntil` (or `createdAt`), so each article first stored after the
 * webhook was created goes out once.
 */
export interface Webhook {
  /** Random, 22 characters base64url. */
  id: string;
  url: string;
  filter: SubscriptionFilter;
  format: WebhookFormat;
  description?: string;
  /**
   * HMAC key of the signature header (see sign.ts): 32 random bytes, base64url. Generated at creation
   * and shown to the admin (creation and GET), who gives it to the receiver; never sent in a delivery.
   */
  secret: string;
  createdAt: string;
  /** End of the window of the last finished delivery (ISO-8601). */
  lastDeliveredUntil?: string;
  /** Failed deliveries in a row; a finished delivery resets it. */
  failures: number;
  lastError?: string;
  /** When the last failed delivery failed (ISO-8601): the periodic run waits out a backoff from here. */
  lastFailureAt?: string;
  /** When a message last reached the receiver (ISO-8601); windows with nothing to send do not count. */
  lastDeliveryAt?: string;
}

/** A fresh webhook id: 16 random bytes, URL-safe. */
export const newWebhookId = (): string => randomBytes(16).toString('base64url');

/** A fresh signing secret: 32 random bytes (the HMAC-SHA256 block-size guidance of RFC 2104 asks for at least the hash length). */
export const newWebhookSecret = (): string => randomBytes(32).toString('base64url');

/**
 * A webhook URL for logs and stored errors: scheme and host only. Slack and Teams put the credential
 * in the path (anyone holding the URL can post), so the path never leaves the admin API.
 */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(not a URL)';
  }
}
