import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../src/deps.js';
import { runIngest } from '../../src/jobs/ingest.js';
import { enrichArticle } from '../../src/jobs/enrich.js';
import type { Article, ArticleDraft } from '../../src/model/article.js';
import { createLogger } from '../../src/observability/log.js';
import { buildSynonyms } from '../../src/search/analyze.js';
import { createStaticCatalogue } from '../../src/sources/catalogue.js';
import { sourceSchema } from '../../src/sources/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { createMeiliStore } from '../../src/store/meili/index.js';
import type { ArticleStore } from '../../src/store/port.js';
import { startLocalMeili } from '../../bench/meili-server.js';
import { receiveMail } from '../../src/newsletters/receive.js';
import { createSqliteInboxStore } from '../../src/newsletters/inbox/sqlite.js';
import { noDns } from '../../src/newsletters/auth.js';
import { shippedConfig } from '../helpers/config.js';
import { makePdf, makePdfBomb } from '../helpers/pdf.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';

// A county's report in bokmål. The words in ONLY_IN_PDF occur in no feed text: finding the article by
// them shows the document's text was read, tagged and indexed.
const ONLY_IN_PDF = ['tareskogsnæringen', 'kystkommunebarometeret'];
const PAGES = [
  ['Regional forskningsfond Nordland', 'Denne rapporten oppsummerer arbeidet med smart spesialisering i Nordland fylkeskommune 2024–2026.'],
  ['Kapittel 1: Kunnskapsgrunnlag', 'Kystkommunebarometeret viser hvordan 41 kommuner følger opp strategien for smart spesialisering, med prioriterte styrkeområder innen havbruk og reiseliv.'],
  ['Kapittel 2: Bioøkonomi', 'Tareskogsnæringen er en ny verdikjede i bioøkonomien: tare høstes og foredles til fôr, gjødsel og biobaserte produkter i kystsamfunnene.'],
  ['Kapittel 3: Kompetanse', 'Fylkeskommunen vil styrke kompetansetilbudet i regionen, og partnerskapet med næringslivet og universitetene fortsetter.'],
];
const HUGE = 60 * 1024 * 1024;

let server: Server;
let base: string;
let deps: Deps;
let pdf: Uint8Array;
let bomb: Uint8Array;
const logs: string[] = [];
const prefix = uniquePrefix('documents');

const feed = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nordland fylkeskommune</title><link>${base}/</link><language>nb</language>
<item><title>Ny rapport fra regionalt forskningsfond</title><link>${base}/aktuelt/rapport</link><guid>${base}/aktuelt/rapport</guid>
<pubDate>Fri, 20 Nov 2026 08:00:00 +0100</pubDate><description>&lt;p&gt;Fylket har lagt fram en ny rapport. &lt;a href="/docs/rapport.pdf"&gt;Les rapporten (PDF)&lt;/a&gt;&lt;/p&gt;</description></item>
<item><title>Store og farlige vedlegg</title><link>${base}/aktuelt/vedlegg</link><guid>${base}/aktuelt/vedlegg</guid>
<pubDate>Thu, 19 Nov 2026 08:00:00 +0100</pubDate><description>&lt;p&gt;Tre vedlegg: &lt;a href="/docs/huge.pdf"&gt;stor&lt;/a&gt;, &lt;a href="/docs/huge-chunked.pdf"&gt;stor uten lengde&lt;/a&gt; og &lt;a href="/docs/bomb.pdf"&gt;bombe&lt;/a&gt;.&lt;/p&gt;</description></item>
</channel></rss>`;

beforeAll(async () => {
  pdf = await makePdf(PAGES, { title: 'Smart spesialisering i Nordland – statusrapport 2026' });
  bomb = await makePdfBomb(1024);
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    if (req.url === '/feed.xml') return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed());
    if (req.url === '/docs/rapport.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
    if (req.url === '/docs/bomb.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(bomb);
    if (req.url === '/docs/huge.pdf' || req.url === '/docs/huge-chunked.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', ...(req.url === '/docs/huge.pdf' ? { 'content-length': String(HUGE) } : {}) });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      chunk.write('%PDF-1.7\n');
      let sent = 0;
      const pump = () => {
        while (sent < HUGE) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const log = createLogger('warn', new Writable({ write: (chunk, _enc, done) => void (logs.push(String(chunk)), done()) }) as never);
  deps = await createDeps(shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-documents-')), ALLOW_PRIVATE_HOSTS: '127.0.0.1' }), { log });
});

afterAll(async () => {
  await deps?.close();
  await new Promise((r) => server?.close(r));
  await clearPrefix(prefix);
});

const source = () =>
  sourceSchema.parse({ id: 'nfk-rapporter', name: 'Nordland fylkeskommune', url: `${base}/feed.xml`, kind: 'feed', country: 'NO', region: 'NO-18', language: 'nob', documents: { maxPerRun: 10, maxBytes: 50_000_000 } });

/** Ingests the source once, sampling this process's resident memory while it runs. */
async function ingest(): Promise<{ articles: Article[]; peakGrowthMb: number }> {
  const s = source();
  const queued: ArticleDraft[] = [];
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    await runIngest({ sourceId: s.id, force: true }, { ...deps, catalogue: createStaticCatalogue([s]), knownHashes: async () => new Map(), enqueueEnrich: async (d) => void queued.push(...d), log: deps.log });
  } finally {
    clearInterval(sampler);
  }
  return { articles: queued.map((d) => enrichArticle(d, deps)), peakGrowthMb: (peak - baseline) / 1024 / 1024 };
}

let result: Awaited<ReturnType<typeof ingest>>;

describe('PDFs linked from feed items', () => {
  beforeAll(async () => {
    result = await ingest();
  }, 120_000);

  it('reads a linked bokmål report: title, page count and text on the article, its words used for language and themes', () => {
    const report = result.articles.find((a) => a.url.endsWith('/aktuelt/rapport'))!;
    expect(report.documents).toEqual([
      { url: `${base}/docs/rapport.pdf`, title: 'Smart spesialisering i Nordland – statusrapport 2026', pages: 4, bytes: pdf.length, text: expect.stringContaining('Tareskogsnæringen') },
    ]);
    expect(report.language).toBe('nob');
    expect(report.themes.map((t) => t.id)).toEqual(expect.arrayContaining(['smart-specialisation', 'bioeconomy']));
    for (const word of ONLY_IN_PDF) expect(`${report.title} ${report.summary} ${report.contentText}`.toLowerCase()).not.toContain(word);
  });

  it('refuses a 60 MB PDF (declared or not) and a PDF bomb, without this process growing past its cap', () => {
    const other = result.articles.find((a) => a.url.endsWith('/aktuelt/vedlegg'))!;
    expect(other.documents).toBeUndefined();
    const refused = logs.filter((l) => l.includes('linked document not read'));
    expect(refused.find((l) => l.includes('/docs/huge.pdf'))).toMatch(/body larger than 50000000 bytes \(Content-Length: 62914560\)/);
    expect(refused.find((l) => l.includes('/docs/huge-chunked.pdf'))).toMatch(/body larger than 50000000 bytes/);
    expect(refused.find((l) => l.includes('/docs/bomb.pdf'))).toMatch(/"reason":"memory"/);
    // The bomb inflates to 1 GiB: read in this process, it would have grown by that much.
    expect(result.peakGrowthMb).toBeLessThan(200);
  });

  it('reads the PDF a newsletter issue links to, for a newsletter source with documents', async () => {
    const nl = sourceSchema.parse({ id: 'nfk-nyhetsbrev', name: 'Nordland fylkeskommune – nyhetsbrev', kind: 'newsletter', url: 'https://www.nfk.no/', country: 'NO', newsletter: { token: 'nfk' }, documents: { maxPerRun: 2 } });
    const queued: ArticleDraft[] = [];
    const raw = Buffer.from(
      [
        'From: Nordland fylkeskommune <nyhetsbrev@nfk.example>',
        'To: nfk@in.radar.test',
        'Subject: Nyhetsbrev: ny statusrapport',
        'Date: Fri, 20 Nov 2026 08:00:00 +0100',
        'Message-ID: <rapport-1@nfk.example>',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>Fylket har lagt fram statusrapporten. <a href="${base}/docs/rapport.pdf">Les rapporten (PDF)</a></p>`,
        '',
      ].join('\r\n'),
    );
    const outcome = await receiveMail(raw, { via: 'smtp', recipients: ['nfk@in.radar.test'], ip: '127.0.0.1' }, {
      catalogue: createStaticCatalogue([nl]),
      inbox: createSqliteInboxStore(':memory:'),
      knownHashes: async () => new Map(),
      enqueueEnrich: async (d) => void queued.push(...d),
      baseUrl: 'https://radar.example',
      resolver: noDns,
      documents: { http: deps.http, robots: deps.robots, userAgent: deps.userAgent },
      log: deps.log,
    });
    expect(outcome).toMatchObject({ kind: 'published', sourceId: 'nfk-nyhetsbrev' });
    expect(queued[0]!.documents).toEqual([expect.objectContaining({ url: `${base}/docs/rapport.pdf`, pages: 4 })]);
    expect(enrichArticle(queued[0]!, deps).themes.map((t) => t.id)).toContain('bioeconomy');
  });

  describe.each([
    ['SQLite', async () => createSqliteStore(':memory:', { synonyms: buildSynonyms(deps.config.taxonomy) })],
    [
      'Meilisearch',
      async () => {
        const meili = await startLocalMeili();
        if ('skip' in meili) throw new Error(meili.skip);
        const store = createMeiliStore({ host: meili.host, apiKey: meili.apiKey, index: 'documents', synonyms: buildSynonyms(deps.config.taxonomy) });
        return Object.assign(store, { close: async () => meili.stop() });
      },
    ],
  ] as const)('%s', (_name, open) => {
    let store: ArticleStore;
    beforeAll(async () => {
      store = await open();
      await store.upsertBatch(result.articles);
    }, 60_000);
    afterAll(async () => store?.close());

    it.each(ONLY_IN_PDF)('finds the article by "%s", a word only its PDF holds', async (word) => {
      const hits = await store.search({ q: word, filter: {}, limit: 10, offset: 0 });
      expect(hits.items.map((a) => a.url)).toEqual([`${base}/aktuelt/rapport`]);
      const stored = await store.get(hits.items[0]!.id);
      expect(stored!.documents![0]).toMatchObject({ pages: 4, title: expect.stringContaining('Smart spesialisering') });
    });
  });
});
