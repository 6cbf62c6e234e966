import nodemailer from 'nodemailer';
import { MailError } from '../errors.js';
import type { Mailer, OutgoingMail } from './port.js';

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:port or smtps://…; nodemailer's connection URL. */
  url: string;
  /** The From address, e.g. `Regionradar <digest@example.org>`. */
  from: string;
  /** Connections kept open to the relay. */
  maxConnections?: number;
  /** Messages per second at most, across the pool (relays throttle senders that go faster). */
  ratePerSecond?: number;
}

/**
 * What an SMTP failure means, decided here and nowhere else: a 5xx to RCPT TO or DATA is the
 * subscriber's address or message refused for good (a bounce); a 5xx to anything else (AUTH, MAIL
 * FROM) is our relay configuration; 4xx and connection trouble are temporary.
 */
export function classifySmtpError(err: unknown, to: string): MailError {
  const e = err as { responseCode?: number; command?: string; code?: string; message?: string; response?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = (e.command ?? '').toUpperCase();
  const reply = e.response ?? e.message ?? String(err);
  if (code !== undefined && code >= 500) {
    // By the command refused when nodemailer names it (it reports a refused MAIL FROM as EENVELOPE too).
    const recipient = command ? command.startsWith('RCPT') || command === 'DATA' : e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
    return new MailError(`SMTP refused the message to ${to}: ${reply}`, { kind: recipient ? 'bounce' : 'relay', responseCode: code, cause: err });
  }
  return new MailError(`SMTP could not take the message to ${to} now: ${reply}`, { kind: 'temporary', responseCode: code, cause: err });
}

/** The Mailer over SMTP: nodemailer's pooled, rate-limited transport. */
export function createSmtpMailer(opts: SmtpMailerOptions): Mailer {
  const rate = opts.ratePerSecond ?? 20;
  const transport = nodemailer.createTransport({
    url: opts.url,
    pool: true,
    maxConnections: opts.maxConnections ?? 4,
    rateDelta: 1_000,
    rateLimit: rate,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail: OutgoingMail) {
      const headers: Record<string, string> = {};
      if (mail.unsubscribeUrl) {
        headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`;
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
      }
      if (mail.listId) headers['List-Id'] = mail.listId;
      try {
        await transport.sendMail({
          from: opts.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<${mail.messageId}>`,
          date: mail.date,
          headers,
        });
      } catch (err) {
        throw classifySmtpError(err, mail.to);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw classifySmtpError(err, '(verify)');
      }
    },
    async close() {
      transport.close();
    },
  };
}
