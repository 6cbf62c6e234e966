import { Hono } from 'hono';
import { NotFoundError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { readInboxMessage } from '../routes/inbox.js';
import { requireAdminPage } from '../routes/admin.js';
import { badRequest, page, uiFor } from './context.js';
import { ErrorPage } from './views/error.js';
import { InboxMessagePage, InboxPage } from './views/inbox.js';

/**
 * `/admin/inbox`: the operator's newsletter inbox as pages (the same actions as /api/admin/inbox),
 * behind the admin password. Mounted only when the admin API is on.
 */
export function inboxPages(deps: ApiDeps & { admin: NonNullable<ApiDeps['admin']> }) {
  const inbox = deps.admin.inbox!;
  return new Hono()
    .use('*', requireAdminPage(deps.admin.token))
    .get('/', async (c) => page(c, InboxPage({ ui: await uiFor(c, deps), messages: await inbox.inbox.list({ limit: 200 }) })))
    .get('/:id', async (c) => {
      const ui = await uiFor(c, deps);
      try {
        const m = await readInboxMessage(inbox.inbox, c.req.param('id'));
        // Images stay unloaded: a tracking pixel would tell the sender the operator opened it.
        const html = m.html.replace(/<img\b[^>]*>/gi, '');
        const sources = (await deps.catalogue.list()).filter((s) => s.kind === 'newsletter').map((s) => ({ id: s.id, name: s.name }));
        return page(c, InboxMessagePage({ ui, m: { ...m, html }, sources }));
      } catch (err) {
        if (err instanceof NotFoundError) return page(c, ErrorPage({ ui, status: 404 }), 404);
        throw err;
      }
    })
    .post('/:id/assign', async (c) => {
      const form = await c.req.parseBody();
      try {
        await inbox.assign(c.req.param('id'), String(form.sourceId ?? ''));
      } catch (err) {
        if (err instanceof NotFoundError) return page(c, ErrorPage({ ui: await uiFor(c, deps), status: 404 }), 404);
        return badRequest(c, await uiFor(c, deps), err);
      }
      return c.redirect(`/admin/inbox/${encodeURIComponent(c.req.param('id'))}`, 303);
    })
    .post('/:id/dismiss', async (c) => {
      if (!(await inbox.inbox.dismiss(c.req.param('id')))) return page(c, ErrorPage({ ui: await uiFor(c, deps), status: 404 }), 404);
      return c.redirect(`/admin/inbox/${encodeURIComponent(c.req.param('id'))}`, 303);
    });
}
