import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { runIngest } from '../../src/jobs/ingest.js';
import { createStaticCatalogue } from '../../src/sources/catalogue.js';
import type { ArticleDraft } from '../../src/model/article.js';
import type { Source } from '../../src/sources/schema.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';

const REAL_PAGE = readFileSync(join(import.meta.dirname, '../../../shared/fixtures/real/regjeringen-horing-id3167072-nb.html'));
const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Høringer</title>
  <item><title>Kort høring – avskogingsforordningen</title><link>/a/3167072.html</link><description>Departementet sender på høring et forslag.</description></item>
  <item><title>Borte</title><link>/a/gone.html</link><description>Denne siden finnes ikke lenger.</description></item>
  <item><title>Forbudt</title><link>/private/a.html</link><description>Robots.txt sier nei.</description></item>
</channel></rss>`;
const hits: string[] = [];
let server: Server;
let base: string;
let deps: Deps;
const prefix = uniquePrefix('fulltext');

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/robots.txt') return res.end('User-agent: *\nDisallow: /private/\n');
    if (req.url === '/feed.xml') return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
    if (req.url === '/a/3167072.html' || req.url === '/private/a.html') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(REAL_PAGE);
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  deps = await createDeps(shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-fulltext-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1' }));
});

afterAll(async () => {
  await deps?.close();
  await new Promise((r) => server?.close(r));
  await clearPrefix(prefix);
});

async function ingest(fullText: Source['fullText']): Promise<ArticleDraft[]> {
  const source: Source = { id: `ft-${hits.length}`, name: 'Høringer', url: `${base}/feed.xml`, kind: 'feed', country: 'NO', schedule: { every: 3_600_000, jitter: 0 }, enabled: true, fullText };
  const queued: ArticleDraft[] = [];
  await runIngest(
    { sourceId: source.id },
    { ...deps, catalogue: createStaticCatalogue([source]), knownHashes: async () => new Map(), enqueueEnrich: async (d) => void queued.push(...d) },
  );
  return queued;
}

describe('full-article extraction over HTTP', () => {
  it.each([
    ['the source’s selector', { selector: 'div.article-body', maxPerRun: 10 }],
    ['Readability', { maxPerRun: 10 }],
  ])('replaces a summary with the article body found by %s; failures keep the summary; robots.txt is obeyed', async (_how, fullText) => {
    const drafts = await ingest(fullText);
    const [article, gone, forbidden] = drafts;
    expect(article!.contentText).toMatch(/avskogingsforordning/i);
    expect(article!.contentText.length).toBeGreaterThan(500);
    expect(article!.contentHtml).not.toMatch(/<script/i);
    expect(gone!.contentText).toBe('Denne siden finnes ikke lenger.');
    expect(forbidden!.contentText).toBe('Robots.txt sier nei.');
    expect(hits).not.toContain('/private/a.html');
  });

  it('fetches no page when the source does not ask for full text, and keeps the hash of what the feed said', async () => {
    const before = hits.length;
    const plain = await ingest(undefined);
    expect(hits.slice(before).filter((h) => h.startsWith('/a/'))).toEqual([]);
    const full = await ingest({ maxPerRun: 10 });
    expect(full[0]!.contentHash).toBe(plain[0]!.contentHash);
  });
});
