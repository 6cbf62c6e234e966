import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { exited, freePort, ROOT, startProcess } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';
import { EXPECTED_ITEMS as FETCHED_ITEMS, ITEMS_PER_SOURCE } from '../helpers/catalogue.js';
import { newsletter } from '../helpers/newsletters.js';

/** The demo's newsletter (a recorded-shape Mailchimp bundle): the issue and each of its stories. */
const DEMO_ISSUE = newsletter('mailchimp-en-bundle');
const EXPECTED_ITEMS = FETCHED_ITEMS + 1 + DEMO_ISSUE.stories.length;

/** `npm run demo`, as a newcomer runs it: the built CLI serving recorded fixtures of the default sources. */
const prefix = uniquePrefix('demo');
let demo: Awaited<ReturnType<typeof startProcess>>;
let base: string;

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  return { res, body: res.headers.get('content-type')?.includes('json') ? ((await res.json()) as any) : await res.text() };
};
const titles = (body: any): string[] => body.items.map((a: any) => a.title);

let env: NodeJS.ProcessEnv;
const ADMIN = 'demo-admin-token-0123456789';
/** Starts the demo and waits for "a filled feed within a minute". */
async function startDemo(): Promise<void> {
  const started = Date.now();
  demo = await startProcess(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'demo'], { env, ready: /Regionradar demo/ });
  await waitFor('the demo feed to fill', async () => (await get('/api/articles?limit=100')).body.items?.length === EXPECTED_ITEMS, 60_000 - (Date.now() - started), 200);
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = { PORT: String(port), DEMO_FIXTURES_PORT: String(await freePort()), QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-demo-')), LOG_LEVEL: 'warn', ADMIN_TOKEN: ADMIN };
  await startDemo();
});

afterAll(async () => {
  demo?.kill('SIGTERM');
  if (demo) expect(await exited(demo)).toBe(0);
  await clearPrefix(prefix);
});

describe('npm run demo', () => {
  it('GET /api/articles?lang=nno returns the nynorsk seed', async () => {
    const { res, body } = await get('/api/articles?lang=nno&limit=100');
    expect(res.status).toBe(200);
    expect(titles(body)).toContain('Verkstad for regional utvikling');
    for (const a of body.items) expect(a.language).toBe('nno');
  });

  it('GET /api/articles?theme=smart-specialisation returns seeds 000, 001 and 004', async () => {
    const { body } = await get('/api/articles?theme=smart-specialisation&limit=100');
    expect(titles(body)).toEqual(
      expect.arrayContaining(['Verkstad for regional utvikling', 'Veileder i smart spesialisering', 'EU vill se mer samarbete mellan regioner kring smart specialisering']),
    );
    expect(titles(body)).not.toContain('Håndtrykk for bedre regionalt samarbeid');
  });

  it('/feeds/all.atom is well-formed Atom 1.0 with the articles', async () => {
    const { res, body } = await get('/feeds/all.atom?limit=100');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(body as string)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(body as string);
    expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const el of ['id', 'title', 'updated', 'author']) expect(doc.feed[el]).toBeDefined();
    expect(doc.feed.entry).toHaveLength(EXPECTED_ITEMS);
    for (const e of doc.feed.entry) {
      expect(e.id).toMatch(/^urn:regionradar:article:[A-Za-z0-9_-]{22}$/);
      expect(Number.isNaN(Date.parse(e.updated))).toBe(false);
      // The alternate link first; a story's other reports follow as rel="related".
      const links = [e.link].flat();
      expect(links[0]['@_rel']).toBe('alternate');
      for (const l of links) expect(l['@_href']).toMatch(/^https?:\/\/[^/]+\//);
    }
  });

  it('a newsletter delivered by SMTP is published: the issue under its web version, and its stories', async () => {
    const { body } = await get('/api/articles?source=demo-newsletter&limit=100');
    expect(titles(body).sort()).toEqual([DEMO_ISSUE.subject, ...DEMO_ISSUE.stories.map((s) => s.title)].sort());
    expect(body.items.find((a: any) => a.title === DEMO_ISSUE.subject)).toMatchObject({ language: 'eng', mailAuth: { spf: expect.any(String), dkim: 'none', dmarc: expect.any(String) } });
  });

  it('/api/sources shows every default source fetched, and the newsletter received', async () => {
    const { body } = await get('/api/sources');
    expect(body.items).toHaveLength(ITEMS_PER_SOURCE.size + 1);
    expect(body.items.find((s: any) => s.id === 'demo-newsletter')).toMatchObject({ kind: 'newsletter', status: 'ok', itemCount: 1 + DEMO_ISSUE.stories.length });
    // A scheduled run may already have come round and got a 304: healthy too.
    for (const s of body.items.filter((x: any) => x.kind !== 'newsletter')) {
      expect(['ok', 'not-modified']).toContain(s.status);
      expect(s).toMatchObject({ lastError: null, consecutiveFailures: 0 });
      expect(s.itemCount).toBe(ITEMS_PER_SOURCE.get(s.id));
    }
  });

  it('reads the bokmål headlines of bokmål sources as bokmål', async () => {
    for (const source of ['ks-lokaldemokrati', 'nfk-aktuelt']) {
      const { body } = await get(`/api/articles?source=${source}&limit=100`);
      expect(body.items.length).toBeGreaterThan(0);
      for (const a of body.items) expect([a.title, a.language]).toEqual([a.title, 'nob']);
    }
  });

  it('groups the Nordregio and Stockholm EU office reports of the Innovation Summit into one story, and nothing unrelated', async () => {
    // The outbox groups stories each minute in which something was stored.
    await waitFor('the stories pass', async () => (await get('/api/stories')).body.items?.length > 0, 80_000, 1_000);
    const { body } = await get('/api/stories');
    expect(body.items).toHaveLength(1);
    expect([...body.items[0].sources].sort()).toEqual(['nordregio-news', 'stockholmregion-eu']);
    expect(body.items[0].languages.sort()).toEqual(['eng', 'swe']);
    const { body: nordregio } = await get('/api/articles?source=nordregio-news&limit=100');
    const summit = nordregio.items.find((a: any) => /Innovation Summit/.test(a.title));
    expect(summit.alsoReportedBy.map((m: any) => m.source)).toEqual(['stockholmregion-eu']);
  });

  it('/metrics shows what the first run did: fetches, items, stores, queues, requests and the process', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (re: RegExp) => [...text.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(value(/^regionradar_fetches_total\{[^}]*source="nordregio-news"[^}]*outcome="ok"[^}]*\} (\d+)/gm)).toBeGreaterThan(0);
    expect(value(/^regionradar_items_queued_total\{[^}]*\} (\d+)/gm)).toBeGreaterThan(0);
    expect(value(/^regionradar_articles_stored_total\{[^}]*\} (\d+)/gm)).toBeGreaterThanOrEqual(FETCHED_ITEMS);
    expect(value(/^regionradar_enrich_seconds_count\{[^}]*\} (\d+)/gm)).toBeGreaterThan(0);
    expect(value(/^regionradar_store_write_seconds_count\{[^}]*\} (\d+)/gm)).toBeGreaterThan(0);
    expect(text).toMatch(/^regionradar_queue_jobs\{[^}]*queue="ingest"[^}]*state="waiting"[^}]*\} \d+/m);
    expect(text).toMatch(/^regionradar_queue_oldest_waiting_seconds\{[^}]*queue="enrich"[^}]*\} [\d.]+/m);
    expect(value(/^regionradar_http_request_duration_seconds_count\{[^}]*route="\/api\/articles"[^}]*\} (\d+)/gm)).toBeGreaterThan(0);
    expect(value(/^regionradar_process_resident_memory_bytes\{[^}]*\} (\d+)/gm)).toBeGreaterThan(0);
  });

  it('Bull Board answers at /admin/queues with the admin token and 401 without', async () => {
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: 'Basic ' + Buffer.from('x:wrong').toString('base64') } })).status).toBe(401);
    const auth = { authorization: 'Basic ' + Buffer.from(`admin:${ADMIN}`).toString('base64') };
    const page = await fetch(`${base}/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Regionradar queues');
    // Its script is served from the same path, and the page's policy lets it (and only same-origin script) run.
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(html).toContain('<base href="/admin/queues/"');
    const js = await fetch(new URL(script!, `${base}/admin/queues/`), { headers: auth });
    expect([js.status, js.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: auth });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['digests', 'enrich', 'ingest']);
    expect((await fetch(`${base}/admin/queues/api/queues`)).status).toBe(401);
  });

  it('keeps its article ids across a restart: the fixtures are served at the same URLs', async () => {
    const ids = async () => ((await get('/api/articles?limit=100')).body.items as Array<{ id: string }>).map((a) => a.id).sort();
    const before = await ids();
    demo.kill('SIGTERM');
    expect(await exited(demo)).toBe(0);
    await startDemo();
    expect(await ids()).toEqual(before);
  });
});
