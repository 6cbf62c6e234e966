/// <reference lib="dom" />
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, outboxDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { linksFor, runDigestsNow } from '../../src/digests/service.js';
import { t } from '../../src/i18n/index.js';
import type { Article } from '../../src/model/article.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { shippedConfig } from '../helpers/config.js';
import { freePort } from '../helpers/processes.js';
import { clearPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { seedArticles } from '../helpers/seed-articles.js';
import { startInbox, type Inbox } from '../helpers/smtp.js';
import { launchChromium, type LaunchedBrowser } from '../helpers/browser.js';

/**
 * Subscribing by e-mail in Debian's Chromium with JavaScript off (the pages are plain forms): the real
 * app (API and outbox worker) with a real SMTP inbox, from the subscribe form of a filtered view through
 * the confirmation e-mail, the manage page, the private feeds, a digest and unsubscribing from its
 * List-Unsubscribe link. The steps build on each other, in order, on one subscription.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SECRET = 'test-secret-key-that-is-long-enough-0123456789';
const S3 = 'smart-specialisation';
const OTHER = 'regional-partnership';
const EMAIL = 'lesar@example.no';
const prefix = uniquePrefix('subscriptions-e2e');

let inbox: Inbox;
let deps: Deps;
let running: Running;
let browser: LaunchedBrowser;
let axeBrowser: LaunchedBrowser;
let base: string;
let seeds: Map<string, Article>;
let launchError: Error | undefined;

/** What the steps hand on to the next. */
const flow: { confirmLink?: string; manageLink?: string; feeds?: { type: string; href: string }[] } = {};

beforeAll(async () => {
  inbox = await startInbox();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = shippedConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-subscriptions-')),
    QUEUE_PREFIX: prefix,
    REDIS_URL,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    SECRET_KEY: SECRET,
    SMTP_URL: inbox.url,
    MAIL_FROM: 'Regionradar <digest@radar.test>',
    DIGEST_SETTLE_MS: '0',
  });
  seeds = seedArticles(config);
  deps = await createDeps(config);
  running = await startServices(deps, { api: true, outbox: true });
  // A missing Chromium fails every browser test with the helper's message (not a silent skip).
  try {
    // The pages must work without JavaScript: the flow runs with it off.
    browser = await launchChromium({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    // axe is a script, and the pages' CSP allows none: its context bypasses the CSP (only it).
    axeBrowser = await launchChromium({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  } catch (err) {
    launchError = err as Error;
  }
});

afterAll(async () => {
  await browser?.close();
  await axeBrowser?.close();
  await running?.close();
  await inbox?.close();
  await clearPrefix(prefix);
});

async function newPage(context = () => browser.context): Promise<Page> {
  if (launchError) throw launchError;
  const page = await context().newPage();
  page.on('pageerror', (e) => console.error('page error', e));
  return page;
}

/** Clicks a submit button and waits for the page its form's POST answers with; returns that response. */
async function submit(page: Page, button: Locator): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
    page.waitForEvent('framenavigated', (f) => f === page.mainFrame()),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Follows a link and waits for the page it leads to. */
async function follow(page: Page, link: Locator): Promise<void> {
  const href = (await link.getAttribute('href'))!;
  await Promise.all([page.waitForURL((u) => u.href === new URL(href, page.url()).href), link.click()]);
}

const subsOf = (email: string) => deps.subscriptions.findByEmail(email);
const only = async (email: string): Promise<Subscription> => {
  const all = await subsOf(email);
  expect(all, `subscriptions of ${email}`).toHaveLength(1);
  return all[0]!;
};
const linkIn = (m: ParsedMail, path: string) => new RegExp(`${base.replace(/[.]/g, '\\.')}${path}\\?token=[A-Za-z0-9_%.-]+`).exec(m.text ?? '')?.[0];
/** A header as sent, unfolded (mailparser turns List-* headers into structures). */
const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
const isDigest = (m: ParsedMail) => String(m.messageId).startsWith('<digest.');
const themeLabel = (id: string, lang: 'nn' | 'sv' | 'en') => deps.config.taxonomy.themes.find((th) => th.id === id)!.labels[lang];
const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));

describe('subscribing by e-mail in Chromium, without JavaScript', () => {
  it('1. subscribes from a filtered view in nynorsk: a pending subscription of the view and one confirmation e-mail in nynorsk', async () => {
    const page = await newPage();
    // JavaScript is really off in this browser: an inline script does not run.
    await page.setContent('<title>no script ran</title><script>document.title = "a script ran"</script>');
    expect(await page.title()).toBe('no script ran');
    const r = await page.goto(`${base}/?theme=${S3}&ui=nn`);
    expect(r?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('nn');
    const form = page.locator('form.subscribe');
    expect(await form.count(), 'the subscribe form on the filtered view').toBe(1);
    expect(await form.getAttribute('method')).toBe('post');
    expect((await form.locator('h2').textContent())?.trim()).toBe(t('nn', 'subscribe.heading'));
    expect((await form.locator('label[for=s-email]').textContent())?.trim()).toBe(t('nn', 'subscribe.email'));
    expect((await form.locator('button[type=submit]').textContent())?.trim()).toBe(t('nn', 'subscribe.submit'));
    expect((await form.locator('fieldset legend').first().textContent())?.trim()).toBe(t('nn', 'subscribe.frequency'));
    // The view's filter travels as a hidden field; the language of the mails defaults to the interface's.
    expect(await form.locator('input[type=hidden][name=theme]').getAttribute('value')).toBe(S3);
    expect(await form.locator('#s-locale').inputValue()).toBe('nn');

    await form.locator('#s-email').fill(EMAIL);
    await form.locator('input[name=frequency][value=daily]').check();
    await form.locator('#s-hour').selectOption('6');
    const answer = await submit(page, form.locator('button[type=submit]'));
    expect(answer.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/subscriptions');
    expect(await page.getAttribute('html', 'lang')).toBe('nn');
    expect((await page.locator('h1').textContent())?.trim()).toBe(t('nn', 'subscribe.sent.title'));
    expect((await page.locator('[role=status]').textContent())?.trim()).toBe(t('nn', 'subscribe.sent.text', { email: EMAIL }));

    const confirmation = await inbox.waitFor((m) => inbox.to(EMAIL).includes(m));
    await settle(); // a second message would have come by now
    expect(inbox.to(EMAIL), 'exactly one confirmation').toHaveLength(1);
    expect(confirmation.subject).toBe(t('nn', 'mail.confirm.subject'));
    expect(confirmation.html).toContain(t('nn', 'mail.confirm.heading'));
    flow.confirmLink = linkIn(confirmation, '/subscriptions/confirm');
    expect(flow.confirmLink, `a confirmation link in: ${confirmation.text}`).toBeDefined();

    const sub = await only(EMAIL);
    expect(sub).toMatchObject({ status: 'pending', frequency: 'daily', locale: 'nn', timeZone: 'Europe/Oslo' });
    expect(sub.filter).toEqual({ themes: [S3] });
    expect(sub.sendAt).toEqual({ hour: 6 });
    await page.close();
  });

  it('2. the confirmation link shows a Confirm button (GET confirms nothing); the button confirms', async () => {
    expect(flow.confirmLink, 'the confirmation link of step 1').toBeDefined();
    const page = await newPage();
    const r = await page.goto(flow.confirmLink!);
    expect(r?.status()).toBe(200);
    expect((await page.locator('h1').textContent())?.trim()).toBe(t('nn', 'confirm.title'));
    expect(await page.locator('main').innerText()).toContain(t('nn', 'confirm.text', { email: EMAIL }));
    expect(await page.locator('main').innerText()).toContain(themeLabel(S3, 'nn'));
    const button = page.locator('form[action="/subscriptions/confirm"] button[type=submit]');
    expect((await button.textContent())?.trim()).toBe(t('nn', 'confirm.button'));
    // Opening the link (as a mail scanner would) confirms nothing.
    expect((await only(EMAIL)).status).toBe('pending');

    const done = await submit(page, button);
    expect(done.status()).toBe(200);
    expect((await page.locator('h1').textContent())?.trim()).toBe(t('nn', 'confirm.title'));
    expect((await page.locator('[role=status]').textContent())?.trim()).toBe(t('nn', 'confirm.done'));
    const manage = page.locator('main a', { hasText: t('nn', 'manage.title') });
    expect(await manage.count()).toBe(1);
    flow.manageLink = (await manage.getAttribute('href'))!;
    expect(flow.manageLink).toMatch(new RegExp(`^${base}/subscriptions/manage\\?token=`));
    const sub = await only(EMAIL);
    expect(sub.status).toBe('active');
    expect(sub.confirmedAt).toBeDefined();

    // Following the link from the confirmed page.
    await follow(page, manage);
    expect(new URL(page.url()).pathname).toBe('/subscriptions/manage');
    expect((await page.locator('h1').textContent())?.trim()).toBe(t('nn', 'manage.title'));
    await page.close();
  });

  it('3. the manage page shows the address and what is followed; saves a change; pauses and resumes', async () => {
    expect(flow.manageLink, 'the manage link of step 2').toBeDefined();
    const page = await newPage();
    const r = await page.goto(flow.manageLink!);
    expect(r?.status()).toBe(200);
    const facts = page.locator('dl.facts');
    expect(await facts.innerText()).toContain(EMAIL);
    expect(await facts.innerText()).toContain(themeLabel(S3, 'nn'));
    expect(await facts.innerText()).toContain(t('nn', 'manage.status.active'));
    const form = page.locator('form.manage');
    expect(await form.locator(`input[name=theme][value=${S3}]`).isChecked()).toBe(true);
    expect(await form.locator(`input[name=theme][value=${OTHER}]`).isChecked()).toBe(false);
    expect(await form.locator('input[name=frequency][value=daily]').isChecked()).toBe(true);
    expect(await form.locator('#m-hour').inputValue()).toBe('6');
    expect(await form.locator('#m-locale').inputValue()).toBe('nn');

    await form.locator('input[name=frequency][value=weekly]').check();
    await form.locator(`input[name=theme][value=${OTHER}]`).check();
    const saved = await submit(page, form.locator('button[type=submit]'));
    expect(saved.status()).toBe(200);
    expect((await page.locator('[role=status]').textContent())?.trim()).toBe(t('nn', 'manage.saved'));
    let sub = await only(EMAIL);
    expect(sub).toMatchObject({ status: 'active', frequency: 'weekly', locale: 'nn', timeZone: 'Europe/Oslo' });
    expect([...(sub.filter.themes ?? [])].sort()).toEqual([OTHER, S3].sort());
    expect(Object.keys(sub.filter)).toEqual(['themes']);
    expect(sub.sendAt).toEqual({ weekday: 1, hour: 6 });
    // The page after saving shows the saved choices.
    expect(await page.locator('form.manage input[name=frequency][value=weekly]').isChecked()).toBe(true);
    expect(await page.locator('dl.facts').innerText()).toContain(themeLabel(OTHER, 'nn'));

    const pause = page.locator('form[action="/subscriptions/manage"]:not(.manage) button[type=submit]');
    expect((await pause.textContent())?.trim()).toBe(t('nn', 'manage.pause'));
    expect((await submit(page, pause)).status()).toBe(200);
    sub = await only(EMAIL);
    expect(sub.status).toBe('paused');
    // The subscriber's own pause has no reason to show: the status alone, once.
    expect(await page.locator('dl.facts dd').nth(1).innerText()).toBe(t('nn', 'manage.status.paused'));
    expect(sub.pausedReason).toBeUndefined();
    const resume = page.locator('form[action="/subscriptions/manage"]:not(.manage) button[type=submit]');
    expect((await resume.textContent())?.trim()).toBe(t('nn', 'manage.resume'));

    expect((await submit(page, resume)).status()).toBe(200);
    sub = await only(EMAIL);
    expect(sub.status).toBe('active');
    expect(sub.pausedReason).toBeUndefined();
    expect(await page.locator('dl.facts').innerText()).toContain(t('nn', 'manage.status.active'));
    expect((await page.locator('form[action="/subscriptions/manage"]:not(.manage) button[type=submit]').textContent())?.trim()).toBe(t('nn', 'manage.pause'));
    // The choices survive pausing and resuming.
    expect(sub.frequency).toBe('weekly');

    flow.feeds = await page.locator('main a[type]').evaluateAll((as) => as.map((a) => ({ type: a.getAttribute('type')!, href: (a as HTMLAnchorElement).href })));
    await page.close();
  });

  it('4. the private feeds of the manage page answer with their content types; an unknown token is 404', async () => {
    expect(flow.feeds, 'the feed links of step 3').toBeDefined();
    const sub = await only(EMAIL);
    expect(flow.feeds!.map((f) => f.type).sort()).toEqual(['application/atom+xml', 'application/feed+json', 'application/rss+xml']);
    for (const f of flow.feeds!) {
      expect(f.href).toMatch(new RegExp(`^${base}/feeds/private/${sub.feedToken}\\.(rss|atom|json)$`));
      const r = await fetch(f.href);
      expect(r.status, f.href).toBe(200);
      expect(r.headers.get('content-type'), f.href).toMatch(new RegExp(`^${f.type.replace(/[+]/g, '\\+')}\\b`));
      const body = await r.text();
      if (f.type === 'application/feed+json') expect(JSON.parse(body)).toHaveProperty('items');
      else expect(body).toMatch(/^<\?xml/);
    }
    for (const ext of ['rss', 'atom', 'json']) {
      const r = await fetch(`${base}/feeds/private/${'A'.repeat(32)}.${ext}`);
      expect(r.status, ext).toBe(404);
    }
  });

  it('5. a digest: one e-mail with no script and absolute links; its List-Unsubscribe link unsubscribes in the browser', async () => {
    const sub = await only(EMAIL);
    expect(sub.status).toBe('active');
    // Stored after confirming, so they fall in the digest's window.
    const ofTheme = [...seeds.values()].filter((a) => a.themes.some((th) => th.id === S3)).slice(0, 2);
    expect(ofTheme).toHaveLength(2);
    await deps.store.ingestBatch(ofTheme);
    const before = inbox.to(EMAIL).length;
    const summary = await runDigestsNow(outboxDeps(deps)!, { early: true });
    expect(summary).toMatchObject({ sent: 1, failed: 0 });
    const digest = await inbox.waitFor((m) => isDigest(m) && inbox.to(EMAIL).includes(m));
    await settle();
    expect(inbox.to(EMAIL).length - before, 'exactly one digest').toBe(1);
    expect(digest.html).toContain(t('nn', 'mail.heading.weekly'));
    for (const a of ofTheme) expect(digest.text).toContain(a.url);

    const html = String(digest.html);
    expect(html).not.toMatch(/<script/i);
    const page = await newPage();
    await page.setContent(html);
    expect(await page.locator('script').count()).toBe(0);
    const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(2);
    for (const href of hrefs) expect(href, 'every link in the digest').toMatch(/^https?:\/\/[^/]/);
    for (const a of ofTheme) expect(hrefs).toContain(a.url);

    expect(header(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = /^<(.+)>$/.exec(header(digest, 'list-unsubscribe') ?? '')?.[1];
    expect(unsubscribe).toMatch(new RegExp(`^${base}/subscriptions/unsubscribe\\?token=`));
    const r = await page.goto(unsubscribe!);
    expect(r?.status()).toBe(200);
    expect((await page.locator('h1').textContent())?.trim()).toBe(t('nn', 'unsubscribe.title'));
    expect(await page.locator('main').innerText()).toContain(t('nn', 'unsubscribe.text', { email: EMAIL }));
    const button = page.locator('main form button[type=submit]');
    expect((await button.textContent())?.trim()).toBe(t('nn', 'unsubscribe.button'));
    // Opening the link unsubscribes nothing.
    expect(await subsOf(EMAIL)).toHaveLength(1);
    const done = await submit(page, button);
    expect(done.status()).toBe(200);
    expect((await page.locator('h1').textContent())?.trim()).toBe(t('nn', 'unsubscribe.title'));
    expect((await page.locator('[role=status]').textContent())?.trim()).toBe(t('nn', 'unsubscribe.done'));
    expect(await subsOf(EMAIL)).toEqual([]);
    // The manage link is dead with the subscription.
    const gone = await page.goto(flow.manageLink!);
    expect(gone?.status()).toBe(400);
    await page.close();
  });

  it('6. the digest preview of a view renders in Swedish', async () => {
    const r = await fetch(`${base}/digests/preview?theme=${S3}&frequency=weekly&ui=sv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html\b/);
    const body = await r.text();
    expect(body).toContain(t('sv', 'mail.heading.weekly'));
    expect(body).not.toContain(t('en', 'mail.heading.weekly'));
    const page = await newPage();
    const shown = await page.goto(`${base}/digests/preview?theme=${S3}&frequency=weekly&ui=sv`);
    expect(shown?.status()).toBe(200);
    expect(await page.locator('body').innerText()).toContain(t('sv', 'mail.heading.weekly'));
    await page.close();
  });

  it('7. an invalid token on the manage page answers 400 with the link.invalid text', async () => {
    const page = await newPage();
    const r = await page.goto(`${base}/subscriptions/manage?token=x&ui=nn`);
    expect(r?.status()).toBe(400);
    expect((await page.locator('[role=status]').textContent())?.trim()).toBe(t('nn', 'link.invalid'));
    for (const path of ['/subscriptions/confirm?token=x', '/subscriptions/unsubscribe?token=x', '/subscriptions/manage']) {
      const res = await fetch(`${base}${path}`, { headers: { 'accept-language': 'en' } });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain(t('en', 'link.invalid'));
    }
    await page.close();
  });
});

describe('axe-core on the subscription pages', () => {
  const AXE_EMAIL = 'axe@example.no';
  /** Pages by name, resolved once: a subscription made through the form (as in the browser), its mail's link, then confirmed. */
  let pages: Record<string, string> | undefined;
  const pagesOf = async () => {
    if (pages) return pages;
    const r = await fetch(`${base}/subscriptions`, { method: 'POST', body: new URLSearchParams({ email: AXE_EMAIL, theme: S3, frequency: 'weekly', weekday: '3', hour: '8', locale: 'nn', timeZone: 'Europe/Oslo' }) });
    expect(r.status).toBe(200);
    const confirmation = await inbox.waitFor((m) => inbox.to(AXE_EMAIL).includes(m));
    const confirm = linkIn(confirmation, '/subscriptions/confirm');
    expect(confirm).toBeDefined();
    const sub = await only(AXE_EMAIL);
    await deps.subscriptions.confirm(sub.id, new Date().toISOString());
    const links = linksFor(outboxDeps(deps)!.settings);
    pages = { subscribe: `${base}/?theme=${S3}&ui=nn`, confirm: confirm!, manage: links.manage(sub), unsubscribe: links.unsubscribe(sub) };
    return pages;
  };

  it.each(['subscribe', 'confirm', 'manage', 'unsubscribe'])('the %s page has no violation', async (name) => {
    const url = (await pagesOf())[name]!;
    const page = await newPage(() => axeBrowser.context);
    const r = await page.goto(url);
    expect(r?.status()).toBe(200);
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => {
      type Rule = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
      const r = await (window as unknown as { axe: { run(): Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe.run();
      return {
        passes: r.passes.length,
        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
      };
    });
    const { violations } = result;
    console.log(
      `axe ${name}: ${result.passes} rules passed; ${violations.length ? violations.map((v) => `${v.impact} ${v.id} (${v.nodes}× ${v.targets.join(', ')}): ${v.help}`).join('; ') : 'no violations'}`,
    );
    expect(result.passes, 'axe ran its rules').toBeGreaterThan(10);
    expect(violations).toEqual([]);
    await page.close();
  });
});
