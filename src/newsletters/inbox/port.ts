import type { MailAuth } from '../../model/article.js';

/** How a message reached us: the SMTP listener (with its envelope) or an IMAP mailbox. */
export interface Arrival {
  via: 'smtp' | 'imap';
  /** RCPT TO addresses (SMTP). */
  recipients?: string[];
  /** The IMAP folder it was read from. */
  mailbox?: string;
  /** The connecting client (SMTP), for SPF. */
  ip?: string;
  helo?: string;
  /** MAIL FROM (SMTP) or Return-Path (IMAP). */
  mailFrom?: string;
}

/** A message no newsletter source took, kept for the operator; nothing of it is published until assigned. */
export interface InboxMessage {
  /** Stable per Message-ID: the same message delivered twice is one entry. */
  id: string;
  messageId: string;
  receivedAt: string;
  arrival: Arrival;
  from: string;
  fromName?: string;
  subject: string;
  date?: string;
  listId?: string;
  /** Why no source took it. */
  reason: string;
  mailAuth?: MailAuth;
  status: 'new' | 'assigned' | 'dismissed';
  /** The source it was assigned to, once it was. */
  sourceId?: string;
  size: number;
}

/** The message with its bytes, to read it and to publish it once assigned. */
export interface InboxEntry extends InboxMessage {
  raw: Buffer;
}

/**
 * The operator's inbox: mail that matched no newsletter source (a list's confirmation request,
 * typically, or a sender not yet listed). One contract suite (test/contract/inbox-store.contract.ts)
 * holds every adapter to it.
 */
export interface InboxStore {
  /** Keeps the message; false when one with its id is there already (then nothing changes). */
  put(entry: InboxEntry): Promise<boolean>;
  get(id: string): Promise<InboxEntry | undefined>;
  /** Newest first (ties by id), without the bytes; `status` filters; `limit` 1–1000, default 100. */
  list(opts?: { status?: InboxMessage['status']; limit?: number }): Promise<InboxMessage[]>;
  /** Records that the message was published as `sourceId`'s; false when no such message. */
  markAssigned(id: string, sourceId: string): Promise<boolean>;
  /** The operator set it aside; false when no such message. */
  dismiss(id: string): Promise<boolean>;
  /** Deletes messages received before `before` that are no longer new; returns how many. */
  prune(before: string): Promise<number>;
  close(): Promise<void>;
}
