import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestNames } from '../../src/digests/content.js';
import type { Article } from '../../src/model/article.js';
import { problemResponse, toProblem } from '../../src/api/problem.js';
import { webhookRoutes } from '../../src/api/routes/webhooks.js';
import { checkPublicUrl, type LookupAll } from '../../src/pipeline/fetch/address.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { ArticleStore } from '../../src/store/port.js';
import { postWebhook, WebhookDeliveryError, WebhookRefusedError, type PostOptions } from '../../src/webhooks/deliver.js';
import type { JsonMessage, SlackMessage, TeamsMessage } from '../../src/webhooks/format.js';
import type { Webhook, WebhookInput } from '../../src/webhooks/model.js';
import type { WebhookStore } from '../../src/webhooks/port.js';
import { deliverWebhook, runDueWebhooks, type WebhookRunDeps } from '../../src/webhooks/run.js';
import { DELIVERY_HEADER, deliveryId, verifySignature } from '../../src/webhooks/sign.js';
import { createSqliteWebhookStore } from '../../src/webhooks/sqlite.js';
import { shippedConfig } from '../helpers/config.js';
import { makeArticle } from '../helpers/factories.js';

const synonyms = buildSynonyms(shippedConfig().taxonomy);

// --- a receiver on 127.0.0.1 that records what it gets and answers as told

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
interface Receiver {
  origin: string;
  port: number;
  got: Received[];
  /** Answers for the next requests, in order; 200 once they run out. */
  answers: Answer[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const got: Received[] = [];
  const answers: Answer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method!, path: req.url!, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      const a = answers.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(a.status, a.headers).end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, got, answers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// --- the real stores, and a clock that only moves forward

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const names: DigestNames = {
  theme: (id) => ({ transport: 'Transport', culture: 'Culture' })[id] ?? id,
  source: (id) => ({ 'test-source': 'Test source' })[id] ?? id,
};
const transport = [{ id: 'transport', score: 3, terms: ['ferje'] }];
const culture = [{ id: 'culture', score: 3, terms: ['museum'] }];
const site = { name: 'Regionradar', url: 'https://radar.example.org/' };
const postOptions = (over: Partial<PostOptions> = {}): PostOptions => ({ allowPrivateHosts: ['127.0.0.1'], timeoutMs: 5_000, userAgent: 'Regionradar-test', ...over });

let receiver: Receiver;
let articles: ArticleStore;
let webhooks: WebhookStore;

beforeEach(async () => {
  receiver = await startReceiver();
  articles = createSqliteStore(':memory:', { synonyms });
  webhooks = createSqliteWebhookStore(':memory:');
});
afterEach(async () => {
  await receiver.close();
  await articles.close();
  await webhooks.close();
});

function runDeps(over: Partial<WebhookRunDeps> = {}, post: Partial<PostOptions> = {}): WebhookRunDeps {
  return {
    webhooks,
    articles,
    names,
    post: (w, p) => postWebhook(w, p, postOptions(post)),
    now: () => new Date(),
    owner: 'worker-1',
    leaseMs: 60_000,
    // The store stamps storedAt with the wall clock; the test writes, then waits, so no settling is needed.
    settleMs: 0,
    site,
    ...over,
  };
}

/** A webhook created now, then articles first stored after it (ingested as ingestion does). */
async function hookThenArticles(input: Omit<WebhookInput, 'filter'> & Partial<Pick<WebhookInput, 'filter'>>, fresh: Article[]): Promise<Webhook> {
  // stored before the webhook existed: never delivered
  await articles.ingestBatch([makeArticle({ title: 'Old ferje news', themes: transport })]);
  await tick();
  const hook = await webhooks.create({ filter: {}, ...input }, new Date().toISOString());
  await tick();
  await articles.ingestBatch(fresh);
  await tick();
  return hook;
}

const verified = (hook: Webhook, r: Received) => verifySignature(hook.secret, r.headers, r.raw, 300);

describe('delivery to a receiver', () => {
  it('posts a signed Slack body with the matching articles first stored since the webhook was created, once', async () => {
    const a = makeArticle({ title: 'Ny ferje til Bodø & Røst', themes: transport, summary: 'Ferjesambandet <utvides>.' });
    const b = makeArticle({ title: 'Ferjeprisene ned', themes: transport });
    const other = makeArticle({ title: 'Nytt museum', themes: culture });
    const hook = await hookThenArticles({ url: `${receiver.origin}/slack`, format: 'slack', filter: { themes: ['transport'] } }, [a, b, other]);

    const outcome = await deliverWebhook(runDeps(), hook.id);
    expect(outcome).toMatchObject({ kind: 'delivered', articles: 2, more: 0, from: hook.createdAt });
    expect(receiver.got).toHaveLength(1);
    const [req] = receiver.got;
    expect(req).toMatchObject({ method: 'POST', path: '/slack' });
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req!.headers['user-agent']).toBe('Regionradar-test');
    expect(verified(hook, req!)).toBe(true);
    expect(req!.headers[DELIVERY_HEADER.toLowerCase()]).toBe(deliveryId(hook.id, (outcome as { to: string }).to));

    const body = JSON.parse(req!.raw) as SlackMessage;
    expect(body.text).toMatch(/^2 new articles · Regionradar/);
    expect(body.blocks.map((x) => x.type)).toEqual(['header', 'section', 'section', 'context']);
    const sections = body.blocks.flatMap((x) => (x.type === 'section' ? [x.text.text] : []));
    // newest first; escaped; themes with the words that matched
    expect(sections[0]).toContain(`*<${b.url}|Ferjeprisene ned>*`);
    expect(sections[1]).toContain(`*<${a.url}|Ny ferje til Bodø &amp; Røst>*`);
    expect(sections[1]).toContain('Ferjesambandet &lt;utvides&gt;.');
    expect(sections[1]).toContain('_Themes:_ Transport (ferje)');
    expect(req!.raw).not.toContain('Old ferje news');
    expect(req!.raw).not.toContain('Nytt museum');

    // the window is done: nothing new, nothing posted
    const stored = await webhooks.get(hook.id);
    expect(stored).toMatchObject({ failures: 0, lastDeliveredUntil: (outcome as { to: string }).to, lastDeliveryAt: expect.any(String) });
    await tick();
    expect((await deliverWebhook(runDeps(), hook.id)).kind).toBe('empty');
    expect(receiver.got).toHaveLength(1);
  });

  it('posts a signed Teams message with an Adaptive Card', async () => {
    const a = makeArticle({ title: 'Ferje_rute [ny]', themes: transport });
    const hook = await hookThenArticles({ url: `${receiver.origin}/teams`, format: 'teams' }, [a]);

    expect(await deliverWebhook(runDeps(), hook.id)).toMatchObject({ kind: 'delivered', articles: 1 });
    const [req] = receiver.got;
    expect(verified(hook, req!)).toBe(true);
    const body = JSON.parse(req!.raw) as TeamsMessage;
    expect(body.type).toBe('message');
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0]!.content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.body[0]!.text).toBe('1 new article · Regionradar');
    expect(card.body[1]!.text).toBe(`**[Ferje\\_rute \\[ny\\]](${a.url})**`);
    expect(card.body.every((x) => x.type === 'TextBlock')).toBe(true);
  });

  it('a host name is resolved by the checked lookup and connected to at the address checked', async () => {
    const lookup: LookupAll = async () => [{ address: '127.0.0.1' }];
    const hook = await hookThenArticles({ url: `http://receiver.test:${receiver.port}/hook`, format: 'json' }, [makeArticle()]);
    expect((await deliverWebhook(runDeps({}, { lookup }), hook.id)).kind).toBe('delivered');
    expect(receiver.got[0]!.headers.host).toBe(`receiver.test:${receiver.port}`);
    expect(verified(hook, receiver.got[0]!)).toBe(true);
  });
});

describe('failures and retries', () => {
  it('a 500 fails the window; the retry delivers the same articles under the same delivery id, once', async () => {
    const [a, b] = [makeArticle({ themes: transport }), makeArticle({ themes: transport })];
    const hook = await hookThenArticles({ url: `${receiver.origin}/json`, format: 'json' }, [a!, b!]);
    receiver.answers.push({ status: 500, body: 'upstream broke' });

    const err = await deliverWebhook(runDeps(), hook.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err).toMatchObject({ retryable: true, status: 500 });
    expect((err as Error).message).toContain('upstream broke');
    // the URL's path (Slack's and Teams' credential) stays out of errors
    expect((err as Error).message).not.toContain('/json');
    const failed = await webhooks.get(hook.id);
    expect(failed).toMatchObject({ failures: 1, lastError: expect.stringContaining('500') });
    expect(failed!.lastDeliveredUntil).toBeUndefined();

    // stored after the failed attempt: belongs to the next window, not to the retry
    await tick();
    const c = makeArticle({ themes: transport });
    await articles.ingestBatch([c]);
    await tick();

    // the queue retries: same window, same articles, same delivery id
    const retried = await deliverWebhook(runDeps({ owner: 'worker-2' }), hook.id);
    expect(retried).toMatchObject({ kind: 'delivered', articles: 2 });
    expect(receiver.got).toHaveLength(2);
    const [first, second] = receiver.got.map((r) => JSON.parse(r.raw) as JsonMessage);
    expect(second!.articles.map((x) => x.id)).toEqual(first!.articles.map((x) => x.id));
    expect(new Set(second!.articles.map((x) => x.id))).toEqual(new Set([a!.id, b!.id]));
    expect(second).toMatchObject({ webhook: hook.id, from: hook.createdAt, to: first!.to });
    expect(receiver.got[1]!.headers[DELIVERY_HEADER.toLowerCase()]).toBe(receiver.got[0]!.headers[DELIVERY_HEADER.toLowerCase()]);
    expect(receiver.got.every((r) => verified(hook, r))).toBe(true);
    expect(await webhooks.get(hook.id)).toMatchObject({ failures: 0, lastDeliveredUntil: first!.to });

    // the next window carries only what came after
    const next = await deliverWebhook(runDeps(), hook.id);
    expect(next).toMatchObject({ kind: 'delivered', articles: 1, from: first!.to });
    const third = JSON.parse(receiver.got[2]!.raw) as JsonMessage;
    expect(third.articles.map((x) => x.id)).toEqual([c.id]);
    expect(receiver.got[2]!.headers[DELIVERY_HEADER.toLowerCase()]).not.toBe(receiver.got[0]!.headers[DELIVERY_HEADER.toLowerCase()]);
  });

  it.each([
    [429, { 'retry-after': '7' }, true, 7],
    [408, {}, true, undefined],
    [503, { 'retry-after': '120' }, true, 120],
    [404, {}, false, undefined],
    [410, {}, false, undefined],
    [400, {}, false, undefined],
    [302, { location: 'http://127.0.0.1:1/elsewhere' }, false, undefined],
  ] as const)('an answer %i is retryable: %s (Retry-After %s)', async (status, headers, retryable, retryAfter) => {
    const hook = await hookThenArticles({ url: `${receiver.origin}/x`, format: 'json' }, [makeArticle()]);
    receiver.answers.push({ status, headers: { ...headers } });
    const err = await deliverWebhook(runDeps(), hook.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err).toMatchObject({ status, retryable });
    expect((err as WebhookDeliveryError).retryAfter).toBe(retryAfter);
    expect(receiver.got).toHaveLength(1); // a redirect is not followed
    expect((await webhooks.get(hook.id))!.failures).toBe(1);
  });

  it('a network error is retryable', async () => {
    const hook = await hookThenArticles({ url: `${receiver.origin}/x`, format: 'json' }, [makeArticle()]);
    await receiver.close();
    const err = await deliverWebhook(runDeps(), hook.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err).toMatchObject({ retryable: true });
    receiver = await startReceiver(); // for afterEach
  });

  it('runDueWebhooks delivers every webhook; a failing one neither stops the others nor is hit again before its backoff', async () => {
    const good = await hookThenArticles({ url: `${receiver.origin}/good`, format: 'json' }, [makeArticle()]);
    const refused = await webhooks.create({ url: 'http://10.20.30.40/hook', filter: {}, format: 'json' }, good.createdAt);
    const results = await runDueWebhooks(runDeps());
    expect(results.find((r) => r.id === good.id)).toMatchObject({ ok: true, outcome: { kind: 'delivered' } });
    const bad = results.find((r) => r.id === refused.id);
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: unknown }).error).toBeInstanceOf(WebhookRefusedError);
    expect(receiver.got.map((r) => r.path)).toEqual(['/good']);
    // the next tick leaves the failing webhook alone until its backoff has passed
    const again = await runDueWebhooks(runDeps());
    expect(again.find((r) => r.id === refused.id)).toMatchObject({ ok: true, outcome: { kind: 'backoff' } });
    const later = await runDueWebhooks(runDeps({ now: () => new Date(Date.now() + 3_600_000) }));
    expect(later.find((r) => r.id === refused.id)).toMatchObject({ ok: false });
    expect((await webhooks.get(refused.id))!.failures).toBe(2);
  });
});

describe('private addresses are refused at delivery unless allow-listed', () => {
  it.each([
    ['loopback, not allow-listed', (r: Receiver) => `${r.origin}/x`, [] as string[]],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', ['127.0.0.1']],
    ['private network', () => 'http://10.0.0.1/hook', ['127.0.0.1']],
  ])('%s', async (_what, url, allowPrivateHosts) => {
    const hook = await hookThenArticles({ url: url(receiver), format: 'json' }, [makeArticle()]);
    const err = await deliverWebhook(runDeps({}, { allowPrivateHosts }), hook.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookRefusedError);
    expect(err).toMatchObject({ retryable: false });
    expect(receiver.got).toHaveLength(0);
    expect(await webhooks.get(hook.id)).toMatchObject({ failures: 1, lastError: expect.stringContaining('private') });
  });

  it('a host whose DNS answer turned private since creation', async () => {
    const lookup: LookupAll = async () => [{ address: '93.184.215.14' }, { address: '10.0.0.7' }];
    const hook = await hookThenArticles({ url: `http://hooks.example.org:${receiver.port}/x`, format: 'json' }, [makeArticle()]);
    const err = await deliverWebhook(runDeps({}, { lookup }), hook.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookRefusedError);
    expect((err as Error).message).toContain('resolves to 10.0.0.7');
    expect(receiver.got).toHaveLength(0);
  });
});

describe('admin routes', () => {
  const dns: Record<string, string[]> = { 'hooks.example.org': ['93.184.215.14'], 'intranet.example.org': ['10.1.1.1'] };
  const lookup: LookupAll = async (host) => {
    const found = dns[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address }));
  };
  let app: Hono;
  beforeEach(() => {
    app = new Hono();
    app.route('/api/admin/webhooks', webhookRoutes({ webhooks, checkUrl: (url) => checkPublicUrl(url, { allowPrivateHosts: [], lookup }) }));
    app.onError((err, c) => problemResponse(c, toProblem(err)));
  });
  const send = (method: string, path: string, body?: unknown) =>
    app.request(`/api/admin/webhooks${path}`, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  const valid = { url: 'https://hooks.example.org/services/T1/B2/abc', format: 'slack', filter: { themes: ['transport'] }, description: 'Transport channel' };

  it('creates (201 with the secret), gets, lists, replaces and deletes', async () => {
    const res = await send('POST', '', valid);
    expect(res.status).toBe(201);
    const created = (await res.json()) as Webhook;
    expect(created).toMatchObject({ ...valid, failures: 0, secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(res.headers.get('location')).toBe(`/api/admin/webhooks/${created.id}`);

    expect(await (await send('GET', `/${created.id}`)).json()).toEqual(created);
    expect(await (await send('GET', '')).json()).toEqual({ items: [created] });

    const put = await send('PUT', `/${created.id}`, { url: 'https://hooks.example.org/other', format: 'teams' });
    expect(put.status).toBe(200);
    const replaced = (await put.json()) as Webhook;
    expect(replaced).toMatchObject({ id: created.id, url: 'https://hooks.example.org/other', format: 'teams', filter: {}, secret: created.secret });
    expect(replaced.description).toBeUndefined();

    expect((await send('DELETE', `/${created.id}`)).status).toBe(204);
    expect((await send('GET', `/${created.id}`)).status).toBe(404);
  });

  it('unknown ids are 404 problems', async () => {
    for (const [method, body] of [['GET'], ['PUT', valid], ['DELETE']] as const) {
      const res = await send(method, '/AAAAAAAAAAAAAAAAAAAAAA', body);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook', 'host 127.0.0.1 is a private'],
    ['private network', 'http://10.0.0.1/hook', 'host 10.0.0.1 is a private'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'host 169.254.169.254 is a private'],
    ['a name resolving to a private address', 'https://intranet.example.org/hook', 'resolves to 10.1.1.1'],
    ['a name that does not resolve', 'https://nowhere.example.org/hook', 'does not resolve'],
  ])('refuses %s at creation: 400 naming the URL and why', async (_what, url, reason) => {
    const res = await send('POST', '', { ...valid, url });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { parameter: string; detail: string };
    expect(problem.parameter).toBe('body.url');
    expect(problem.detail).toContain(reason);
    expect(await webhooks.list()).toEqual([]);
  });

  it('refuses a private URL on replace too', async () => {
    const created = (await (await send('POST', '', valid)).json()) as Webhook;
    const res = await send('PUT', `/${created.id}`, { ...valid, url: 'http://169.254.169.254/' });
    expect(res.status).toBe(400);
    expect((await webhooks.get(created.id))!.url).toBe(valid.url);
  });

  it('allows a private host the operator allow-listed', async () => {
    const allowing = new Hono();
    allowing.route('/', webhookRoutes({ webhooks, checkUrl: (url) => checkPublicUrl(url, { allowPrivateHosts: ['127.0.0.1'], lookup }) }));
    const res = await allowing.request('/', { method: 'POST', body: JSON.stringify({ ...valid, url: `${receiver.origin}/hook` }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
  });

  it.each([
    ['a scheme other than http(s)', { ...valid, url: 'ftp://hooks.example.org/x' }, 'body.url'],
    ['not a URL', { ...valid, url: 'hooks' }, 'body.url'],
    ['an unknown format', { ...valid, format: 'discord' }, 'body.format'],
    ['no format', { url: valid.url }, 'body.format'],
    ['a bad filter value', { ...valid, filter: { regions: ['Nordland'] } }, 'body.filter.regions.0'],
    ['an unknown field', { ...valid, secret: 'mine' }, 'body'],
    ['a body that is not JSON', 'url=x', 'body'],
  ])('400 naming the field for %s', async (_what, body, parameter) => {
    const res = await send('POST', '', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { parameter: string }).parameter).toBe(parameter);
  });
});
