import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { runIngest } from '../../src/jobs/ingest.js';
import { createStaticCatalogue } from '../../src/sources/catalogue.js';
import type { ArticleDraft } from '../../src/model/article.js';
import type { Source } from '../../src/sources/schema.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';

/** A JSON Feed 1.1 source, as the fetcher's Accept header (application/feed+json) invites. */
const FEED = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Nordregio – News',
  home_page_url: '/news/',
  language: 'en',
  items: [
    { id: 'a', url: '/news/a/?utm_source=feed', title: 'Nordic regions in figures', content_html: '<p>Regional <em>development</em> data.</p>', date_published: '2026-11-20T09:00:00+01:00' },
    { id: 'b', url: '/news/b/', title: 'Smart specialisation in the Arctic', content_text: 'Arctic regions compare their S3 strategies.', date_published: '2026-11-19T09:00:00Z' },
  ],
};
let server: Server;
let base: string;
let deps: Deps;
const accepts: string[] = [];
const prefix = uniquePrefix('json-feed');

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    accepts.push(String(req.headers.accept));
    if (req.url === '/feed.json') return res.writeHead(200, { 'content-type': 'application/feed+json' }).end(JSON.stringify(FEED));
    if (req.url === '/broken.json') return res.writeHead(200, { 'content-type': 'application/feed+json' }).end('{"version": "https://jsonfeed.org/version/1.1", "items": [');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  deps = await createDeps(shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-json-feed-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1' }));
});

afterAll(async () => {
  await deps?.close();
  await new Promise((r) => server?.close(r));
  await clearPrefix(prefix);
});

const source = (path: string): Source => ({ id: `json-${path.replace(/\W/g, '')}`, name: 'Nordregio', url: `${base}${path}`, kind: 'feed', country: 'SE', schedule: { every: 3_600_000, jitter: 0 }, enabled: true });

async function ingest(s: Source): Promise<ArticleDraft[]> {
  const queued: ArticleDraft[] = [];
  await runIngest({ sourceId: s.id }, { ...deps, catalogue: createStaticCatalogue([s]), knownHashes: async () => new Map(), enqueueEnrich: async (d) => void queued.push(...d) });
  return queued;
}

it('ingests a JSON Feed source over HTTP: canonical URLs, UTC dates, sanitized content', async () => {
  const drafts = await ingest(source('/feed.json'));
  expect(accepts[0]).toContain('application/feed+json');
  expect(drafts.map((d) => d.url)).toEqual([`${base}/news/a/`, `${base}/news/b/`]);
  expect(drafts[0]).toMatchObject({ title: 'Nordic regions in figures', publishedAt: '2026-11-20T08:00:00.000Z', declaredLanguage: 'en', sourceId: 'json-feedjson' });
  expect(drafts[0]!.contentText).toContain('Regional development data.');
  expect(drafts[1]!.contentText).toBe('Arctic regions compare their S3 strategies.');
});

it('records a broken JSON Feed as the source’s parse error, naming the source and URL', async () => {
  const s = source('/broken.json');
  await expect(ingest(s)).rejects.toThrow(/not a readable JSON Feed.*source json-brokenjson, url http:\/\/127\.0\.0\.1:\d+\/broken\.json/);
});
