import type { Frequency, Subscription, SubscriptionInput } from './model.js';

/**
 * One period's digest of one subscriber in the ledger. A worker claims the period before it renders
 * anything, marks it `sending` just before handing the message to SMTP and `sent` once SMTP accepted
 * it; see README "Digests: exactly once" for what a crash at each step leaves behind.
 */
export type DigestState = 'claimed' | 'sending' | 'sent' | 'empty' | 'bounced' | 'uncertain';

export interface DigestClaim {
  subscriptionId: string;
  /** The period's key, e.g. `w2026-11-30` (weekly, Monday 30 November local time); never contains ':'. */
  period: string;
  /** The period's scheduled send time (ISO-8601). */
  periodAt: string;
  /** The window of articles (first stored after `from`, at or before `to`); fixed at the first claim, so a retry sends the same. */
  from: string;
  to: string;
  state: DigestState;
  /** Who holds the claim, and until when; an expired `claimed` claim may be taken over. */
  owner: string;
  leaseUntil: string;
  articles?: number;
  detail?: string;
}

/** What claiming a period found. */
export type ClaimResult =
  /** The caller holds the period and must finish it (sent, empty, bounced) or release it. */
  | { kind: 'claimed'; claim: DigestClaim }
  /** Already finished (sent, empty, bounced, uncertain): nothing to do. */
  | { kind: 'done'; claim: DigestClaim }
  /** Another worker holds the claim and its lease runs. */
  | { kind: 'busy'; claim: DigestClaim }
  /** A worker died while handing this period to SMTP: it may have been delivered. Now recorded `uncertain` and not sent again. */
  | { kind: 'uncertain'; claim: DigestClaim }
  /** No such subscription, or it is not active. */
  | { kind: 'inactive' };

export interface ClaimRequest {
  subscriptionId: string;
  period: string;
  periodAt: string;
  /** End of the window when this claim is new. */
  to: string;
  owner: string;
  leaseMs: number;
  now: string;
}

/** The end of a claimed period. */
export type Finish =
  | { state: 'sent'; articles: number }
  | { state: 'empty' }
  | { state: 'bounced'; reason: string };

/**
 * Subscribers, their choices and the digest ledger: the narrow port the subscription pages, the API
 * and the digest jobs use. One contract suite (test/contract/subscription-store.contract.ts) holds
 * every adapter to it; SQLite is the one-machine adapter.
 */
export interface SubscriptionStore {
  /** A new `pending` subscription (fresh id and feed token). */
  create(input: SubscriptionInput, now: string): Promise<Subscription>;
  get(id: string): Promise<Subscription | undefined>;
  getByFeedToken(token: string): Promise<Subscription | undefined>;
  /** Every subscription of an address (data-protection export), oldest first. */
  findByEmail(email: string): Promise<Subscription[]>;
  /** Active subscriptions of one frequency, in id order after `afterId`: for the scheduler. */
  listActive(frequency: Frequency, afterId: string | undefined, limit: number): Promise<Subscription[]>;
  /** pending → active; confirming again changes nothing. Undefined when no such subscription. */
  confirm(id: string, now: string): Promise<Subscription | undefined>;
  /** Changes the subscriber's choices (not the address). */
  update(id: string, choices: Omit<SubscriptionInput, 'email'>): Promise<Subscription | undefined>;
  /** Pauses (with a reason when it is not the subscriber's own choice, e.g. bounces) or resumes; resuming clears the bounce count. */
  setPaused(id: string, paused: boolean, reason?: string): Promise<Subscription | undefined>;
  /** Deletes the subscription and its ledger; true when there was one. */
  remove(id: string): Promise<boolean>;
  /** Deletes every subscription of an address; returns how many. */
  removeByEmail(email: string): Promise<number>;
  /**
   * Claims a period of a subscription for sending, atomically across processes. The window starts
   * where the last finished digest ended (or at confirmation) and ends at `to`.
   */
  claimPeriod(req: ClaimRequest): Promise<ClaimResult>;
  /** The claim is about to go to SMTP. False when the caller no longer holds it. */
  markSending(subscriptionId: string, period: string, owner: string): Promise<boolean>;
  /**
   * Finishes a held period. `sent` and `empty` move the subscription's window on and reset its bounce
   * count; `bounced` counts a bounce and pauses the subscription at MAX_BOUNCES in a row.
   */
  finish(subscriptionId: string, period: string, owner: string, how: Finish): Promise<Subscription | undefined>;
  /** Gives a held period back (a temporary failure): the next try claims it afresh. */
  release(subscriptionId: string, period: string, owner: string): Promise<void>;
  /** The ledger of one subscription, newest period first. */
  ledger(subscriptionId: string, limit: number): Promise<DigestClaim[]>;
  /**
   * Forgets what is no longer needed: finished ledger entries of periods before `ledgerBefore` (an
   * instant subscription records one every five minutes), and subscriptions still pending that were
   * created before `pendingBefore` (their confirmation link has long expired). Returns how many of each.
   */
  prune(opts: { ledgerBefore: string; pendingBefore: string }): Promise<{ ledger: number; pending: number }>;
  close(): Promise<void>;
}
