import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { dkimSign } from 'mailauth';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/observability/log.js';
import { startServices, receiveDepsFor, type Running } from '../../src/runtime.js';
import { startInboundSmtp } from '../../src/newsletters/smtp.js';
import { canonicalUrl } from '../../src/pipeline/normalize/url.js';
import { createStaticCatalogue } from '../../src/sources/catalogue.js';
import { sourceSchema, type Source } from '../../src/sources/schema.js';
import { shippedConfig } from '../helpers/config.js';
import { zoneResolver } from '../helpers/dns-zone.js';
import { composeNewsletter, loadNewsletters, newsletter, publishedWebVersion } from '../helpers/newsletters.js';
import { freePort } from '../helpers/processes.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const DOMAIN = 'in.radar.test';
const ADMIN = 'admin-token-for-the-newsletter-tests';
const FIXTURES = loadNewsletters();
const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).toLowerCase();

// A signed sender: its DKIM key, SPF and DMARC records live in the test's own DNS zone.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SIGNED_DOMAIN = 'signed-news.example';
const zone = zoneResolver({
  [SIGNED_DOMAIN]: { TXT: ['v=spf1 ip4:127.0.0.1 -all'] },
  [`rr._domainkey.${SIGNED_DOMAIN}`]: { TXT: [`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`] },
  [`_dmarc.${SIGNED_DOMAIN}`]: { TXT: ['v=DMARC1; p=reject'] },
});

const source = (id: string, newsletterBlock: Record<string, unknown>, over: Record<string, unknown> = {}): Source =>
  sourceSchema.parse({ id, name: id, kind: 'newsletter', url: 'https://example.org/subscribe', country: 'NO', newsletter: newsletterBlock, ...over });
const SOURCES = [
  ...FIXTURES.map((f) => source(f.name, { token: f.name, from: [addressOf(f.from)] }, { language: f.language })),
  source('signed', { token: 'signed', from: [`@${SIGNED_DOMAIN}`], requireAuth: true }),
];

const logs: string[] = [];
let deps: Deps;
let running: Running;
let base: string;
let prefix: string;
let transport: ReturnType<typeof createTransport>;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  prefix = uniquePrefix('newsletters');
  const config = shippedConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-newsletters-')),
    QUEUE_PREFIX: prefix,
    REDIS_URL,
    PORT: String(port),
    PUBLIC_URL: base,
    ADMIN_TOKEN: ADMIN,
    INBOUND_SMTP_PORT: '0',
    INBOUND_DOMAIN: DOMAIN,
    INBOUND_MAX_BYTES: String(25 * 1024 * 1024),
  });
  const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => void (logs.push(String(chunk)), done()) }) as never);
  deps = await createDeps(config, { catalogue: createStaticCatalogue([...config.sources, ...SOURCES]), mailResolver: zone, log });
  running = await startServices(deps, { api: true, enrich: true, inbound: true });
  transport = createTransport({ host: '127.0.0.1', port: running.smtpPort!, secure: false, ignoreTLS: true });
});

afterAll(async () => {
  transport?.close();
  await running?.close();
  await clearPrefix(prefix);
});

const send = (raw: Buffer, from: string, to: string) => transport.sendMail({ envelope: { from, to: [to] }, raw });
const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items: Array<Record<string, unknown>> } };
};
const articlesOf = async (sourceId: string) => (await api(`/api/articles?source=${sourceId}&limit=100`)).body.items;
const deliver = async (name: string, opts: { messageId?: string } = {}) => {
  const f = newsletter(name);
  const to = `${name}@${DOMAIN}`;
  return send(await composeNewsletter(f, { to, ...opts }), addressOf(f.from), to);
};

describe('newsletters delivered to the inbound SMTP listener', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s: published with language, themes and its web-version link, without tracking', async (name, f) => {
    const info = await deliver(name);
    expect(info.response).toMatch(/^250 /);
    const expected = 1 + f.stories.length;
    const items = await waitFor(`${name}'s articles`, async () => {
      const got = await articlesOf(name);
      return got.length >= expected && got;
    });
    expect(items).toHaveLength(expected);
    const issue = items.find((a) => a.url === canonicalUrl(publishedWebVersion(f)))!;
    expect(issue, `the issue under its web version ${f.webVersionUrl}`).toBeDefined();
    expect(issue).toMatchObject({ title: f.subject, language: f.language, publishedAt: new Date(f.date).toISOString(), mailAuth: { spf: expect.any(String), dkim: 'none', dmarc: expect.any(String) } });
    const themes = (issue.themes as Array<{ id: string }>).map((t) => t.id);
    expect(themes.filter((t) => f.themes.includes(t)).length, `themes ${themes} vs labelled ${f.themes}`).toBeGreaterThan(0);
    const full = (await api(`/api/articles/${issue.id}`)).body;
    expect(full.contentHtml).not.toContain(f.trackingPixel.split('?')[0]);
    expect(full.contentHtml).not.toMatch(/utm_source|mc_eid|ml_subscriber/);
    for (const word of f.wordsOnlyInBody) expect(full.contentHtml).toContain(word);
    expect(items.map((a) => a.url).sort()).toEqual([canonicalUrl(publishedWebVersion(f)), ...f.stories.map((s) => canonicalUrl(s.url))].sort());
  });

  it('the same message delivered twice is stored once', async () => {
    const before = await deps.store.count();
    const info = await deliver('mailchimp-nb');
    expect(info.response).toMatch(/^250 /);
    // Nothing new is queued: the issue's id and content hash are those already stored.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await deps.store.count()).toBe(before);
    expect(await articlesOf('mailchimp-nb')).toHaveLength(1);
  });

  it('answers 550 to an address that is no newsletter source', async () => {
    const f = newsletter('mailerlite-en');
    const err = await send(await composeNewsletter(f, { to: `nobody@${DOMAIN}` }), addressOf(f.from), `nobody@${DOMAIN}`).catch((e) => e);
    expect(err).toMatchObject({ responseCode: 550 });
    expect(String(err.response)).toContain('no such newsletter address');
  });

  it('answers 552 to a 30 MB message and keeps nothing of it', async () => {
    const f = newsletter('mailerlite-en');
    const big = await composeNewsletter({ ...f, html: `${f.html}<p>${'x'.repeat(30 * 1024 * 1024)}</p>` }, { to: `mailerlite-en@${DOMAIN}`, messageId: '<huge@example.org>' });
    const before = await deps.store.count();
    const err = await send(big, addressOf(f.from), `mailerlite-en@${DOMAIN}`).catch((e) => e);
    expect(err).toMatchObject({ responseCode: 552 });
    expect(await deps.store.count()).toBe(before);
  });

  it('refuses malformed MIME with 550, stores nothing and logs why', async () => {
    const before = await deps.store.count();
    const raw = Buffer.from('Subject: broken\r\nContent-Type: multipart/alternative\r\n\r\n--zzz\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--zzz--\r\n');
    const err = await send(raw, 'someone@example.org', `apsis-sv@${DOMAIN}`).catch((e) => e);
    expect(err).toMatchObject({ responseCode: 550 });
    expect(String(err.response)).toMatch(/malformed message: no From address/);
    expect(await deps.store.count()).toBe(before);
    expect(logs.some((l) => l.includes('inbound SMTP: message refused') && l.includes('no From address'))).toBe(true);
  });

  it('a source the operator paused takes no mail: it waits in the inbox until assigned', async () => {
    expect((await api('/api/admin/sources/mailerlite-nb-bundle/pause', { method: 'POST', body: JSON.stringify({ reason: 'lista byter plattform' }) })).status).toBe(200);
    try {
      const info = await deliver('mailerlite-nb-bundle', { messageId: '<paused-1@example.org>' });
      expect(info.response).toMatch(/operator/);
      const kept = (await api('/api/admin/inbox?status=new')).body.items.find((m) => m.messageId === 'paused-1@example.org');
      expect(kept).toMatchObject({ reason: 'mailerlite-nb-bundle is paused (lista byter plattform): its mail waits here' });
    } finally {
      expect((await api('/api/admin/sources/mailerlite-nb-bundle/resume', { method: 'POST' })).body).toEqual({ id: 'mailerlite-nb-bundle', status: 'resumed' });
    }
  });

  it('offers STARTTLS when a certificate is configured, and takes mail over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-inbound-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=in.radar.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const tls = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
    const secured = await startInboundSmtp(receiveDepsFor(deps), { port: 0, host: '127.0.0.1', domain: DOMAIN, maxBytes: 5_000_000, ratePerMinute: 100, tls });
    const f = newsletter('apsis-sv');
    const to = `apsis-sv@${DOMAIN}`;
    const raw = await composeNewsletter(f, { to, messageId: '<tls-1@example.org>' });
    try {
      // The self-signed certificate is not what is tested: that the session is encrypted is.
      const t = createTransport({ host: '127.0.0.1', port: secured.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      expect((await t.sendMail({ envelope: { from: addressOf(f.from), to: [to] }, raw })).response).toMatch(/^250 /);
      t.close();
      // The main listener has no certificate: a client that insists on TLS is refused.
      const plain = createTransport({ host: '127.0.0.1', port: running.smtpPort!, secure: false, requireTLS: true });
      await expect(plain.sendMail({ envelope: { from: addressOf(f.from), to: [to] }, raw })).rejects.toThrow(/STARTTLS/);
      plain.close();
    } finally {
      await secured.close();
    }
  });

  it('rate-limits a client: past its messages per minute it is told to come back later (450)', async () => {
    const limited = await startInboundSmtp(receiveDepsFor(deps), { port: 0, host: '127.0.0.1', domain: DOMAIN, maxBytes: 1_000_000, ratePerMinute: 2 });
    const t = createTransport({ host: '127.0.0.1', port: limited.port, secure: false, ignoreTLS: true });
    try {
      const f = newsletter('apsis-sv');
      const to = `apsis-sv@${DOMAIN}`;
      const raw = await composeNewsletter(f, { to });
      await t.sendMail({ envelope: { from: addressOf(f.from), to: [to] }, raw });
      await t.sendMail({ envelope: { from: addressOf(f.from), to: [to] }, raw });
      await expect(t.sendMail({ envelope: { from: addressOf(f.from), to: [to] }, raw })).rejects.toMatchObject({ responseCode: 450 });
    } finally {
      t.close();
      await limited.close();
    }
  });
});

describe("the operator's inbox", () => {
  it('keeps mail from an unknown sender unpublished; assigning it to the source publishes it', async () => {
    const f = newsletter('mailerlite-en');
    const to = `mailerlite-en@${DOMAIN}`;
    const raw = await composeNewsletter(f, { to, from: 'MailerLite <confirm@mailerlite.example>', messageId: '<confirm-1@mailerlite.example>' });
    const before = (await articlesOf('mailerlite-en')).length;
    expect((await send(raw, 'confirm@mailerlite.example', to)).response).toMatch(/^250 .*operator/);
    const listed = await api('/api/admin/inbox?status=new');
    const entry = listed.body.items.find((m) => m.messageId === 'confirm-1@mailerlite.example')!;
    expect(entry).toMatchObject({ from: 'confirm@mailerlite.example', subject: f.subject, status: 'new', reason: expect.stringContaining('not among its senders') });
    const read = await api(`/api/admin/inbox/${entry.id}`);
    expect(read.body.links).toContainEqual(expect.objectContaining({ url: expect.stringMatching(/^https:\/\//) }));
    await new Promise((r) => setTimeout(r, 500));
    expect(await articlesOf('mailerlite-en')).toHaveLength(before);

    expect((await api(`/api/admin/inbox/${entry.id}/assign`, { method: 'POST', body: JSON.stringify({ sourceId: 'nordregio-news' }) })).status).toBe(400);
    const assigned = await api(`/api/admin/inbox/${entry.id}/assign`, { method: 'POST', body: JSON.stringify({ sourceId: 'signed' }) });
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned', sourceId: 'signed', fresh: 1 } });
    // The same issue reached mailerlite-en before: one article, now carried by both sources.
    const published = await waitFor('the assigned issue', async () => (await articlesOf('signed')).find((a) => a.title === f.subject));
    expect(published.url).toBe(canonicalUrl(publishedWebVersion(f)));
    expect((await api('/api/admin/inbox?status=assigned')).body.items.map((m) => m.id)).toContain(entry.id);
    expect((await api('/api/admin/inbox')).status).toBe(200);
    expect((await fetch(`${base}/api/admin/inbox`)).status).toBe(401);
  });

  it('the inbox pages: behind the admin password, the message with its links and no images, forms that publish or set aside', async () => {
    const f = newsletter('apsis-sv');
    const to = `apsis-sv@${DOMAIN}`;
    await send(await composeNewsletter(f, { to, from: 'Apsis <confirm@apsis.example>', messageId: '<confirm-page@apsis.example>' }), 'confirm@apsis.example', to);
    const basic = { authorization: `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}` };
    const denied = await fetch(`${base}/admin/inbox`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Basic realm="Regionradar admin"/);
    const list = await (await fetch(`${base}/admin/inbox?ui=sv`, { headers: basic })).text();
    expect(list).toContain('Inkorg för nyhetsbrev');
    const id = (await api('/api/admin/inbox')).body.items.find((m) => m.messageId === 'confirm-page@apsis.example')!.id as string;
    expect(list).toContain(`/admin/inbox/${id}`);
    const shown = await (await fetch(`${base}/admin/inbox/${id}?ui=sv`, { headers: basic })).text();
    expect(shown).toContain(f.subject);
    expect(shown).toContain('confirm@apsis.example');
    expect(shown).not.toMatch(/<img\b/);
    expect(shown).toContain('name="sourceId"');
    const form = (extra: Record<string, string>) => ({ method: 'POST', redirect: 'manual' as const, headers: { ...basic, 'content-type': 'application/x-www-form-urlencoded', ...extra }, body: 'sourceId=apsis-sv' });
    expect((await fetch(`${base}/admin/inbox/${id}/assign`, form({ 'sec-fetch-site': 'cross-site' }))).status).toBe(401);
    expect((await fetch(`${base}/admin/inbox/${id}/assign`, form({ origin: 'https://evil.example' }))).status).toBe(401);
    expect((await api(`/api/admin/inbox/${id}`)).body.status).toBe('new');
    const done = await fetch(`${base}/admin/inbox/${id}/assign`, form({ 'sec-fetch-site': 'same-origin', origin: base }));
    expect(done.status).toBe(303);
    expect((await api(`/api/admin/inbox/${id}`)).body).toMatchObject({ status: 'assigned', sourceId: 'apsis-sv' });
    expect((await fetch(`${base}/admin/inbox/nope`, { headers: basic })).status).toBe(404);
  });

  it('a source that requires authentication publishes DKIM-signed mail, and sends unsigned mail to the inbox', async () => {
    // An issue of its own (another web version), so the article's verdicts are this message's.
    const original = newsletter('mailchimp-nb');
    const web = 'https://us4.campaign-archive.com/?u=5e1f2a&id=90c7d3b1e2';
    const f = { ...original, html: original.html.split(original.webVersionUrl).join(web), webVersionUrl: web };
    const to = `signed@${DOMAIN}`;
    const from = `Signed News <news@${SIGNED_DOMAIN}>`;
    // The envelope sender is another domain's (a forwarder, or an impostor): SPF says nothing of the From domain.
    const envelope = 'bounce@relay.example';
    const unsigned = await composeNewsletter(f, { to, from, messageId: '<unsigned-1@signed-news.example>' });
    expect((await send(unsigned, envelope, to)).response).toMatch(/operator/);
    const kept = (await api('/api/admin/inbox?status=new')).body.items.find((m) => m.messageId === 'unsigned-1@signed-news.example');
    expect(kept).toMatchObject({ reason: expect.stringContaining('requires an authenticated sender'), mailAuth: { dkim: 'none', dmarc: 'fail' } });
    expect((await articlesOf('signed')).some((a) => a.url === canonicalUrl(publishedWebVersion(f)))).toBe(false);

    const message = await composeNewsletter(f, { to, from, messageId: '<signed-1@signed-news.example>' });
    const { signatures } = await dkimSign(message, { signatureData: [{ signingDomain: SIGNED_DOMAIN, selector: 'rr', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }) }] } as never);
    expect(signatures).toMatch(/^DKIM-Signature: /);
    expect((await send(Buffer.concat([Buffer.from(signatures), message]), envelope, to)).response).toMatch(/Queued as an issue of signed/);
    const issue = await waitFor('the signed issue', async () => (await articlesOf('signed')).find((a) => a.url === canonicalUrl(publishedWebVersion(f))));
    expect(issue.mailAuth).toMatchObject({ dkim: 'pass', dmarc: 'pass' });
  });
});
