/// <reference lib="dom" />
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { noDns } from '../../src/newsletters/auth.js';
import { startServices, type Running } from '../../src/runtime.js';
import { createStaticCatalogue } from '../../src/sources/catalogue.js';
import { sourceSchema } from '../../src/sources/schema.js';
import { t } from '../../src/i18n/index.js';
import { launchChromium, type LaunchedBrowser } from '../helpers/browser.js';
import { shippedConfig } from '../helpers/config.js';
import { composeNewsletter, newsletter } from '../helpers/newsletters.js';
import { freePort } from '../helpers/processes.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The operator's newsletter inbox in Debian's Chromium, JavaScript off, behind the browser's own
 * password prompt: a list's confirmation mail arrives by SMTP, is read, and is published as a
 * source's issue with the page's form; axe-core finds nothing on either page.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN = 'admin-token-for-the-inbox-pages';
const prefix = uniquePrefix('inbox-e2e');
const SOURCE = sourceSchema.parse({ id: 'reglab-nyhetsbrev', name: 'Reglab – nyhetsbrev', kind: 'newsletter', url: 'https://www.reglab.se/', country: 'SE', language: 'swe', newsletter: { token: 'reglab', from: ['nyhetsbrev@reglab.example'] } });
const issue = newsletter('apsis-sv-bundle');

let deps: Deps;
let running: Running;
let base: string;
let browser: LaunchedBrowser;
let axeBrowser: LaunchedBrowser;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = shippedConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-inbox-e2e-')), QUEUE_PREFIX: prefix, REDIS_URL, PORT: String(port), PUBLIC_URL: base, ADMIN_TOKEN: ADMIN, INBOUND_SMTP_PORT: '0' });
  deps = await createDeps(config, { catalogue: createStaticCatalogue([...config.sources, SOURCE]), mailResolver: noDns });
  running = await startServices(deps, { api: true, enrich: true, inbound: true });
  const transport = createTransport({ host: '127.0.0.1', port: running.smtpPort!, secure: false, ignoreTLS: true });
  // The list's first mail comes from its platform's address, which the source does not list yet.
  const raw = await composeNewsletter(issue, { to: 'reglab@radar.test', from: 'Reglab <bekrafta@apsis.example>', messageId: '<confirm-e2e@apsis.example>' });
  await transport.sendMail({ envelope: { from: 'bekrafta@apsis.example', to: ['reglab@radar.test'] }, raw });
  transport.close();
  const credentials = { httpCredentials: { username: 'admin', password: ADMIN } };
  browser = await launchChromium({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, ...credentials });
  axeBrowser = await launchChromium({ viewport: { width: 1280, height: 900 }, bypassCSP: true, ...credentials });
});

afterAll(async () => {
  await browser?.close();
  await axeBrowser?.close();
  await running?.close();
  await clearPrefix(prefix);
});

describe('the newsletter inbox pages', () => {
  it('asks for the admin password', async () => {
    const res = await fetch(`${base}/admin/inbox`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
  });

  it('lists the unknown mail, shows it with its links, and publishes it with the form', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/admin/inbox?ui=sv`);
    await expect(page.locator('h1').textContent()).resolves.toBe(t('sv', 'inbox.heading'));
    await page.getByRole('link', { name: issue.subject }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(issue.subject);
    expect(await page.locator('dd').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('bekrafta@apsis.example')]));
    expect(await page.locator('#links-heading + ul a').count()).toBeGreaterThan(3);
    expect(await page.locator('.body img').count()).toBe(0);
    await page.locator('#source').selectOption(SOURCE.id);
    await page.getByRole('button', { name: t('sv', 'inbox.publish') }).click();
    await expect(page.locator('.facts').textContent()).resolves.toContain(t('sv', 'inbox.status.assigned', { source: SOURCE.id }));
    const stored = await waitFor('the published issue', async () => (await deps.store.list({ sources: [SOURCE.id] }, { limit: 20 })).items);
    expect(stored.map((a) => a.title)).toContain(issue.subject);
    await page.close();
  });

  it.each([
    ['list', '/admin/inbox?ui=nb'],
    ['message', 'message'],
  ])('the %s page has no axe violation', async (_name, path) => {
    const id = (await deps.inbox.list())[0]!.id;
    const page = await axeBrowser.context.newPage();
    const r = await page.goto(`${base}${path === 'message' ? `/admin/inbox/${id}?ui=nb` : path}`);
    expect(r?.status()).toBe(200);
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => {
      type Rule = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
      const r = await (window as unknown as { axe: { run(): Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe.run();
      return { passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })) };
    });
    expect(result.passes, 'axe ran its rules').toBeGreaterThan(10);
    expect(result.violations).toEqual([]);
    await page.close();
  });
});
