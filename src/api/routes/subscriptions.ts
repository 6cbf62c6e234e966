import { Hono } from 'hono';
import { ValidationError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { parseSubscription, subscribe } from '../subscribe.js';
import type { SubscriptionDeps } from '../../subscriptions/deps.js';

/**
 * POST /api/subscriptions: starts a subscription (double opt-in). 202 whatever the address's state,
 * with nothing that identifies the subscription: only the confirmation e-mail carries its links.
 */
export function subscriptionRoutes(deps: ApiDeps, subs: SubscriptionDeps) {
  return new Hono().post('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ValidationError('(body)', 'must be a JSON object');
    }
    const input = await parseSubscription(deps, body);
    await subscribe(subs, input);
    return c.json({ status: 'pending', detail: `a confirmation e-mail is on its way to ${input.email}; nothing is sent before it is confirmed` }, 202);
  });
}
