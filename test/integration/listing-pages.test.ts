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

/** Pages 1–3 of a listing, each linking to the next; page 3 links back to page 1. */
const page = (n: number) => `<html lang="nb"><body><ul>
  <li class="item"><a href="/nyheter/${n}a">Sak ${n}a</a><span class="d">0${n}.10.2026</span></li>
  <li class="item"><a href="/nyheter/${n}b">Sak ${n}b</a><span class="d">0${n}.10.2026</span></li>
</ul><a class="next" href="/nyheter/?side=${n === 3 ? 1 : n + 1}">Eldre</a></body></html>`;
const hits: string[] = [];
let server: Server;
let base: string;
let deps: Deps;
const prefix = uniquePrefix('pages');

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('side') ?? '1');
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    if (n === 2 && hits.filter((h) => h.includes('side=2')).length > 1) return res.writeHead(500).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(n));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  deps = await createDeps(shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-pages-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1' }));
});

afterAll(async () => {
  await deps?.close();
  await new Promise((r) => server?.close(r));
  await clearPrefix(prefix);
});

async function ingest(pages: number): Promise<ArticleDraft[]> {
  const source: Source = {
    id: `pages-${pages}-${hits.length}`,
    name: 'Nyheter',
    url: `${base}/nyheter/?side=1`,
    kind: 'listing',
    country: 'NO',
    schedule: { every: 3_600_000, jitter: 0 },
    enabled: true,
    listing: { item: 'li.item', title: 'a', link: 'a', date: '.d', dateFormat: 'dd.MM.yyyy', locale: 'nb', next: 'a.next', pages },
  };
  const queued: ArticleDraft[] = [];
  await runIngest({ sourceId: source.id }, { ...deps, catalogue: createStaticCatalogue([source]), knownHashes: async () => new Map(), enqueueEnrich: async (d) => void queued.push(...d) });
  return queued;
}

describe('listing pages', () => {
  it('follows next links up to the configured number of pages, never looping back', async () => {
    expect((await ingest(1)).map((d) => d.title)).toEqual(['Sak 1a', 'Sak 1b']);
    expect((await ingest(5)).map((d) => d.title)).toEqual(['Sak 1a', 'Sak 1b', 'Sak 2a', 'Sak 2b', 'Sak 3a', 'Sak 3b']);
  });

  it('keeps the items of the pages it got when a later page fails', async () => {
    expect((await ingest(3)).map((d) => d.title)).toEqual(['Sak 1a', 'Sak 1b']);
  });
});
