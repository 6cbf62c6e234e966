import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, outboxDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { digestDeps, digestJobId, queueDueDigests } from '../../src/digests/service.js';
import { sendDigest } from '../../src/digests/run.js';
import { periodAtOrAfter } from '../../src/digests/schedule.js';
import { t } from '../../src/i18n/index.js';
import type { Article } from '../../src/model/article.js';
import { shippedConfig } from '../helpers/config.js';
import { htmlErrors } from '../helpers/email-html.js';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { verifySignature } from '../../src/webhooks/sign.js';
import { exited, freePort, ROOT } from '../helpers/processes.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { seedArticles } from '../helpers/seed-articles.js';
import { startInbox, type Inbox } from '../helpers/smtp.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'test-secret-key-that-is-long-enough-0123456789';
const S3 = 'smart-specialisation';

let inbox: Inbox;
let deps: Deps;
let running: Running;
let base: string;
let env: Record<string, string>;
let seeds: Map<string, Article>;

beforeAll(async () => {
  inbox = await startInbox();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-digests-')),
    QUEUE_PREFIX: uniquePrefix('digests'),
    REDIS_URL,
    PORT: String(port),
    PUBLIC_URL: base,
    SECRET_KEY: SECRET,
    SMTP_URL: inbox.url,
    MAIL_FROM: 'Regionradar <digest@radar.test>',
    DIGEST_SETTLE_MS: '0',
    DIGEST_LEASE_MS: '1500',
    JOB_LOCK_MS: '5000',
    ADMIN_TOKEN: 'admin-token-for-the-digest-tests',
    ALLOW_PRIVATE_HOSTS: '127.0.0.1',
  };
  const config = shippedConfig(env);
  seeds = seedArticles(config);
  deps = await createDeps(config);
  running = await startServices(deps, { api: true, outbox: true });
});

afterAll(async () => {
  await running?.close();
  await inbox?.close();
  await clearPrefix(env.QUEUE_PREFIX!);
});

const subscribe = (body: object) => fetch(`${base}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const urlIn = (m: ParsedMail, path: string) => new RegExp(`${base.replace(/[.]/g, '\\.')}${path}\\?token=[A-Za-z0-9_%.-]+`).exec(m.text ?? '')?.[0];
/** A header as sent, unfolded (mailparser turns List-* headers into structures). */
const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
const subOf = async (email: string) => (await deps.subscriptions.findByEmail(email))[0]!;

/** Subscribes through the API, follows the confirmation e-mail's link and confirms with the page's button. */
async function subscribeAndConfirm(body: { email: string } & Record<string, unknown>) {
  expect((await subscribe(body)).status).toBe(202);
  const confirmation = await inbox.waitFor((m) => m.subject !== undefined && inbox.to(body.email).includes(m));
  const link = urlIn(confirmation, '/subscriptions/confirm');
  expect(link).toBeDefined();
  const page = await fetch(link!);
  expect(page.status).toBe(200);
  const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(token).toBeDefined();
  const done = await fetch(`${base}/subscriptions/confirm`, { method: 'POST', body: new URLSearchParams({ token: token! }) });
  expect(done.status).toBe(200);
  const sub = await subOf(body.email);
  expect(sub.status).toBe('active');
  return sub;
}

/** Queues the digests due at `at` through the scheduler's tick and waits until each address has `count` messages. */
async function tick(at: number, expected: Record<string, number>) {
  await queueDueDigests(deps.subscriptions, deps.queues.digests, at);
  await waitFor(`digests ${JSON.stringify(expected)}`, async () => Object.entries(expected).every(([email, n]) => inbox.to(email).length >= n));
}

describe('digests end to end (API, queue, outbox worker, SMTP)', () => {
  it('subscribe → confirmation → confirm → a digest of the right seeds by theme, in nynorsk and Swedish; one-click unsubscribe stops them', async () => {
    // Nothing but the confirmation goes out before the address is confirmed.
    expect((await subscribe({ email: 'pending@example.no', filter: { themes: [S3] } })).status).toBe(202);
    const pendingConfirmation = await inbox.waitFor((m) => inbox.to('pending@example.no').includes(m));
    expect(pendingConfirmation.text).toContain('/subscriptions/confirm?token=');

    const nn = await subscribeAndConfirm({ email: 'nn@example.no', filter: { themes: [S3] }, frequency: 'weekly', sendAt: { weekday: 1, hour: 7 }, locale: 'nn' });
    await subscribeAndConfirm({ email: 'sv@example.se', filter: { themes: [S3] }, frequency: 'daily', sendAt: { hour: 6 }, timeZone: 'Europe/Stockholm', locale: 'sv' });

    // Stored after confirming: the five seeds, and seed 000 relayed by a second source (one story, two sources).
    await deps.store.ingestBatch([...seeds.values()]);
    await deps.store.ingestBatch([{ ...seeds.get('000')!, sourceId: 'reglab-nyheter', fromPublisher: false, fetchedAt: new Date().toISOString() }]);
    const later = Date.now() + 8 * 86_400_000;
    await tick(later, { 'nn@example.no': 2, 'sv@example.se': 2 });
    const digest = inbox.to('nn@example.no')[1]!;
    const after = await subOf('nn@example.no');
    const key = (await deps.subscriptions.ledger(nn.id, 1))[0]!.period;
    // One job per subscriber and period, under the id the scheduler gives it.
    expect(await deps.queues.digests.getJob(digestJobId(nn.id, key))).toBeDefined();
    expect(digest.messageId).toBe(`<digest.${nn.id}.${key}@radar.test>`);
    expect(digest.date).toBeInstanceOf(Date);
    expect(header(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = /^<(.+)>$/.exec(header(digest, 'list-unsubscribe') ?? '')?.[1];
    expect(unsubscribe).toMatch(new RegExp(`^${base}/subscriptions/unsubscribe\\?token=`));
    expect(digest.text && digest.html).toBeTruthy();
    // The seeds of the theme, and only they; the relayed story once, with both sources named.
    for (const n of ['000', '001', '004']) expect(digest.text).toContain(seeds.get(n)!.url);
    for (const n of ['002', '003']) expect(digest.text).not.toContain(seeds.get(n)!.url);
    expect(digest.text!.split(seeds.get('000')!.url).length - 1).toBe(1);
    const sourceNames = new Map((await deps.catalogue.list()).map((s) => [s.id, s.name]));
    for (const id of ['regjeringen-kdd', 'reglab-nyheter']) expect(digest.text).toContain(sourceNames.get(id));
    // Headings and theme names in the subscriber's language.
    const themeNn = deps.config.taxonomy.themes.find((th) => th.id === S3)!.labels;
    expect(digest.html).toContain(t('nn', 'mail.heading.weekly'));
    expect(digest.html).toContain(themeNn.nn);
    expect(digest.html).not.toContain(t('en', 'mail.heading.weekly'));
    const swedish = inbox.to('sv@example.se')[1]!;
    expect(swedish.html).toContain(t('sv', 'mail.heading.daily'));
    expect(swedish.html).toContain(themeNn.sv);
    expect(swedish.html).not.toContain(t('en', 'mail.heading.daily'));
    // The HTML part as it arrived: valid, no script, no external stylesheet, images with alt.
    expect(await htmlErrors(String(digest.html))).toEqual([]);
    expect(String(digest.html)).not.toMatch(/<script|<link|@import/i);
    for (const img of String(digest.html).match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/\balt=/);
    expect(after.lastPeriodAt).toBeDefined();

    // One-click unsubscribe (RFC 8058): the mail client's POST.
    const r = await fetch(unsubscribe!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(r.status).toBe(200);
    expect(await deps.subscriptions.get(nn.id)).toBeUndefined();
    // A new article of the theme: the Swedish subscriber gets it, the unsubscribed one nothing more.
    await deps.store.ingestBatch([{ ...seeds.get('004')!, id: 'NEWNEWNEWNEWNEWNEWNEW1', url: 'https://www.regjeringen.no/seeds/new', contentHash: 'new' }]);
    await tick(later + 2 * 86_400_000, { 'sv@example.se': 3 });
    expect(inbox.to('nn@example.no')).toHaveLength(2);
    expect(inbox.to('sv@example.se')[2]!.text).toContain('https://www.regjeringen.no/seeds/new');
    expect(inbox.to('pending@example.no')).toHaveLength(1);
  });

  it('sends each period once when the same period runs twice at once, and nothing for a period with nothing new', async () => {
    const sub = await subscribeAndConfirm({ email: 'twice@example.no', filter: { themes: [S3] }, locale: 'nb' });
    await deps.store.ingestBatch([{ ...seeds.get('001')!, id: 'TWICETWICETWICETWICE01', url: 'https://www.regjeringen.no/seeds/twice', contentHash: 'twice' }]);
    const outbox = outboxDeps(deps)!;
    const [a, b] = await Promise.all([digestDeps(outbox), digestDeps(outbox)]);
    const period = periodAtOrAfter(sub, Date.now());
    const before = inbox.to('twice@example.no').length;
    const results = await Promise.all([sendDigest({ ...a, owner: 'worker-a' }, sub.id, period), sendDigest({ ...b, owner: 'worker-b' }, sub.id, period)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['busy', 'sent']);
    expect((await Promise.all([sendDigest(a, sub.id, period), sendDigest(b, sub.id, period)])).map((r) => r.kind)).toEqual(['done', 'done']);
    // Two schedulers queueing the same period make one job.
    await deps.queues.digests.addBulk([1, 2].map(() => ({ name: 'send-digest', data: { subscriptionId: sub.id, period }, opts: { jobId: digestJobId(sub.id, period.key) } })));
    await waitFor('the queued duplicate to finish', async () => (await deps.queues.digests.getJob(digestJobId(sub.id, period.key)))?.finishedOn !== undefined);
    expect(inbox.to('twice@example.no').length - before).toBe(1);
    // The next period with nothing first stored since: nothing sent.
    const next = periodAtOrAfter(sub, Date.parse(period.at) + 60_000);
    expect(await sendDigest(a, sub.id, next)).toEqual({ kind: 'empty' });
    expect(inbox.to('twice@example.no').length - before).toBe(1);
  });

  it('retries a digest the SMTP server refused for now, and sends it once when accepted; bounces pause the subscription after three', async () => {
    const sub = await subscribeAndConfirm({ email: 'retry@example.no', filter: { themes: [S3] }, locale: 'en' });
    await deps.store.ingestBatch([{ ...seeds.get('004')!, id: 'RETRYRETRYRETRYRETRY01', url: 'https://www.regjeringen.no/seeds/retry', contentHash: 'retry' }]);
    const period = periodAtOrAfter(sub, Date.now());
    inbox.refuseNext({ code: 451, message: '4.3.0 Try again later' }, 2);
    await deps.queues.digests.add('send-digest', { subscriptionId: sub.id, period }, { jobId: digestJobId(sub.id, period.key), attempts: 5, backoff: { type: 'capped' } });
    await inbox.waitFor((m) => inbox.to('retry@example.no').includes(m) && String(m.messageId).includes(period.key), 30_000);
    const job = await deps.queues.digests.getJob(digestJobId(sub.id, period.key));
    await waitFor('the digest job to complete', async () => (await job!.getState()) === 'completed');
    expect((await deps.queues.digests.getJob(digestJobId(sub.id, period.key)))!.attemptsMade).toBe(3);
    expect(inbox.to('retry@example.no').filter((m) => String(m.messageId).includes(period.key))).toHaveLength(1);
    expect((await deps.subscriptions.ledger(sub.id, 1))[0]).toMatchObject({ period: period.key, state: 'sent' });

    // Refused for good (550 at RCPT TO): recorded, not retried; the third in a row pauses, with the reason on the manage page.
    inbox.refuseRecipient('retry@example.no', { code: 550, message: '5.1.1 No such user' });
    const d = await digestDeps(outboxDeps(deps)!);
    let at = Date.parse(period.at);
    for (let i = 0; i < 3; i++) {
      await deps.store.ingestBatch([{ ...seeds.get('004')!, id: `BOUNCEBOUNCEBOUNCEBOU${i}`, url: `https://www.regjeringen.no/seeds/bounce${i}`, contentHash: `b${i}` }]);
      at += 7 * 86_400_000;
      const r = await sendDigest(d, sub.id, periodAtOrAfter(sub, at));
      expect(r.kind).toBe('bounced');
    }
    const paused = (await deps.subscriptions.get(sub.id))!;
    expect(paused).toMatchObject({ status: 'paused', bounces: 3 });
    const manage = await fetch(d.links.manage(paused));
    expect(await manage.text()).toContain('5.1.1 No such user');
  });

  it('does not send again a digest whose sender was SIGKILLed between SMTP accepting it and recording it', async () => {
    const sub = await subscribeAndConfirm({ email: 'crash@example.no', filter: { themes: [S3] }, locale: 'nb' });
    await deps.store.ingestBatch([{ ...seeds.get('000')!, id: 'CRASHCRASHCRASHCRASH01', url: 'https://www.regjeringen.no/seeds/crash', contentHash: 'crash' }]);
    const cli = join(ROOT, 'dist', 'src', 'cli.js');
    const childEnv = { ...env, LOG_LEVEL: 'silent' };
    const run = () => spawn(process.execPath, [cli, 'digests', 'run', '--now', '--frequency', 'weekly'], { cwd: ROOT, env: { ...process.env, ...childEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The server has the whole message; the sender dies before it reads the 250 and records it.
    const child = run();
    inbox.beforeAccept = (m) => {
      if ((m.to as { text: string }).text.includes('crash@example.no')) child.kill('SIGKILL');
    };
    expect(await exited(child)).toBe('SIGKILL');
    inbox.beforeAccept = undefined;
    expect(inbox.to('crash@example.no').filter((m) => m.messageId?.startsWith('<digest.'))).toHaveLength(1);
    expect((await deps.subscriptions.ledger(sub.id, 1))[0]!.state).toBe('sending');

    // Run again once the dead sender's lease is over: recorded as uncertain, not sent a second time.
    await new Promise((r) => setTimeout(r, 1_600));
    const rerun = run();
    let output = '';
    rerun.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    rerun.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    expect(await exited(rerun)).toBe(0);
    expect(output).toMatch(/\b1 uncertain\b/);
    expect(inbox.to('crash@example.no').filter((m) => m.messageId?.startsWith('<digest.'))).toHaveLength(1);
    expect((await deps.subscriptions.ledger(sub.id, 1))[0]!.state).toBe('uncertain');

    // The next period carries what is new since, once.
    await deps.store.ingestBatch([{ ...seeds.get('001')!, id: 'AFTERCRASHAFTERCRASH01', url: 'https://www.regjeringen.no/seeds/after-crash', contentHash: 'after' }]);
    const next = periodAtOrAfter(sub, Date.parse((await deps.subscriptions.get(sub.id))!.lastPeriodAt!) + 60_000);
    expect((await sendDigest(await digestDeps(outboxDeps(deps)!), sub.id, next)).kind).toBe('sent');
    const digests = inbox.to('crash@example.no').filter((m) => m.messageId?.startsWith('<digest.'));
    expect(digests).toHaveLength(2);
    expect(digests[1]!.text).toContain('https://www.regjeringen.no/seeds/after-crash');
    expect(digests[1]!.text).not.toContain('https://www.regjeringen.no/seeds/crash');
  });
});

describe('alerts', () => {
  it('sends an instant subscriber the new matching articles of each five minutes, once', async () => {
    await subscribeAndConfirm({ email: 'alert@example.no', filter: { themes: [S3], languages: ['swe'] }, frequency: 'instant', locale: 'en' });
    await deps.store.ingestBatch([
      { ...seeds.get('004')!, id: 'ALERTALERTALERTALERT01', url: 'https://www.regjeringen.no/seeds/alert', contentHash: 'alert' },
      { ...seeds.get('000')!, id: 'ALERTALERTALERTALERT02', url: 'https://www.regjeringen.no/seeds/alert-nn', contentHash: 'alert-nn' },
    ]);
    const inFive = Date.now() + 5 * 60_000;
    await tick(inFive, { 'alert@example.no': 2 });
    const alert = inbox.to('alert@example.no')[1]!;
    expect(alert.subject).toBe(t('en', 'mail.subject.instant', { count: 1 }));
    expect(alert.text).toContain('https://www.regjeringen.no/seeds/alert');
    expect(alert.text).not.toContain('https://www.regjeringen.no/seeds/alert-nn');
    expect(alert.messageId).toMatch(/^<digest\.[A-Za-z0-9_-]{22}\.i\d{8}T\d{4}Z@radar\.test>$/);
    // The same five minutes queued again by another tick: nothing more.
    await queueDueDigests(deps.subscriptions, deps.queues.digests, inFive + 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(inbox.to('alert@example.no')).toHaveLength(2);
  });
});

describe('webhooks through the app', () => {
  it('refuses a webhook at a private address not allow-listed, and the outbox tick posts new articles to an allow-listed receiver, signed', async () => {
    const admin = (method: string, path: string, body?: object) =>
      fetch(`${base}/api/admin/webhooks${path}`, { method, headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    for (const url of ['http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:8080/hook']) {
      const refused = await admin('POST', '', { url, format: 'slack' });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { parameter: string }).parameter).toBe('body.url');
    }
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      const created = await admin('POST', '', { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/slack`, format: 'slack', filter: { themes: [S3] } });
      expect(created.status).toBe(201);
      const hook = (await created.json()) as { id: string; secret: string };
      // A new article on the seed's theme, not a copy of it (a near-copy of a stored article is folded into it, never posted anew).
      const text = 'Innlandet fylkeskommune lanserer 14. mars 2026 et program for smart spesialisering i trebransjen, med 12 millioner kroner til klynger i Gjøvik og Elverum.';
      await deps.store.ingestBatch([{ ...seeds.get('004')!, id: 'WEBHOOKWEBHOOKWEBHOOK1', url: 'https://www.regjeringen.no/seeds/webhook', contentHash: 'hook', title: 'Smart spesialisering i trebransjen i Innlandet', summary: text, contentText: text, contentHtml: `<p>${text}</p>` }]);
      // An inbox message the operator decided on long ago is pruned by the same tick; a new one stays.
      const old = { messageId: 'old@x', receivedAt: '2026-01-01T00:00:00.000Z', arrival: { via: 'smtp' as const }, from: 'a@x.example', subject: 'Old', reason: 'test', size: 1, raw: Buffer.from('x') };
      await deps.inbox.put({ ...old, id: 'old-dismissed', status: 'dismissed' });
      await deps.inbox.put({ ...old, id: 'old-new', messageId: 'new@x', status: 'new' });
      await deps.queues.digests.add('outbox-tick', {});
      await waitFor('the webhook delivery', async () => received.length > 0);
      await waitFor('the inbox pruned', async () => !(await deps.inbox.get('old-dismissed')));
      expect(await deps.inbox.get('old-new')).toMatchObject({ status: 'new' });
      const [delivery] = received;
      expect(verifySignature(hook.secret, delivery!.headers, delivery!.body)).toBe(true);
      expect(verifySignature('another-secret', delivery!.headers, delivery!.body)).toBe(false);
      const slack = JSON.parse(delivery!.body) as { text: string; blocks: unknown[] };
      expect(JSON.stringify(slack.blocks)).toContain('https://www.regjeringen.no/seeds/webhook');
      expect((await (await admin('GET', `/${hook.id}`)).json()) as object).toMatchObject({ failures: 0 });
    } finally {
      receiver.close();
    }
  });
});
