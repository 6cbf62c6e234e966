import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { RegionradarError, type ErrorContext } from '../errors.js';
import { privateAddressRule, type LookupAll } from '../pipeline/fetch/address.js';
import { redactUrl, type Webhook } from './model.js';
import { signPayload } from './sign.js';

/**
 * The receiver may not be reached: not http(s), or its host is (or now resolves to) a private,
 * loopback or link-local address not allowed by ALLOW_PRIVATE_HOSTS. Retrying cannot help; the admin
 * must change the URL (or the allow-list).
 */
export class WebhookRefusedError extends RegionradarError {
  readonly retryable = false;
  readonly reason: string;
  constructor(reason: string, ctx: ErrorContext = {}) {
    super(`webhook refused: ${reason}`, ctx);
    this.reason = reason;
  }
}

/**
 * The receiver did not take the delivery. `retryable` for network errors, timeouts, 408, 429 and 5xx;
 * not for other statuses (a 404 or 410 means the Slack or Teams hook was deleted, a 400 that it
 * refused the body), which need the admin.
 */
export class WebhookDeliveryError extends RegionradarError {
  readonly retryable: boolean;
  readonly status?: number;
  /** Seconds the receiver asked us to wait (Retry-After), when it said so. */
  readonly retryAfter?: number;
  constructor(message: string, ctx: ErrorContext & { retryable: boolean; status?: number; retryAfter?: number }) {
    super(message, ctx);
    this.retryable = ctx.retryable;
    this.status = ctx.status;
    this.retryAfter = ctx.retryAfter;
  }
}

export interface PostOptions {
  /** ALLOW_PRIVATE_HOSTS: hosts or addresses that may be private (tests and self-hosted receivers on the LAN). */
  allowPrivateHosts: readonly string[];
  /** For connecting, the response headers and the body each. */
  timeoutMs: number;
  /** DNS, injected in tests; `dns.promises.lookup` by default. */
  lookup?: LookupAll;
  userAgent: string;
}

/** One delivery: its id (stable across retries of the window) and the JSON body. */
export interface WebhookPost {
  deliveryId: string;
  payload: unknown;
}

export interface PostResult {
  status: number;
}

/** The shape deliverWebhook needs: postWebhook with its options bound by the composition root. */
export type PostWebhook = (webhook: Pick<Webhook, 'id' | 'url' | 'secret'>, post: WebhookPost) => Promise<PostResult>;

/** Receivers' answers are read this far, for the error message ("no_service", "invalid_payload"); the rest is discarded. */
const ANSWER_MAX = 512;

/** Statuses worth retrying besides 5xx: the receiver timed out reading (408) or is rate limiting (429). */
const RETRYABLE_STATUSES = new Set([408, 429]);

/**
 * POSTs one signed delivery. The address is checked where the connection is made: a hostname is
 * resolved by our lookup, refused if any address is private (unless allow-listed), and the connection
 * goes to the address that was checked, so a DNS answer changing between check and connect (rebinding)
 * cannot reach an internal service. IP literals never reach a lookup and are checked before. Redirects
 * are not followed (a receiver that moved must be re-registered). Resolves on 2xx.
 *
 * @example
 *   await postWebhook(webhook, { deliveryId: deliveryId(webhook.id, to), payload: slackMessage(m) },
 *     { allowPrivateHosts: env.ALLOW_PRIVATE_HOSTS, timeoutMs: 10_000, userAgent: 'Regionradar/0.1 (+https://radar.example)' });
 */
export async function postWebhook(
  webhook: Pick<Webhook, 'id' | 'url' | 'secret'>,
  post: WebhookPost,
  opts: PostOptions,
): Promise<PostResult> {
  const where = redactUrl(webhook.url);
  const ctx = { url: where };
  let url: URL;
  try {
    url = new URL(webhook.url);
  } catch {
    throw new WebhookRefusedError('the URL is not valid', ctx);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookRefusedError(`scheme ${url.protocol} is not http or https`, ctx);
  const refuse = privateAddressRule(opts.allowPrivateHosts);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) && refuse(host, [host])) throw new WebhookRefusedError(`host ${host} is a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)`, ctx);

  const resolve = opts.lookup ?? ((name: string, o: { all: true }) => dnsLookup(name, o));
  let refusal: WebhookRefusedError | undefined;
  const checkedLookup = (hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    resolve(hostname, { all: true }).then(
      (found) => {
        const list = found.map((a) => ({ address: a.address, family: (a as Partial<LookupAddress>).family ?? isIP(a.address) }));
        const bad = refuse(hostname, list.map((a) => a.address));
        if (bad || !list.length) {
          refusal = new WebhookRefusedError(
            bad ? `host ${hostname} resolves to ${bad}, a private, loopback or link-local address (ALLOW_PRIVATE_HOSTS can allow it)` : `host ${hostname} does not resolve`,
            ctx,
          );
          return callback(refusal, []);
        }
        if (options.all) return callback(null, list);
        callback(null, list[0]!.address, list[0]!.family);
      },
      (err: Error) => callback(err, []),
    );
  };

  const body = JSON.stringify(post.payload);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': opts.userAgent,
    ...signPayload(webhook.secret, body, { deliveryId: post.deliveryId }),
  };
  // One agent per delivery: deliveries are few, and its lookup is this delivery's check.
  const agent = new Agent({ connect: { lookup: checkedLookup as never, timeout: opts.timeoutMs }, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  try {
    let res;
    try {
      res = await request(url, { method: 'POST', headers, body, dispatcher: agent, signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (err) {
      if (refusal) throw refusal;
      const name = (err as { name?: string }).name;
      const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : `network error: ${(err as Error).message}`;
      throw new WebhookDeliveryError(`webhook ${webhook.id}: ${reason}`, { ...ctx, retryable: true, cause: err });
    }
    const status = res.statusCode;
    const answer = await readAnswer(res.body);
    if (status >= 200 && status < 300) return { status };
    const header = res.headers['retry-after'];
    const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header);
    const redirect = status >= 300 && status < 400;
    const retryable = !redirect && (status >= 500 || RETRYABLE_STATUSES.has(status));
    const said = redirect ? ' (redirects are not followed; register the new URL)' : answer ? `: ${answer}` : '';
    throw new WebhookDeliveryError(`webhook ${webhook.id}: the receiver answered ${status}${said}`, {
      ...ctx,
      status,
      retryable,
      ...(retryable && retryAfter !== undefined ? { retryAfter } : {}),
    });
  } finally {
    await agent.destroy().catch(() => {});
  }
}

/** The first ANSWER_MAX bytes of the receiver's answer as one line of text; the rest is discarded. */
async function readAnswer(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ANSWER_MAX) break;
    }
  } catch {
    // The status is what counts; an answer cut short says nothing more.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_MAX).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Retry-After in seconds (RFC 9110 §10.2.3): delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
