import type { Webhook, WebhookInput } from './model.js';

/** A request to claim a webhook's next window. */
export interface WindowClaimRequest {
  /** End of the window when no earlier window is pending (ISO-8601). */
  to: string;
  /** Who claims: a worker's id, unique per process. */
  owner: string;
  /** How long the claim holds; a worker that dies mid-delivery loses it after this. Longer than a delivery's timeout. */
  leaseMs: number;
  now: string;
}

/** What claiming a webhook's next window found. */
export type WindowClaim =
  /**
   * The caller holds the window (articles first stored after `from`, at or before `to`) and must
   * finish or fail it. A window that failed is claimed again with the same `to`, so a retry sends the
   * same articles under the same delivery id.
   */
  | { kind: 'claimed'; from: string; to: string }
  /** Another worker holds the claim and its lease runs. */
  | { kind: 'busy' }
  /** Nothing to claim yet: the window would end at or before its start (a newer delivery finished). */
  | { kind: 'idle' }
  /** No such webhook (deleted while its job waited). */
  | { kind: 'gone' };

/**
 * Webhooks and their delivery ledger: the narrow port the admin API and the webhook jobs use. One
 * contract suite (test/contract/webhook-store.contract.ts) holds every adapter to it; SQLite is the
 * one-machine adapter.
 */
export interface WebhookStore {
  /** A new webhook with a fresh id and secret; its first window starts at `now`. */
  create(input: WebhookInput, now: string): Promise<Webhook>;
  get(id: string): Promise<Webhook | undefined>;
  /** Every webhook, oldest first. */
  list(): Promise<Webhook[]>;
  /** Replaces the admin's choices; the secret and the ledger stay, the failure count starts afresh. Undefined when no such webhook. */
  update(id: string, input: WebhookInput): Promise<Webhook | undefined>;
  /** Deletes the webhook and its ledger; true when there was one. */
  remove(id: string): Promise<boolean>;
  /**
   * Claims the webhook's next window, atomically across processes: the window starts where the last
   * finished delivery ended (or at creation) and ends at the pending window's end, else `req.to`. A
   * claim whose lease ran out may be taken over by another owner.
   */
  claimWindow(id: string, req: WindowClaimRequest): Promise<WindowClaim>;
  /**
   * The window up to `to` is done: `lastDeliveredUntil` moves to `to`, the failure count and error are
   * cleared, and `lastDeliveryAt` is set when `deliveredAt` is given (a message was posted). False when
   * `owner` no longer holds that window (then nothing changes).
   */
  finishWindow(id: string, owner: string, to: string, deliveredAt?: string): Promise<boolean>;
  /**
   * The delivery failed: the claim is released (the window stays pending, for the retry), the failure
   * count goes up, `error` is kept as `lastError` and `now` (the current time when omitted) as
   * `lastFailureAt`. False when `owner` no longer holds the claim.
   */
  failWindow(id: string, owner: string, error: string, now?: string): Promise<boolean>;
  close(): Promise<void>;
}
