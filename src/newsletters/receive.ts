import { NotFoundError, ValidationError } from '../errors.js';
import type { ArticleDraft, MailAuth } from '../model/article.js';
import { normalizeItem } from '../pipeline/normalize/index.js';
import { partitionByNovelty } from '../pipeline/dedupe/index.js';
import type { Source } from '../sources/schema.js';
import type { SourceCatalogue } from '../sources/catalogue.js';
import type { FetchState } from '../state/port.js';
import type { Logger } from '../observability/log.js';
import { authenticateMail, authPasses, type DNSResolver } from './auth.js';
import type { Arrival, InboxStore } from './inbox/port.js';
import { newsletterItems } from './issue.js';
import { readMail, type MailMessage } from './mail.js';
import { routeMail } from './route.js';
import { inboxId, issueUrl } from './ids.js';
import { addDocuments, type DocumentDeps } from '../jobs/documents.js';

export interface ReceiveDeps {
  catalogue: Pick<SourceCatalogue, 'list' | 'get'>;
  inbox: InboxStore;
  /** The content hash each source last delivered, per article id (ArticleStore.knownHashes). */
  knownHashes(sourceId: string, ids: readonly string[]): Promise<Map<string, string>>;
  enqueueEnrich(drafts: readonly ArticleDraft[]): Promise<void>;
  /** Records each issue as the source's latest "fetch", for the sources page; a source the operator paused takes no mail. */
  state?: Pick<FetchState, 'recordFetch' | 'getHealth'>;
  /** PUBLIC_URL: issues without a web version get a stable URL under it. */
  baseUrl: string;
  /** INBOUND_DOMAIN: the domain of the sources' addresses. */
  inboundDomain?: string;
  /** Replaces DNS for SPF/DKIM/DMARC (tests, offline installations). */
  resolver?: DNSResolver;
  /** For sources with `documents`: the PDFs an issue or story links to are read like a feed item's. */
  documents?: DocumentDeps;
  log: Logger;
  now?: () => number;
}

export type Published = { kind: 'published'; sourceId: string; messageId: string; items: number; fresh: number; changed: number };
export type ReceiveOutcome = Published | { kind: 'inbox'; id: string; messageId: string; reason: string; created: boolean };

/**
 * One inbound message (SMTP or IMAP) → published articles, or an entry in the operator's inbox.
 * Malformed MIME throws an InboundMailError (reason 'malformed') and keeps nothing. Idempotent: the
 * same message again yields the same article ids and content hashes, and nothing is queued twice.
 */
export async function receiveMail(raw: Buffer, arrival: Arrival, deps: ReceiveDeps): Promise<ReceiveOutcome> {
  const mail = await readMail(raw);
  const auth = await authenticateMail(raw, arrival, { resolver: deps.resolver });
  const route = routeMail(mail, arrival, await deps.catalogue.list(), deps.inboundDomain);
  let reason: string;
  if (route.kind === 'source') {
    const source = route.source;
    const paused = (await deps.state?.getHealth([source.id]))?.get(source.id)?.operatorPause;
    if (paused) reason = `${source.id} is paused (${paused}): its mail waits here`;
    else if (!source.newsletter?.requireAuth || authPasses(auth)) return publish(mail, source, auth, deps);
    else reason = `${source.id} requires an authenticated sender; DMARC ${auth.dmarc}, DKIM ${auth.dkim}${auth.dkim === 'pass' ? ' (not aligned with From)' : ''}`;
  } else reason = route.reason;
  const id = inboxId(mail.messageId);
  const { dkimAligned: _, ...mailAuth } = auth;
  const created = await deps.inbox.put({
    id,
    messageId: mail.messageId,
    receivedAt: new Date(deps.now?.() ?? Date.now()).toISOString(),
    arrival,
    from: mail.from.address,
    ...(mail.from.name ? { fromName: mail.from.name } : {}),
    subject: mail.subject,
    ...(mail.date ? { date: mail.date } : {}),
    ...(mail.listId ? { listId: mail.listId } : {}),
    reason,
    mailAuth,
    status: 'new',
    size: raw.length,
    raw,
  });
  deps.log.info({ inboxId: id, from: mail.from.address, subject: mail.subject, reason, created }, 'newsletter mail kept in the inbox');
  return { kind: 'inbox', id, messageId: mail.messageId, reason, created };
}

/**
 * Publishes a message from the operator's inbox as an issue of `sourceId` (the operator vouches
 * for it: the source's sender and authentication rules are not applied).
 */
export async function assignFromInbox(id: string, sourceId: string, deps: ReceiveDeps): Promise<Published> {
  const entry = await deps.inbox.get(id);
  if (!entry) throw new NotFoundError(`no message "${id}" in the inbox`);
  const source = await deps.catalogue.get(sourceId);
  if (!source) throw new ValidationError('sourceId', `no source with id "${sourceId}"`);
  if (source.kind !== 'newsletter') throw new ValidationError('sourceId', `source "${sourceId}" is a ${source.kind}, not a newsletter`);
  const mail = await readMail(entry.raw, { sourceId });
  const outcome = await publish(mail, source, entry.mailAuth ?? { spf: 'none', dkim: 'none', dmarc: 'none' }, deps);
  await deps.inbox.markAssigned(id, sourceId);
  return outcome;
}

async function publish(mail: MailMessage, source: Source, auth: MailAuth, deps: ReceiveDeps): Promise<Published> {
  const at = new Date(deps.now?.() ?? Date.now()).toISOString();
  const fallbackUrl = issueUrl(deps.baseUrl, source.id, inboxId(mail.messageId));
  const mailAuth: MailAuth = { spf: auth.spf, dkim: auth.dkim, dmarc: auth.dmarc };
  const drafts = newsletterItems(mail, { fallbackUrl })
    .map((item) => normalizeItem(item, source, { fetchedAt: at, documentUrl: item.link ?? fallbackUrl }))
    .filter((d): d is ArticleDraft => d !== undefined)
    .map((d) => ({ ...d, mailAuth }));
  // Several stories of one bundle may share a URL; the first wins.
  const unique = [...new Map(drafts.map((d) => [d.id, d])).values()];
  const known = await deps.knownHashes(source.id, unique.map((d) => d.id));
  const { fresh, changed } = partitionByNovelty(unique, known);
  if (deps.documents) await addDocuments([...fresh, ...changed], new Map(), source, { ...deps.documents, log: deps.log });
  await deps.enqueueEnrich([...fresh, ...changed]);
  await deps.state?.recordFetch(source.id, { at, status: 'ok', itemCount: unique.length }).catch(() => {});
  deps.log.info({ sourceId: source.id, messageId: mail.messageId, items: unique.length, fresh: fresh.length, changed: changed.length }, 'newsletter issue received');
  return { kind: 'published', sourceId: source.id, messageId: mail.messageId, items: unique.length, fresh: fresh.length, changed: changed.length };
}
