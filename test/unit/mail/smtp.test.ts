import { describe, expect, it } from 'vitest';
import { MailError } from '../../../src/errors.js';
import { classifySmtpError } from '../../../src/mail/smtp.js';

const TO = 'kari.nordmann@example.no';

/** An error shaped as nodemailer's SMTP connection makes them (see its _formatError): code, response, responseCode, command. */
function smtpError(message: string, fields: { code?: string; response?: string; responseCode?: number; command?: string }): Error {
  return Object.assign(new Error(fields.response ? `${message}: ${fields.response}` : message), fields);
}

describe('classifySmtpError', () => {
  it('550 to RCPT TO is a bounce, not retryable', () => {
    const err = smtpError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: '550 5.1.1 <kari.nordmann@example.no>: Recipient address rejected: User unknown', responseCode: 550, command: 'RCPT TO' });
    const e = classifySmtpError(err, TO);
    expect(e).toBeInstanceOf(MailError);
    expect(e.kind).toBe('bounce');
    expect(e.retryable).toBe(false);
    expect(e.responseCode).toBe(550);
    expect(e.message).toContain(TO);
    expect(e.message).toContain('User unknown');
    expect(e.cause).toBe(err);
  });

  it('554 to DATA is a bounce', () => {
    const err = smtpError('Message failed', { code: 'EMESSAGE', response: '554 5.7.1 Message rejected as spam', responseCode: 554, command: 'DATA' });
    const e = classifySmtpError(err, TO);
    expect(e.kind).toBe('bounce');
    expect(e.retryable).toBe(false);
    expect(e.responseCode).toBe(554);
    expect(e.message).toContain(TO);
  });

  it('decides on the command even without a nodemailer code', () => {
    expect(classifySmtpError({ responseCode: 550, command: 'RCPT TO:<x@example.no>' }, TO).kind).toBe('bounce');
    expect(classifySmtpError({ responseCode: 552, command: 'data' }, TO).kind).toBe('bounce');
    expect(classifySmtpError({ responseCode: 553, command: 'MAIL FROM' }, TO).kind).toBe('relay');
  });

  it('535 to AUTH PLAIN is the relay configuration, retryable', () => {
    const err = smtpError('Invalid login', { code: 'EAUTH', response: '535 5.7.8 Authentication credentials invalid', responseCode: 535, command: 'AUTH PLAIN' });
    const e = classifySmtpError(err, TO);
    expect(e.kind).toBe('relay');
    expect(e.retryable).toBe(true);
    expect(e.responseCode).toBe(535);
    expect(e.message).toContain(TO);
  });

  // nodemailer reports a refused sender as code 'EENVELOPE', command 'MAIL FROM' (checked against a real
  // smtp-server refusing MAIL FROM with 553). classifySmtpError counts every EENVELOPE as the recipient's,
  // so the relay's refusal of our From address becomes a bounce that counts against the subscriber.
  it('553 to MAIL FROM is the relay configuration, not a bounce (nodemailer code EENVELOPE)', () => {
    const err = smtpError('Mail command failed', { code: 'EENVELOPE', response: '553 5.7.1 Sender address rejected: not owned by user', responseCode: 553, command: 'MAIL FROM' });
    const e = classifySmtpError(err, TO);
    expect(e.kind).toBe('relay');
    expect(e.retryable).toBe(true);
    expect(e.responseCode).toBe(553);
  });

  it('451 and 421 are temporary, retryable', () => {
    const greylisted = classifySmtpError(smtpError('Recipient command failed', { code: 'EENVELOPE', response: '451 4.7.1 Greylisted, try again later', responseCode: 451, command: 'RCPT TO' }), TO);
    expect(greylisted.kind).toBe('temporary');
    expect(greylisted.retryable).toBe(true);
    expect(greylisted.responseCode).toBe(451);
    expect(greylisted.message).toContain(TO);
    const closing = classifySmtpError(smtpError('Message failed', { code: 'EMESSAGE', response: '421 4.3.2 Service shutting down', responseCode: 421, command: 'DATA' }), TO);
    expect(closing.kind).toBe('temporary');
    expect(closing.retryable).toBe(true);
    expect(closing.responseCode).toBe(421);
  });

  it('a refused connection (no reply code) is temporary', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNREFUSED', command: 'CONN' });
    const e = classifySmtpError(err, TO);
    expect(e.kind).toBe('temporary');
    expect(e.retryable).toBe(true);
    expect(e.responseCode).toBeUndefined();
    expect(e.message).toContain(TO);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.cause).toBe(err);
  });

  it('a timeout or a thrown string is temporary', () => {
    expect(classifySmtpError(Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT' }), TO).kind).toBe('temporary');
    const e = classifySmtpError('socket hang up', TO);
    expect(e.kind).toBe('temporary');
    expect(e.message).toContain('socket hang up');
  });

  it('only a bounce is not retryable', () => {
    const cases = [
      { responseCode: 550, command: 'RCPT TO' },
      { responseCode: 554, command: 'DATA' },
      { responseCode: 535, command: 'AUTH LOGIN' },
      { responseCode: 530, command: 'MAIL FROM' },
      { responseCode: 450, command: 'RCPT TO' },
      { code: 'ESOCKET' },
    ];
    for (const c of cases) {
      const e = classifySmtpError(c, TO);
      expect(e.retryable).toBe(e.kind !== 'bounce');
    }
  });
});
