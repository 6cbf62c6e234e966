/// <reference lib="dom" />
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { startFixtureServer, type FixtureServer } from '../../src/fixtures/server.js';
import { withFixtureUrls } from '../../src/demo.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { EXPECTED_ITEMS } from '../helpers/catalogue.js';
import { freePort } from '../helpers/processes.js';
import { makeArticle } from '../helpers/factories.js';
import { launchChromium, type LaunchedBrowser } from '../helpers/browser.js';

/**
 * The web reader in Debian's Chromium: the real app (API, ingest and enrich workers, schedulers) over
 * the recorded fixtures of the default sources, as the demo serves them, plus one open consultation.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const prefix = uniquePrefix('reader');
let fixtures: FixtureServer;
let deps: Deps;
let running: Running;
let browser: LaunchedBrowser;
let axeBrowser: LaunchedBrowser;
let base: string;
let launchError: Error | undefined;

const OPEN_TITLE = 'Høyring om ny strategi for smart spesialisering i regionane';
const open = makeArticle({
  title: OPEN_TITLE,
  url: 'https://www.regjeringen.no/no/dokumenter/hoyring-smart-spesialisering/id9999999/',
  sourceId: 'regjeringen-hoyringar',
  language: 'nno',
  documentType: 'consultation',
  deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  departments: ['Kommunal- og distriktsdepartementet'],
  publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
});

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const port = await freePort();
  const config = withFixtureUrls(
    shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-reader-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1', PORT: String(port), HOST: '127.0.0.1' }),
    fixtures.urls,
  );
  deps = await createDeps(config);
  running = await startServices(deps, { api: true, ingest: true, enrich: true, schedulers: true });
  base = `http://127.0.0.1:${running.port ?? port}`;
  await waitFor('the fixtures ingested', async () => (await deps.store.list({}, { limit: 200 })).items.length === EXPECTED_ITEMS, 60_000, 200);
  await deps.store.upsertBatch([open]);
  // A missing Chromium fails every browser test with the helper's message (not a silent skip).
  try {
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
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
  await fixtures?.close();
  await clearPrefix(prefix);
});

async function newPage(context = () => browser.context): Promise<Page> {
  if (launchError) throw launchError;
  const page = await context().newPage();
  page.on('pageerror', (e) => console.error('page error', e));
  return page;
}
const titles = (page: Page, scope = '.items') => page.locator(`${scope} h3`).allInnerTexts();
const apiTitles = async (path: string) => ((await (await fetch(`${base}${path}`)).json()) as { items: { title: string }[] }).items.map((a) => a.title);

describe('the web reader in Chromium', () => {
  it('filters by theme and language with the form', async () => {
    const page = await newPage();
    await page.goto(`${base}/?ui=en`);
    await page.selectOption('#f-theme', 'smart-specialisation');
    await page.selectOption('#f-lang', 'nno');
    await Promise.all([page.waitForURL(/theme=smart-specialisation/), page.locator('form.filters button[type=submit]').click()]);
    expect(new URL(page.url()).searchParams.get('lang')).toBe('nno');
    const shown = await titles(page);
    expect(shown).toContain('Verkstad for regional utvikling');
    expect(shown.sort()).toEqual((await apiTitles('/api/articles?theme=smart-specialisation&lang=nno&limit=100')).sort());
    // Swedish and bokmål seeds of the theme are filtered out by the language
    expect(shown).not.toContain('Veileder i smart spesialisering');
    expect(await page.locator('#f-theme').inputValue()).toBe('smart-specialisation');

    await page.selectOption('#f-lang', 'swe');
    await Promise.all([page.waitForURL(/lang=swe/), page.locator('form.filters button[type=submit]').click()]);
    const swedish = await titles(page);
    expect(swedish.some((t) => t.startsWith('EU vill se mer samarbete mellan regioner kring smart specialisering'))).toBe(true);
    expect(swedish).not.toContain('Verkstad for regional utvikling');
    await page.close();
  });

  it('searches "smart spesialisering" across languages, with <mark> highlights', async () => {
    const page = await newPage();
    await page.goto(`${base}/search?ui=en`);
    await page.fill('#q', 'smart spesialisering');
    await Promise.all([page.waitForURL(/q=smart/), page.press('#q', 'Enter')]);
    const hits = page.locator('.items li.item');
    const byStart = async (start: string) => {
      const all = await hits.all();
      for (const h of all) if (((await h.locator('h3').textContent()) ?? '').startsWith(start)) return h;
      throw new Error(`no hit starting with “${start}” among: ${(await titles(page)).join(' | ')}`);
    };
    for (const [start, lang] of [
      ['Verkstad for regional utvikling', 'nn'],
      ['EU vill se mer samarbete mellan regioner kring smart specialisering', 'sv'],
      ['Smart specialisation strategies in the Nordic regions', 'en'],
    ] as const) {
      const hit = await byStart(start);
      expect(await hit.locator('h3').getAttribute('lang'), start).toBe(lang);
      const marks = await hit.locator('mark').allInnerTexts();
      expect(marks.length, `${start}: highlighted words`).toBeGreaterThan(0);
      expect(marks.every((m) => /smart|spesiali|speciali/i.test(m)), `${start}: ${marks.join(', ')}`).toBe(true);
    }
    // the marks are elements, not escaped text
    expect(await page.locator('.items').textContent()).not.toContain('<mark>');
    await page.close();
  });

  it('shows the terms behind each theme on the article page', async () => {
    const page = await newPage();
    await page.goto(`${base}/search?q=smart+spesialisering&ui=en`);
    await Promise.all([page.waitForURL(/\/articles\//), page.locator('.items h3 a', { hasText: 'Verkstad for regional utvikling' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Verkstad for regional utvikling');
    const themes = page.locator('section.themes li');
    expect(await themes.count()).toBeGreaterThanOrEqual(2);
    const id = page.url().split('/articles/')[1]!;
    const api = (await (await fetch(`${base}/api/articles/${id}`)).json()) as { themes: { id: string; terms: string[] }[] };
    const rows = await themes.allInnerTexts();
    for (const th of api.themes) {
      const row = rows.find((r) => r.includes(th.terms[0]!));
      expect(row, `${th.id}: ${th.terms.join(', ')}`).toBeDefined();
      for (const term of th.terms) expect(row).toContain(term);
      expect(row).toContain('Tagged because of');
    }
    expect(rows.find((r) => r.startsWith('Smart specialisation'))).toContain('smart spesialisering');
    await page.close();
  });

  it('switches the interface to nynorsk and to Finnish, and remembers the choice', async () => {
    const page = await newPage();
    await page.goto(`${base}/?ui=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await Promise.all([page.waitForURL(/ui=nn/), page.locator('nav.langs a[lang=nn]').click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('nn');
    expect(await page.locator('form.filters legend').textContent()).toBe('Filtrer nyheitene');
    // the cookie keeps it on the next page
    await page.goto(`${base}/search`);
    expect(await page.getAttribute('html', 'lang')).toBe('nn');
    await Promise.all([page.waitForURL(/ui=fi/), page.locator('nav.langs a[lang=fi]').click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    await page.goto(`${base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.locator('h1').textContent()).toBe('Uusimmat uutiset');
    await page.close();
  });

  it('fits a 375 px phone screen: no page is wider than the screen', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    const article = (await (await fetch(`${base}/api/articles?limit=1`)).json()) as { items: { id: string }[] };
    for (const path of ['/?ui=en', '/search?q=smart+spesialisering', `/articles/${article.items[0]!.id}`, '/sources', '/consultations']) {
      await page.goto(`${base}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    }
    await page.close();
  });

  it('lists open consultations before closed ones', async () => {
    const page = await newPage();
    await page.goto(`${base}/consultations?ui=en`);
    const sections = await page.locator('main section.list h2').allInnerTexts();
    expect(sections.slice(0, 2)).toEqual(['Open for responses', 'Closed']);
    const openTitles = await titles(page, 'section[aria-labelledby=open-heading]');
    const closedTitles = await titles(page, 'section[aria-labelledby=closed-heading]');
    expect(openTitles).toEqual([OPEN_TITLE]);
    expect(closedTitles.length).toBeGreaterThanOrEqual(20);
    const all = await titles(page, 'main');
    expect(all.indexOf(OPEN_TITLE)).toBe(0);
    const deadlines = async (scope: string) => page.locator(`${scope} .meta time:nth-of-type(2)`).evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
    const now = new Date().toISOString();
    for (const d of await deadlines('section[aria-labelledby=open-heading]')) expect(d > now).toBe(true);
    for (const d of await deadlines('section[aria-labelledby=closed-heading]')) expect(d < now).toBe(true);
    await page.close();
  });
});

/** Every page the reader has, for keyboard and axe checks. */
const PAGES = ['/?ui=en', '/?theme=smart-specialisation&lang=nno', '/search', '/search?q=smart+spesialisering', '/themes', '/themes/smart-specialisation', '/consultations', '/sources', '/articles/ID', '/?lang=xx'];
const articlePath = async () => {
  const r = (await (await fetch(`${base}/api/articles?theme=smart-specialisation&lang=nno&limit=1`)).json()) as { items: { id: string }[] };
  return `/articles/${r.items[0]!.id}`;
};
const resolve = async (p: string) => (p === '/articles/ID' ? articlePath() : p);

/**
 * Presses Tab until the focus leaves the page or comes round again, recording each element that got
 * focus once (a date input takes three stops, one per part) and its computed outline while focused.
 */
async function tabThrough(page: Page, max = 400) {
  const seen: { tag: string; id: string; text: string; outline: string }[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate((n) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const again = el.dataset.kb !== undefined;
      el.dataset.kb ??= String(n);
      const cs = getComputedStyle(el);
      return { again, first: el.dataset.kb === '0', tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent ?? '').trim().slice(0, 40), outline: `${cs.outlineStyle} ${cs.outlineWidth}` };
    }, seen.length);
    if (!f || (f.again && f.first)) break;
    if (f.again) continue;
    seen.push({ tag: f.tag, id: f.id, text: f.text, outline: f.outline });
  }
  return seen;
}

describe('keyboard alone', () => {
  it.each(PAGES)('%s: Tab reaches every control, each with a visible focus outline', async (p) => {
    const page = await newPage();
    await page.goto(`${base}${await resolve(p)}`);
    const focusable = await page.locator('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])').count();
    const seen = await tabThrough(page);
    expect(seen.length, `focus stops on ${p}`).toBe(focusable);
    expect(seen[0]!.tag).toBe('a'); // the skip link first
    for (const f of seen) expect(f.outline, `${f.tag}#${f.id} “${f.text}” on ${p}`).not.toMatch(/^none|\s0px$/);
    if ((p.startsWith('/?') && !p.includes('=xx')) || p.startsWith('/search')) {
      const controls = p.startsWith('/search') ? ['q'] : ['f-theme', 'f-lang', 'f-country', 'f-region', 'f-source', 'f-type', 'f-since', 'f-until'];
      for (const id of controls) expect(seen.some((f) => f.id === id), `${id} reached on ${p}`).toBe(true);
      expect(seen.some((f) => f.tag === 'button'), `submit reached on ${p}`).toBe(true);
    }
    await page.close();
  });

  it('filters the list with the keyboard only', async () => {
    const page = await newPage();
    await page.goto(`${base}/?ui=en`);
    // Tab to the theme select, choose the next option with the arrow key, Tab on to the button and press Enter.
    for (let i = 0; i < 100 && (await page.evaluate(() => document.activeElement?.id)) !== 'f-theme'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    const theme = await page.locator('#f-theme').inputValue();
    expect(theme).not.toBe('');
    for (let i = 0; i < 100 && (await page.evaluate(() => document.activeElement?.tagName)) !== 'BUTTON'; i++) await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/theme=/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('theme')).toBe(theme);
    // the skip link moves focus past the navigation to the main content
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    // The fragment navigation is asynchronous: wait for it rather than read the URL at once.
    await Promise.all([page.waitForURL(/#main$/, { timeout: 5_000 }), page.keyboard.press('Enter')]);
    expect(page.url()).toMatch(/#main$/);
    await page.close();
  });
});

describe('axe-core', () => {
  it.each(PAGES)('%s has no serious or critical violation', async (p) => {
    const page = await newPage(() => axeBrowser.context);
    await page.goto(`${base}${await resolve(p)}`);
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
      `axe ${p}: ${result.passes} rules passed; ${violations.length ? violations.map((v) => `${v.impact} ${v.id} (${v.nodes}× ${v.targets.join(', ')}): ${v.help}`).join('; ') : 'no violations'}`,
    );
    expect(result.passes, 'axe ran its rules').toBeGreaterThan(10);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  });
});
