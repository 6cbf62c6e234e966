import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../errors.js';
import { webhookInputSchema, type WebhookInput } from '../../webhooks/model.js';
import type { WebhookStore } from '../../webhooks/port.js';

export interface WebhookRouteDeps {
  webhooks: WebhookStore;
  /**
   * Why a webhook URL may not be registered — its host is or resolves to a private, loopback or
   * link-local address not in ALLOW_PRIVATE_HOSTS, or does not resolve — or nothing when it may.
   * `checkPublicUrl` in production, as for sources (SourceAdminPorts.checkUrl).
   */
  checkUrl(url: string): Promise<string | undefined>;
  now?: () => Date;
}

async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError('body', 'must be a JSON object');
  }
}

/**
 * /api/admin/webhooks: the operator's webhooks. Carries no authentication of its own: mount it where
 * the admin bearer check already runs, e.g. in adminRoutes after `.use('*', requireBearer(token))`:
 * `.route('/webhooks', webhookRoutes({ webhooks, checkUrl }))`. Errors are thrown as typed errors for
 * the app's onError (problem+json): a bad field is a 400 naming `body.<field>` (as /api/admin/sources
 * does), a refused URL a 400 naming `body.url` with the reason, an unknown id a 404.
 *
 * Responses are the stored webhook including its `secret`: the admin hands it to the receiver, which
 * verifies signatures with it.
 */
export function webhookRoutes(deps: WebhookRouteDeps) {
  const { webhooks } = deps;
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const existing = async (id: string) => {
    const webhook = await webhooks.get(id);
    if (!webhook) throw new NotFoundError(`no webhook with id "${id}"`);
    return webhook;
  };
  const validated = async (body: unknown): Promise<WebhookInput> => {
    const result = webhookInputSchema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new ValidationError(issue.path.length ? `body.${issue.path.join('.')}` : 'body', issue.message);
    }
    const refused = await deps.checkUrl(result.data.url);
    if (refused) throw new ValidationError('body.url', refused);
    return result.data;
  };

  return new Hono()
    .get('/', async (c) => c.json({ items: await webhooks.list() }))
    .post('/', async (c) => {
      const created = await webhooks.create(await validated(await jsonBody(c.req)), now());
      return c.json(created, 201, { location: `${c.req.path.replace(/\/$/, '')}/${created.id}` });
    })
    .get('/:id', async (c) => c.json(await existing(c.req.param('id'))))
    .put('/:id', async (c) => {
      const id = c.req.param('id');
      await existing(id);
      const updated = await webhooks.update(id, await validated(await jsonBody(c.req)));
      if (!updated) throw new NotFoundError(`no webhook with id "${id}"`);
      return c.json(updated);
    })
    .delete('/:id', async (c) => {
      if (!(await webhooks.remove(c.req.param('id')))) throw new NotFoundError(`no webhook with id "${c.req.param('id')}"`);
      return c.body(null, 204);
    });
}
