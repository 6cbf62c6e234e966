import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../bench/ports.js';

/** What the test SMTP server does with the next message: accept it, or refuse it with a reply code. */
export type Reply = { code: number; message: string };

export interface Inbox {
  port: number;
  url: string;
  /** Messages accepted (250 after DATA), parsed by mailparser, in arrival order. */
  messages: ParsedMail[];
  /** Accepted messages to one address. */
  to(address: string): ParsedMail[];
  /** Refuses the next `n` messages after DATA with this reply. */
  refuseNext(reply: Reply, n?: number): void;
  /** Refuses every message to this recipient at RCPT TO (a 5xx makes it a bounce). */
  refuseRecipient(address: string, reply: Reply): void;
  /** Called with each message once it is received in full, before the server answers 250. */
  beforeAccept?: (mail: ParsedMail) => void | Promise<void>;
  /** Resolves with the first accepted message matching, waiting up to `timeoutMs`. */
  waitFor(match: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

const addresses = (m: ParsedMail): string[] => {
  const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
  return to.flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? ''));
};

const smtpError = (reply: Reply) => Object.assign(new Error(reply.message), { responseCode: reply.code });

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps what it accepts, parsed by `mailparser`. */
export async function startInbox(): Promise<Inbox> {
  const port = await freePort();
  const refusals: Reply[] = [];
  const refusedRecipients = new Map<string, Reply>();
  const inbox: Inbox = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages: [],
    to: (address) => inbox.messages.filter((m) => addresses(m).includes(address.toLowerCase())),
    refuseNext: (reply, n = 1) => {
      for (let i = 0; i < n; i++) refusals.push(reply);
    },
    refuseRecipient: (address, reply) => void refusedRecipients.set(address.toLowerCase(), reply),
    async waitFor(match, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = inbox.messages.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no matching message within ${timeoutMs} ms; got ${inbox.messages.length}: ${inbox.messages.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refused = refusedRecipients.get(address.address.toLowerCase());
      callback(refused ? smtpError(refused) : undefined);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const refusal = refusals.shift();
          if (refusal) return callback(smtpError(refusal));
          await inbox.beforeAccept?.(mail);
          inbox.messages.push(mail);
          callback();
        })
        .catch((err) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return inbox;
}
