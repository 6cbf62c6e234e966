import { createHash, timingSafeEqual } from 'node:crypto';
import { webhookRoutes, type WebhookRouteDeps } from './webhooks.js';
import { inboxRoutes, type InboxRouteDeps } from './inbox.js';
import { Hono, type MiddlewareHandler } from 'hono';
import { AuthError, ValidationError } from '../../errors.js';
import type { SourceAdmin } from '../../sources/admin.js';
import { sourceToInput } from '../../sources/catalogue.js';
import { opmlCountrySchema } from '../params.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time (over digests, so lengths do not leak either). */
function requireBearer(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (!given || !timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="regionradar-admin"');
      throw new AuthError(given ? 'the bearer token is not valid' : 'the admin API needs an Authorization: Bearer token (ADMIN_TOKEN)');
    }
    await next();
  };
}

/**
 * The admin pages' check: the browser's own Basic prompt (any user name, ADMIN_TOKEN as password)
 * works without JavaScript; a Bearer token is taken too. Forms post only from this site: a request
 * that a browser marks as coming from elsewhere (Sec-Fetch-Site, Origin) is refused, so a page
 * elsewhere cannot ride on the remembered Basic credentials.
 */
export function requireAdminPage(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
    const given = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').replace(/^[^:]*:/, '') : undefined);
    if (!given || !timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Basic realm="Regionradar admin", charset="UTF-8"');
      throw new AuthError(given ? 'the admin password is not valid' : 'the admin pages need the admin password (ADMIN_TOKEN)');
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== 'null' && new URL(origin).host !== new URL(c.req.url).host)) {
        throw new AuthError('the form was posted from another site');
      }
    }
    await next();
  };
}

async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError('body', 'must be a JSON object');
  }
}

/**
 * /api/admin: the operator's changes to the catalogue. Sources are read and written in the form
 * config/sources.yaml uses (durations as "2h"), validated by the same schema.
 */
export function adminRoutes(admin: { token: string; sources: SourceAdmin; webhooks?: WebhookRouteDeps; inbox?: InboxRouteDeps }) {
  const sources = admin.sources;
  const json = (s: Parameters<typeof sourceToInput>[0]) => sourceToInput(s);
  const app = new Hono().use('*', requireBearer(admin.token));
  if (admin.webhooks) app.route('/webhooks', webhookRoutes(admin.webhooks));
  if (admin.inbox) app.route('/inbox', inboxRoutes(admin.inbox));
  return app
    .get('/sources', async (c) => c.json({ items: (await sources.list()).map(json) }))
    .get('/sources/:id', async (c) => c.json(json(await sources.get(c.req.param('id')))))
    .post('/sources', async (c) => {
      const created = await sources.add(await jsonBody(c.req));
      return c.json(json(created), 201, { location: `/api/admin/sources/${created.id}` });
    })
    .put('/sources/:id', async (c) => c.json(json(await sources.replace(c.req.param('id'), await jsonBody(c.req)))))
    .delete('/sources/:id', async (c) => {
      await sources.remove(c.req.param('id'));
      return c.body(null, 204);
    })
    .post('/sources/:id/pause', async (c) => {
      const body = c.req.header('content-type')?.includes('json') ? ((await jsonBody(c.req)) as { reason?: unknown }) : {};
      const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim() : 'no reason given';
      await sources.pause(c.req.param('id'), reason);
      return c.json({ id: c.req.param('id'), status: 'paused', reason });
    })
    .post('/sources/:id/resume', async (c) => {
      const queued = await sources.resume(c.req.param('id'));
      return c.json({ id: c.req.param('id'), status: 'resumed', ...(queued ? { fetch: 'queued' } : {}) }, 202);
    })
    .post('/sources/:id/refresh', async (c) => {
      await sources.refresh(c.req.param('id'));
      return c.json({ id: c.req.param('id'), fetch: 'queued' }, 202);
    })
    .get('/opml', async (c) => c.body(await sources.exportOpml(), 200, { 'content-type': 'text/x-opml; charset=utf-8', 'content-disposition': 'attachment; filename="regionradar.opml"' }))
    .post('/opml', async (c) => {
      const country = c.req.query('country');
      const valid = opmlCountrySchema.safeParse(country);
      if (!valid.success) throw new ValidationError('country', valid.error.issues[0]!.message);
      return c.json(await sources.importOpml(await c.req.text(), { country }));
    });
}
