import { inboundToken, type Source } from '../sources/schema.js';
import type { Arrival } from './inbox/port.js';
import type { MailMessage } from './mail.js';

/** Which source a message is an issue of, or why it goes to the operator's inbox. */
export type MailRoute = { kind: 'source'; source: Source } | { kind: 'inbox'; reason: string };

/** A sender pattern: an address, or "@domain" for that domain and its subdomains. */
export function senderMatches(pattern: string, address: string): boolean {
  const a = address.toLowerCase();
  if (!pattern.startsWith('@')) return a === pattern;
  const domain = a.slice(a.lastIndexOf('@') + 1);
  const wanted = pattern.slice(1);
  return domain === wanted || domain.endsWith(`.${wanted}`);
}

/** The source's from / List-Id rules admit the message; a source with neither admits everything sent to it. */
export function admits(source: Source, mail: Pick<MailMessage, 'from' | 'listId' | 'listIdHeader'>): boolean {
  const n = source.newsletter;
  if (!n || (!n.from.length && !n.listId.length)) return true;
  if (n.from.some((p) => senderMatches(p, mail.from.address))) return true;
  return n.listId.some((l) => l === mail.listId || l === mail.listIdHeader || `<${mail.listId}>` === l);
}

/**
 * Routes one message (pure): to the source whose address it was sent to (SMTP) or whose folder it
 * lies in (IMAP), if that source's senders or List-Id admit it; mail in the account's main folder goes
 * to the one source whose senders or List-Id name it. Anything else — a list's confirmation request,
 * a stranger — goes to the operator's inbox with the reason.
 */
export function routeMail(mail: Pick<MailMessage, 'from' | 'listId' | 'listIdHeader'>, arrival: Arrival, sources: readonly Source[], inboundDomain?: string): MailRoute {
  const newsletters = sources.filter((s) => s.kind === 'newsletter' && s.enabled);
  let addressed: Source[];
  if (arrival.via === 'smtp') {
    const locals = (arrival.recipients ?? []).map((r) => r.toLowerCase()).flatMap((r) => {
      const at = r.lastIndexOf('@');
      return at > 0 && (!inboundDomain || r.slice(at + 1) === inboundDomain.toLowerCase()) ? [r.slice(0, at)] : [];
    });
    addressed = newsletters.filter((s) => locals.includes(inboundToken(s)));
    if (!addressed.length) return { kind: 'inbox', reason: `sent to ${(arrival.recipients ?? []).join(', ') || 'no recipient'}, which is no newsletter source's address` };
  } else {
    addressed = newsletters.filter((s) => s.newsletter?.mailbox === arrival.mailbox);
    if (!addressed.length) {
      // The account's main folder: the sender or List-Id must name the source.
      const named = newsletters.filter((s) => !s.newsletter?.mailbox && (s.newsletter?.from.length || s.newsletter?.listId.length) && admits(s, mail));
      if (named.length === 1) return { kind: 'source', source: named[0]! };
      if (named.length > 1) return { kind: 'inbox', reason: `the sender ${mail.from.address} matches several sources: ${named.map((s) => s.id).join(', ')}` };
      return { kind: 'inbox', reason: `no newsletter source lists the sender ${mail.from.address}${mail.listId ? ` or List-Id ${mail.listId}` : ''}` };
    }
  }
  const admitted = addressed.filter((s) => admits(s, mail));
  if (admitted.length) return { kind: 'source', source: admitted[0]! };
  return {
    kind: 'inbox',
    reason: `sent to ${addressed.map((s) => s.id).join(', ')}, but the sender ${mail.from.address}${mail.listId ? ` (List-Id ${mail.listId})` : ''} is not among its senders`,
  };
}
