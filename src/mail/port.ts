/** One message as the digests, alerts and confirmations hand it to the mailer. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Without angle brackets; derived from subscriber and period for digests, so a resend is recognisably the same message. */
  messageId: string;
  date: Date;
  /** One-click unsubscribe (RFC 8058): sets List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
  /** A List-Id (RFC 2919) so mail clients group and filter the subscription. */
  listId?: string;
}

/**
 * Outgoing mail: the port the digest jobs and the subscription pages use. Failures are MailErrors
 * whose `kind` says temporary, bounce or relay. One adapter (SMTP through nodemailer); its contract
 * suite runs against an SMTP server in the test process.
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  /** Connects (and logs in) to the relay without sending: `regionradar check-config`. */
  verify(): Promise<void>;
  close(): Promise<void>;
}
