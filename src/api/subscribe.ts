import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { SubscriptionDeps } from '../subscriptions/deps.js';
import { subscriptionInputSchema, type Subscription, type SubscriptionInput } from '../subscriptions/model.js';
import { verifyToken, type TokenPurpose } from '../subscriptions/token.js';
import type { ApiDeps } from './deps.js';
import { checkFilterValues, knownFilterValues } from './params.js';


/** The first issue of a zod error as a ValidationError naming the field by its dotted path. */
export function validationError(err: z.ZodError): ValidationError {
  const issue = err.issues[0]!;
  if (issue.code === 'unrecognized_keys') return new ValidationError([...issue.path, (issue as { keys: string[] }).keys[0]].join('.'), 'unknown field');
  return new ValidationError(issue.path.join('.') || '(body)', issue.message);
}

/** Validates a subscription request: its shape, then that the themes, regions, countries and sources it names exist. */
export async function parseSubscription(deps: ApiDeps, body: unknown): Promise<SubscriptionInput> {
  const r = subscriptionInputSchema.safeParse(body);
  if (!r.success) throw validationError(r.error);
  const f = r.data.filter;
  try {
    checkFilterValues({ theme: f.themes, region: f.regions, country: f.countries, source: f.sources }, await knownFilterValues(deps, { source: f.sources, country: f.countries }));
  } catch (err) {
    // Name the field as the request spelled it (filter.themes), not as the query string does (theme).
    if (err instanceof ValidationError) {
      const field = { theme: 'themes', region: 'regions', country: 'countries', source: 'sources' }[err.parameter] ?? err.parameter;
      throw new ValidationError(`filter.${field}`, err.message.replace(/^invalid parameter '[^']+': /, ''));
    }
    throw err;
  }
  return r.data;
}

const sameChoices = (s: Subscription, input: SubscriptionInput) =>
  JSON.stringify([s.filter, s.frequency, s.sendAt, s.timeZone, s.locale]) === JSON.stringify([input.filter, input.frequency, input.sendAt, input.timeZone, input.locale]);

/** Unconfirmed subscriptions one address may have at once; beyond, requests are answered but make nothing. */
export const MAX_PENDING_PER_ADDRESS = 5;

/**
 * Starts a subscription: a new pending one and its confirmation e-mail. The same request again does
 * not make a second record: a pending twin gets its confirmation again (at most once a quarter of an
 * hour), an active twin nothing. The answer is the same either way, so nobody learns whether an address
 * is subscribed, and nobody can use the form to flood an address with confirmations.
 */
export async function subscribe(subs: SubscriptionDeps, input: SubscriptionInput, now = new Date()): Promise<void> {
  const existing = await subs.store.findByEmail(input.email);
  const twin = existing.find((s) => sameChoices(s, input));
  if (twin?.status === 'active' || twin?.status === 'paused') return;
  if (!twin && existing.filter((s) => s.status === 'pending').length >= MAX_PENDING_PER_ADDRESS) return;
  const sub = twin ?? (await subs.store.create(input, now.toISOString()));
  await subs.requestConfirmation(sub.id);
}

/** The subscription a signed link names, or undefined (forged, expired, or the subscription is gone). */
export async function fromToken(subs: SubscriptionDeps, token: string | undefined, purpose: TokenPurpose): Promise<Subscription | undefined> {
  const claims = token ? verifyToken(subs.secret, token, purpose) : undefined;
  return claims ? subs.store.get(claims.subscriptionId) : undefined;
}
