import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { InboxMessage, InboxStore } from '../../newsletters/inbox/port.js';
import { readMail } from '../../newsletters/mail.js';
import { sanitizeContent } from '../../pipeline/sanitize/index.js';

export interface InboxRouteDeps {
  inbox: InboxStore;
  /** Publishes an inbox message as an issue of a newsletter source (receive.ts assignFromInbox). */
  assign(id: string, sourceId: string): Promise<{ sourceId: string; items: number; fresh: number }>;
}

const STATUSES = ['new', 'assigned', 'dismissed'] as const;

/** One inbox message as the operator reads it: the sanitized body, and its links (a list's "confirm" link among them). */
export async function readInboxMessage(inbox: InboxStore, id: string): Promise<InboxMessage & { html: string; text: string; links: Array<{ text: string; url: string }> }> {
  const entry = await inbox.get(id);
  if (!entry) throw new NotFoundError(`no message "${id}" in the inbox`);
  const { raw, ...message } = entry;
  const mail = await readMail(raw).catch(() => undefined);
  const body = sanitizeContent(mail?.html ?? (mail?.text ? `<pre>${mail.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>` : ''));
  const links = [...body.html.matchAll(/<a href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
    url: m[1]!.replace(/&amp;/g, '&'),
    text: m[2]!.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
  }));
  return { ...message, html: body.html, text: body.text, links };
}

/**
 * /api/admin/inbox: newsletter mail no source took. Mount behind the admin bearer check. Listing
 * (`?status=new|assigned|dismissed`), reading one message, assigning it to a newsletter source
 * (which publishes it) and dismissing it.
 */
export function inboxRoutes(deps: InboxRouteDeps) {
  return new Hono()
    .get('/', async (c) => {
      const status = c.req.query('status');
      if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new ValidationError('status', `must be one of ${STATUSES.join(', ')}`);
      return c.json({ items: await deps.inbox.list({ status: status as InboxMessage['status'] | undefined }) });
    })
    .get('/:id', async (c) => c.json(await readInboxMessage(deps.inbox, c.req.param('id'))))
    .post('/:id/assign', async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ValidationError('body', 'must be a JSON object with sourceId');
      }
      const sourceId = (body as { sourceId?: unknown } | null)?.sourceId;
      if (typeof sourceId !== 'string' || !sourceId) throw new ValidationError('body.sourceId', 'must name a newsletter source');
      const outcome = await deps.assign(c.req.param('id'), sourceId);
      return c.json({ id: c.req.param('id'), status: 'assigned', ...outcome });
    })
    .post('/:id/dismiss', async (c) => {
      if (!(await deps.inbox.dismiss(c.req.param('id')))) throw new NotFoundError(`no message "${c.req.param('id')}" in the inbox`);
      return c.json({ id: c.req.param('id'), status: 'dismissed' });
    });
}
