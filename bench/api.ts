/**
 * The API under load on a large embedded store: N synthetic articles (default 1,000,000) in six
 * languages with themes, regions and sources are written to a fresh SQLite store, then
 * `regionradar api` is started on it and autocannon (on 127.0.0.1) drives four scenarios — the feed
 * listing with filters, search, and the web reader's HTML pages `/` (the stream, filtered) and
 * `/search?q=…` — printing p50/p99 latency, requests per second and the server's peak memory (VmHWM).
 *
 * With `--engine meili` the articles (default 100,000) go to a Meilisearch 1.21 started on 127.0.0.1
 * from the test binary, and the API runs on it; with `--engine postgres`, to a private PostgreSQL
 * cluster started for the run (fsync on; bench/postgres-server.ts). `--data-dir DIR` keeps the embedded store in DIR and
 * reuses it when it already holds the articles, so that runs after the first skip the writing.
 *
 * The API runs in `--processes` processes (API_PROCESSES, default 2: one per core here).
 *
 *   npm run bench:api [-- --engine sqlite|meili|postgres --articles N --seconds 15 --connections 16 --processes 2 --data-dir DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/index.js';
import { openStore } from '../src/store/index.js';
import type { Article } from '../src/model/article.js';
import { startLocalMeili } from './meili-server.js';
import { startLocalPostgres } from './postgres-server.js';
import { freePort } from './ports.js';
import { articleId } from '../src/pipeline/normalize/id.js';

const text = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) => Number(text(name) ?? fallback);
const ENGINE = text('engine') ?? 'sqlite';
if (ENGINE !== 'sqlite' && ENGINE !== 'meili' && ENGINE !== 'postgres') throw new Error(`--engine must be sqlite, meili or postgres, not ${ENGINE}`);
const ARTICLES = arg('articles', ENGINE === 'meili' ? 100_000 : 1_000_000);
const SECONDS = arg('seconds', 15);
const CONNECTIONS = arg('connections', 16);
/** API processes (API_PROCESSES); one per core by default. */
const PROCESSES = arg('processes', 2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Words per language for synthetic text: function words and the domain's vocabulary, so that stems and themes occur as in real articles. */
const VOCAB: Record<string, string[]> = {
  nob: 'og i på for med til av som det er en et de ikke kommunene fylkeskommunen regjeringen utvikling næringsliv innovasjon samarbeid regionalt partnerskap smart spesialisering grønn omstilling bærekraftig vekst distriktene befolkning kompetanse arbeidskraft forskning bedrifter eksport digitalisering Nordland Trøndelag Tromsø Oslo Agder'.split(' '),
  nno: 'og i på for med til av som det er ein eit dei ikkje kommunane fylkeskommunen regjeringa utvikling næringsliv innovasjon samarbeid regionalt partnarskap smart spesialisering grøn omstilling berekraftig vekst distrikta folketal kompetanse arbeidskraft forsking verksemder eksport digitalisering Vestland Møre Romsdal Førde'.split(' '),
  swe: 'och i på för med till av som det är en ett de inte kommunerna regionen regeringen utveckling näringsliv innovation samverkan regionalt partnerskap smart specialisering grön omställning hållbar tillväxt landsbygden befolkning kompetensförsörjning forskning företag export digitalisering Västerbotten Norrbotten Skåne Göteborg Umeå'.split(' '),
  dan: 'og i på for med til af som det er en et de ikke kommunerne regionen regeringen udvikling erhvervsliv innovation samarbejde regionalt partnerskab smart specialisering grøn omstilling bæredygtig vækst landdistrikter befolkning kompetence arbejdskraft forskning virksomheder eksport digitalisering Midtjylland Syddanmark Aarhus'.split(' '),
  fin: 'ja on ei että se kunnat maakunnan hallitus kehittäminen elinkeinoelämä innovaatio yhteistyö alueellinen kumppanuus älykäs erikoistuminen vihreä siirtymä kestävä kasvu maaseutu väestö osaaminen työvoima tutkimus yritykset vienti digitalisaatio Lappi Uusimaa Oulu'.split(' '),
  eng: 'and in on for with to of as it is a the not municipalities region government development business innovation cooperation regional partnership smart specialisation green transition sustainable growth rural population skills labour research companies export digitalisation Nordic Arctic'.split(' '),
};
const LANGS = Object.keys(VOCAB);
const THEMES = ['smart-specialisation', 'regional-partnership', 'green-transition', 'rural-urban', 'skills-labour', 'research-innovation', 'business-development', 'digitalisation'];
/** The shipped catalogue's source ids: the API refuses a `source` it does not know. */
const SOURCES = loadConfig({ CONFIG_DIR: join(root, 'config') }).sources.map((s) => s.id);
const COUNTRY: Record<string, string> = { nob: 'NO', nno: 'NO', swe: 'SE', dan: 'DK', fin: 'FI', eng: 'SE' };

/** A deterministic pseudo-random stream, so that runs compare. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Filler words: 40,000 pseudo-words from syllables, drawn with a Zipf-like skew as real vocabularies are. */
const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ha he hi ho ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo'.split(' ');
const FILLER = Array.from({ length: 40_000 }, (_, i) => SYLLABLES[i % 60]! + SYLLABLES[Math.floor(i / 60) % 60]! + (i >= 3600 ? SYLLABLES[Math.floor(i / 3600) % 60]! : ''));

function synthetic(i: number, rand: () => number): Article {
  const lang = LANGS[i % LANGS.length]!;
  const vocab = VOCAB[lang]!;
  // Mostly filler, one word in eight from the language's domain vocabulary: queries hit a realistic share of articles.
  const word = () => (rand() < 0.125 ? vocab[Math.floor(rand() * vocab.length)] : FILLER[Math.floor(FILLER.length * rand() ** 3)]);
  const text = (n: number) => Array.from({ length: n }, word).join(' ');
  const title = text(8);
  const summary = text(30);
  const body = text(120);
  const url = `https://bench.test/${i}`;
  const themes = THEMES.filter(() => rand() < 0.2).map((id) => ({ id, score: 2, terms: [] }));
  const sourceId = SOURCES[i % SOURCES.length]!;
  return {
    id: articleId(url),
    sourceId,
    url,
    title,
    summary,
    contentHtml: `<p>${body}</p>`,
    contentText: body,
    publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
    fetchedAt: '2026-11-01T00:00:00.000Z',
    contentHash: `h${i}`,
    language: lang,
    languageConfidence: 0.9,
    themes,
    regions: [],
    countries: [COUNTRY[lang]!],
    country: COUNTRY[lang],
    tagVersion: 1,
    fromPublisher: true,
    sources: [{ sourceId, contentHash: `h${i}`, fetchedAt: '2026-11-01T00:00:00.000Z', fromPublisher: true }],
  };
}

/** The pids of a process's children (the API's cluster processes). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function peakRssMb(pid: number): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return hwm ? Math.round(Number(hwm) / 1024) : NaN;
}

async function load(title: string, url: string, paths: string[]) {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length]! }) }],
  });
  const errors = result.errors + result.non2xx;
  console.log(`${title}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${Math.round(result.requests.average)} requests/s${errors ? `, ${errors} errors` : ''}`);
}

async function main() {
  const keep = text('data-dir');
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'rr-bench-api-'));
  const meili = ENGINE === 'meili' ? await startLocalMeili({ timeoutMs: 60_000 }) : undefined;
  if (meili && 'skip' in meili) throw new Error(`cannot run Meilisearch here: ${meili.skip}`);
  const postgres = ENGINE === 'postgres' ? await startLocalPostgres({ durable: true }) : undefined;
  const env = {
    ...process.env,
    CONFIG_DIR: join(root, 'config'),
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `bench-api-${process.pid}`,
    LOG_LEVEL: 'warn',
    ...(meili ? { MEILI_HOST: meili.host, MEILI_API_KEY: meili.apiKey } : {}),
    ...(postgres ? { DATABASE_URL: await postgres.createDatabase() } : {}),
  };
  const config = loadConfig(env);
  const store = await openStore(config);
  const stored = await store.count();
  if (stored >= ARTICLES) {
    console.log(`store: ${stored} articles already in ${dataDir}`);
  } else {
    const rand = rng(42);
    const t0 = performance.now();
    for (let i = 0; i < ARTICLES; i += 5000) {
      await store.upsertBatch(Array.from({ length: Math.min(5000, ARTICLES - i) }, (_, k) => synthetic(i + k, rand)));
      if ((i / 5000) % 20 === 0) process.stderr.write(`\rwriting ${i + 5000}/${ARTICLES}`);
    }
    const writeS = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    console.log(`store (${ENGINE}): ${ARTICLES} articles written in ${writeS.toFixed(0)} s (${Math.round(ARTICLES / writeS)} articles/s)`);
  }
  await store.close();
  if (env.DATABASE_URL) {
    // After a bulk load the planner has no statistics yet (autovacuum gathers them within a minute or so):
    // gather them now, as an operator would after a migration, so the first requests are planned as later ones.
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    await client.query('ANALYZE');
    await client.end();
  }

  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, [join(root, 'dist', 'src', 'cli.js'), 'api'], {
    env: { ...env, PORT: String(port), LOG_LEVEL: 'info', API_PROCESSES: String(PROCESSES) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let listening = 0;
    server.stdout!.on('data', (d: Buffer) => {
      listening += String(d).split('API listening').length - 1;
      if (listening >= PROCESSES) resolve();
    });
    server.once('exit', (code) => reject(new Error(`api exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const feedPaths = [
    '/api/articles?limit=20',
    '/api/articles?lang=nob&theme=green-transition&limit=20',
    '/api/articles?country=SE&limit=20',
    `/api/articles?source=${SOURCES[7]}&theme=skills-labour&limit=20`,
    '/feeds/all.atom?lang=swe&limit=20',
  ];
  const searchPaths = ['smart+spesialisering', 'grön+omställning', 'Tromso', 'innovasjon+samarbeid', 'kestävä+kasvu', 'regional+partnership', 'digitalisering', 'befolkning+distriktene'].map(
    (q) => `/api/search?q=${q}&limit=20`,
  );
  // The web reader's server-rendered pages: the stream (/) and search (/search), the same filters and queries as HTML.
  const pagePaths = ['/', '/?lang=nob&theme=green-transition', '/?country=SE', `/?source=${SOURCES[7]}&theme=skills-labour`, '/?lang=swe'];
  const searchPagePaths = searchPaths.map((p) => p.replace('/api/search?', '/search?').replace('&limit=20', ''));
  await load(`feed listing (${feedPaths.length} filter mixes)`, base, feedPaths);
  await load(`search (${searchPaths.length} queries, facets and highlights)`, base, searchPaths);
  await load(`HTML page / (${pagePaths.length} filter mixes)`, base, pagePaths);
  await load(`HTML page /search (${searchPagePaths.length} queries)`, base, searchPagePaths);
  const apiPids = [server.pid!, ...childPids(server.pid!)];
  const apiRss = apiPids.map(peakRssMb);
  console.log(`server peak RSS: ${apiRss.reduce((a, b) => a + b, 0)} MB in ${apiPids.length} API processes (${apiRss.join(' + ')})${meili ? `; Meilisearch ${peakRssMb(meili.pid)} MB` : ''}`);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (meili) await meili.stop();
  await postgres?.stop();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
