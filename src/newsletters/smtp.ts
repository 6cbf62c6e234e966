import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { InboundMailError } from '../errors.js';
import { inboundToken } from '../sources/schema.js';
import { receiveMail, type ReceiveDeps } from './receive.js';

export interface InboundSmtpOptions {
  port: number;
  host: string;
  /** INBOUND_DOMAIN: only `<token>@domain` of an enabled newsletter source is accepted. */
  domain?: string;
  /** Messages above this are answered 552 (INBOUND_MAX_BYTES). */
  maxBytes: number;
  /** Messages one client address may deliver per minute; more are answered 450 (INBOUND_RATE_PER_MINUTE). */
  ratePerMinute: number;
  /** The name the listener greets with. */
  hostname?: string;
  /** PEM certificate and key: STARTTLS is offered when given. */
  tls?: { cert: Buffer; key: Buffer };
}

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

/** An SMTP error reply: smtp-server sends `responseCode` and the message. */
const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/**
 * The inbound listener (`regionradar inbound`): a plain SMTP server (smtp-server) that takes mail
 * for the newsletter sources' addresses and nothing else. RCPT TO another address: 550. Above the
 * size cap: 552. A client over its rate: 450, so a real MTA retries later. Malformed MIME: 550 with
 * the reason (logged). Our own trouble (Redis or the store down): 451, so the sender retries and
 * nothing is lost. Accepted (250) only once the issue is queued or kept in the operator's inbox.
 */
export async function startInboundSmtp(deps: ReceiveDeps, opts: InboundSmtpOptions): Promise<InboundSmtp> {
  const recent = new Map<string, number[]>();
  const overRate = (ip: string, now: number) => {
    // Clients not heard from for a minute are forgotten, so the map holds only this minute's senders.
    if (recent.size > 1_000) for (const [other, times] of recent) if (now - times.at(-1)! >= 60_000) recent.delete(other);
    const times = (recent.get(ip) ?? []).filter((t) => now - t < 60_000);
    const over = times.length >= opts.ratePerMinute;
    if (!over) times.push(now);
    recent.set(ip, times);
    return over;
  };
  const server = new SMTPServer({
    name: opts.hostname,
    banner: 'Regionradar newsletter intake',
    authOptional: true,
    // No AUTH: platforms deliver to an MX unauthenticated. STARTTLS when a certificate is configured.
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls ? { cert: opts.tls.cert, key: opts.tls.key } : {}),
    size: opts.maxBytes,
    logger: false,
    onMailFrom(_address, session, callback) {
      if (overRate(session.remoteAddress, deps.now?.() ?? Date.now())) {
        deps.log.warn({ ip: session.remoteAddress }, 'inbound SMTP: client over its rate');
        return callback(reply(450, '4.7.1 Too many messages from your address; try again later'));
      }
      callback();
    },
    async onRcptTo(address, _session, callback) {
      try {
        const rcpt = address.address.toLowerCase();
        const at = rcpt.lastIndexOf('@');
        const [local, domain] = [rcpt.slice(0, at), rcpt.slice(at + 1)];
        const known = (await deps.catalogue.list()).some((s) => s.kind === 'newsletter' && s.enabled && inboundToken(s) === local);
        if (at < 1 || (opts.domain && domain !== opts.domain.toLowerCase()) || !known) {
          return callback(reply(550, `5.1.1 <${address.address}>: no such newsletter address here`));
        }
        callback();
      } catch (err) {
        callback(reply(451, `4.3.0 Cannot check the address now: ${(err as Error).message}`));
      }
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the cap, stop keeping bytes; smtp-server reads to the end and sets sizeExceeded.
        bytes += chunk.length;
        if (bytes <= opts.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(reply(451, `4.3.0 ${err.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > opts.maxBytes) {
          deps.log.warn({ ip: session.remoteAddress, bytes }, 'inbound SMTP: message over the size cap refused');
          return callback(reply(552, `5.3.4 Message too big: the limit is ${opts.maxBytes} bytes`));
        }
        const arrival = {
          via: 'smtp' as const,
          recipients: session.envelope.rcptTo.map((r) => r.address),
          ip: session.remoteAddress,
          helo: session.hostNameAppearsAs,
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
        };
        receiveMail(Buffer.concat(chunks), arrival, deps).then(
          (outcome) => callback(null, outcome.kind === 'published' ? `2.0.0 Queued as an issue of ${outcome.sourceId}` : '2.0.0 Kept for the operator'),
          (err: unknown) => {
            if (err instanceof InboundMailError) {
              deps.log.warn({ err, ip: session.remoteAddress, recipients: arrival.recipients }, 'inbound SMTP: message refused');
              return callback(reply(550, `5.6.0 ${err.message}`));
            }
            deps.log.error({ err, ip: session.remoteAddress }, 'inbound SMTP: cannot take the message now');
            callback(reply(451, '4.3.0 Temporary failure; try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => deps.log.error({ err }, 'inbound SMTP error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
