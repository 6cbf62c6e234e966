/// <reference lib="dom" />
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createDeps, type Deps } from '../../src/deps.js';
import { startServices, type Running } from '../../src/runtime.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { freePort, SHARED } from '../helpers/processes.js';
import { makeSource } from '../helpers/factories.js';
import { launchChromium, type LaunchedBrowser } from '../helpers/browser.js';

/**
 * The 723 payloads of ../shared/peer-suites/xss, each as an RSS item's title, summary and content,
 * fetched from a fixture server and ingested by the real pipeline (parse, sanitize, enrich, store),
 * then rendered on the list, search and article pages in Chromium with alert/confirm/prompt/print
 * hooked, interaction events fired at every element, and every request, dialog and navigation
 * recorded: once under the pages' own Content-Security-Policy, once with it bypassed, so that the
 * sanitizer is tested alone.
 */
const PAYLOADS_FILE = join(SHARED, 'peer-suites', 'xss', 'payloads.json');
const payloads = (JSON.parse(readFileSync(PAYLOADS_FILE, 'utf8')) as { payload: string; source: string }[]).map((p) => p.payload);
/** A word in every item's content, so that one search finds them all. */
const MARKER = 'xsscase';
const ITEM_HOST = 'https://xss.example';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Payloads may hold `]]>`, so they are entity-escaped rather than wrapped in CDATA; control characters stay as they are (the parser is lenient). */
function rssFeed(): string {
  const items = payloads.map((p, i) => {
    const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString();
    return `<item><title>${escapeXml(p)}</title><link>${ITEM_HOST}/items/${i}</link><guid isPermaLink="false">xss-${i}</guid><pubDate>${date}</pubDate><description>${escapeXml(p)}</description><content:encoded>${escapeXml(`<p>${MARKER} ${i}</p>${p}`)}</content:encoded></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>XSS payloads</title><link>${ITEM_HOST}/</link><description>peer suite</description><language>en</language>\n${items.join('\n')}\n</channel></rss>`;
}

const prefix = uniquePrefix('xss');
let feedServer: Server;
let deps: Deps;
let running: Running;
let base: string;
let ids: string[] = [];

beforeAll(async () => {
  const body = rssFeed();
  feedServer = createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  const feedPort = await freePort();
  await new Promise<void>((r) => feedServer.listen(feedPort, '127.0.0.1', r));
  const port = await freePort();
  const shipped = shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-xss-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1', PORT: String(port), HOST: '127.0.0.1' });
  const source = makeSource({ id: 'xss-fixture', name: 'XSS fixture feed', url: `http://127.0.0.1:${feedPort}/feed.xml`, kind: 'feed', country: 'NO' });
  deps = await createDeps({ ...shipped, sources: [source] });
  running = await startServices(deps, { api: true, ingest: true, enrich: true, schedulers: true });
  base = `http://127.0.0.1:${running.port ?? port}`;
  const stored = async () => (await deps.store.countBySource()).get('xss-fixture') ?? 0;
  // every item stored, or (if the pipeline refused some) nothing more arriving and the queues idle
  let last = -1;
  await waitFor(
    'the payload feed ingested',
    async () => {
      const n = await stored();
      const [i, e] = await Promise.all([deps.queues.ingest.getJobCounts('waiting', 'active', 'prioritized', 'delayed'), deps.queues.enrich.getJobCounts('waiting', 'active', 'prioritized', 'delayed')]);
      const idle = [...Object.values(i), ...Object.values(e)].every((c) => c === 0);
      const done = n === payloads.length || (n > 0 && n === last && idle);
      last = n;
      return done;
    },
    80_000,
    500,
  );
  let cursor: string | undefined;
  do {
    const r = (await (await fetch(`${base}/api/articles?source=xss-fixture&limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: { id: string }[]; nextCursor?: string | null };
    ids.push(...r.items.map((a) => a.id));
    cursor = r.nextCursor ?? undefined;
  } while (cursor);
  ids = [...new Set(ids)];
  console.log(`xss: ${payloads.length} payloads served in the feed, ${ids.length} articles stored`);
}, 120_000);

afterAll(async () => {
  await running?.close();
  await new Promise((r) => feedServer?.close(r));
  await clearPrefix(prefix);
});

interface Tally {
  pages: number;
  rendered: Set<string>;
  executions: string[];
  /** Requests a payload caused to another origin (images the sanitizer kept, say): recorded and printed, blocked by the route. */
  outside: string[];
  staticFindings: string[];
}

/** The hooks, installed before any script of the page could run: every call reports through the `__xss` binding. */
const HOOKS = `(() => {
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const report = window.__xss;
    Object.defineProperty(window, name, { value: (...args) => { report(name + '(' + args.map(String).join(',') + ')'); return name === 'prompt' ? '' : undefined; }, writable: false, configurable: false });
  }
})();`;

async function instrument(context: BrowserContext, tally: Tally, current: () => string) {
  await context.exposeBinding('__xss', (_src, what: string) => void tally.executions.push(`${what} on ${current()}`));
  await context.addInitScript({ content: HOOKS });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    const type = route.request().resourceType();
    // a script, frame, document, fetch or socket a payload started is execution; an image or style request is only recorded
    if (['script', 'document', 'xhr', 'fetch', 'websocket', 'eventsource', 'other'].includes(type) && !url.startsWith('data:image')) tally.executions.push(`${type} request to ${url.slice(0, 120)} on ${current()}`);
    else tally.outside.push(`${type} ${url.slice(0, 120)}`);
    return route.abort();
  });
}

/** Fires the events payloads wait for at every element, then waits for timers, autofocus and animations. */
async function interact(page: Page, scope: string) {
  await page.evaluate(async (sel) => {
    const events = ['focus', 'focusin', 'blur', 'mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu', 'mouseout', 'mouseleave', 'pointerover', 'pointerenter', 'pointerdown', 'pointerup', 'keydown', 'keypress', 'keyup', 'input', 'change', 'select', 'wheel', 'scroll', 'load', 'error', 'toggle', 'animationstart', 'animationend', 'transitionend', 'dragstart', 'drag', 'drop', 'copy', 'paste', 'cut', 'invalid', 'reset', 'submit', 'beforeinput', 'pageshow', 'hashchange', 'message'];
    // a click on a kept http(s) link would leave the page; javascript: links are let through to be caught
    document.addEventListener('click', (e) => {
      const a = (e.target as Element | null)?.closest?.('a[href], area[href]') as HTMLAnchorElement | null;
      if (a && !/^\s*(javascript|vbscript|data):/i.test(a.getAttribute('href') ?? '')) e.preventDefault();
    }, true);
    for (const el of Array.from(document.querySelectorAll(sel)).flatMap((r) => [r, ...Array.from(r.querySelectorAll('*'))])) {
      if (el instanceof HTMLElement || el instanceof SVGElement) {
        try {
          el.focus();
        } catch {}
      }
      for (const type of events) {
        try {
          el.dispatchEvent(new Event(type, { bubbles: true, cancelable: true }));
        } catch {}
      }
    }
    window.scrollTo(0, document.body.scrollHeight);
    await new Promise((r) => setTimeout(r, 500));
  }, scope);
}

/** What must not be in the DOM after the browser parsed the stored HTML (mutation XSS changes meaning between sanitize and render). */
async function staticCheck(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const found: string[] = [];
    if (document.querySelectorAll('script').length) found.push('a <script> element');
    for (const root of Array.from(document.querySelectorAll(sel))) {
      for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'frame', 'object', 'embed', 'base', 'form', 'applet'].includes(tag) || (tag === 'meta' && el.hasAttribute('http-equiv'))) found.push(`<${tag}>`);
        for (const attr of Array.from(el.attributes)) {
          const name = attr.name.toLowerCase();
          if (name.startsWith('on')) found.push(`${tag}[${name}]`);
          if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(name) && /^\s*(javascript|vbscript|data:text\/html)/i.test([...attr.value].filter((ch) => ch.charCodeAt(0) > 0x20).join(''))) found.push(`${tag}[${name}=${attr.value.slice(0, 40)}]`);
        }
      }
    }
    return found;
  }, scope);
}

async function run(bypassCSP: boolean): Promise<Tally> {
  const tally: Tally = { pages: 0, rendered: new Set(), executions: [], outside: [], staticFindings: [] };
  const browser: LaunchedBrowser = await launchChromium({ bypassCSP, viewport: { width: 1280, height: 900 } });
  const where = new Map<Page, string>();
  try {
    await instrument(browser.context, tally, () => [...where.values()].join(' | '));
    browser.context.on('dialog', (d) => void tally.executions.push(`dialog ${d.type()} ${d.message()}`));
    const visit = async (page: Page, path: string, scope: string, collect: () => Promise<string[]>) => {
      where.set(page, path);
      const res = await page.goto(`${base}${path}`);
      expect(res?.status(), path).toBe(200);
      await interact(page, scope);
      expect(page.url(), `navigation away from ${path}`).toBe(`${base}${path}`);
      for (const f of await staticCheck(page, scope)) tally.staticFindings.push(`${f} on ${path}`);
      for (const id of await collect()) tally.rendered.add(id);
      tally.pages++;
    };
    const listedIds = (page: Page) => page.locator('.items h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace('/articles/', '')));
    const page = await browser.context.newPage();
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && !f.url().startsWith(base)) tally.executions.push(`navigation to ${f.url().slice(0, 120)}`);
    });
    // the list, 100 a page, following the cursor
    let path: string | undefined = '/?source=xss-fixture&limit=100&ui=en';
    while (path) {
      await visit(page, path, '.items', () => listedIds(page));
      path = (await page.locator('a[rel=next]').getAttribute('href').catch(() => null)) ?? undefined;
      if (path && !(await page.locator('a[rel=next]').count())) path = undefined;
    }
    // search, 100 a page: every item's content holds the marker word
    path = `/search?q=${MARKER}&limit=100&ui=en`;
    const searched = new Set<string>();
    while (path) {
      await visit(page, path, '.items', async () => {
        const got = await listedIds(page);
        for (const id of got) searched.add(id);
        return got;
      });
      path = (await page.locator('a[rel=next]').count()) ? ((await page.locator('a[rel=next]').getAttribute('href')) ?? undefined) : undefined;
    }
    expect(searched.size, 'the search finds every stored payload').toBe(ids.length);
    await page.close();
    // every article page, eight tabs at a time (most of a visit is the wait for timers)
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const tab = await browser.context.newPage();
        for (let id = queue.shift(); id; id = queue.shift()) await visit(tab, `/articles/${id}`, 'main h1, main .body', async () => [id]);
        where.delete(tab);
        await tab.close();
      }),
    );
  } finally {
    await browser.close();
  }
  return tally;
}

const report = (label: string, t: Tally) => {
  console.log(
    `xss (${label}): ${payloads.length} payloads, ${ids.length} stored, ${t.rendered.size} rendered on ${t.pages} pages (list, search, every article), ` +
      `${t.executions.length} executed, ${t.staticFindings.length} active-content findings in the DOM, ${t.outside.length} outside requests blocked (images/styles)`,
  );
  for (const e of t.executions.slice(0, 20)) console.log(`  executed: ${e}`);
  for (const f of t.staticFindings.slice(0, 20)) console.log(`  in the DOM: ${f}`);
  for (const o of [...new Set(t.outside)].slice(0, 10)) console.log(`  outside request: ${o}`);
};

describe('the XSS peer suite through ingest and the pages, in Chromium', () => {
  it('stores every payload item', () => {
    expect(ids.length).toBe(payloads.length);
  });

  it('with the pages’ Content-Security-Policy: 0 payloads execute', async () => {
    const t = await run(false);
    report('CSP on', t);
    expect(t.rendered.size).toBe(ids.length);
    expect(t.executions).toEqual([]);
    expect(t.staticFindings).toEqual([]);
  }, 300_000);

  it('with the CSP bypassed, the sanitizer alone: 0 payloads execute', async () => {
    const t = await run(true);
    report('CSP bypassed', t);
    expect(t.rendered.size).toBe(ids.length);
    expect(t.executions).toEqual([]);
    expect(t.staticFindings).toEqual([]);
  }, 300_000);

  it('the hooks catch an execution (control: an unsanitized alert with the CSP bypassed)', async () => {
    const tally: Tally = { pages: 0, rendered: new Set(), executions: [], outside: [], staticFindings: [] };
    const browser = await launchChromium({ bypassCSP: true });
    try {
      await instrument(browser.context, tally, () => 'control');
      const page = await browser.context.newPage();
      await page.goto(`${base}/static/app.css`);
      await page.setContent('<img src=x onerror="alert(1)"><a href="javascript:confirm(2)" id=j>j</a><div onmouseover="prompt(3)">d</div>');
      await interact(page, 'body');
      await page.waitForTimeout(200);
      expect(tally.executions.length).toBeGreaterThanOrEqual(3);
      expect(await staticCheck(page, 'body')).not.toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
