/**
 * Weekly digests at scale: N confirmed weekly subscribers (default 10,000; varied theme, language and
 * country filters, six locales) and a week of articles (default 2,000, made from the five real seeds
 * and tagged by the shipped detector and taggers) in fresh SQLite stores; then `runDigestsNow` sends
 * every subscriber's next weekly digest early, through the pooled SMTP mailer, to a local SMTP sink
 * running as a child process (bench/smtp-sink.ts). Prints digests sent, empty and failed, messages the
 * sink received (must equal those sent), bytes, messages per second and this process's peak RSS, then
 * the time of a second run right after (every period already done: nothing is sent).
 *
 *   npm run bench:digests [-- --subscribers 10000 --articles 2000 --concurrency 16 --rate 0 --connections 4]
 *
 * `--rate` is the SMTP mailer's messages per second across its pool; 0 (the default) stands for
 * 10,000/s, so that the relay's throttle is not what is measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { enrichArticle } from '../src/jobs/enrich.js';
import type { Article, ArticleDraft } from '../src/model/article.js';
import { createNordicDetector } from '../src/pipeline/language/cld2.js';
import { createRegionTagger } from '../src/pipeline/regions/index.js';
import { createThemeTagger } from '../src/pipeline/themes/index.js';
import { articleId } from '../src/pipeline/normalize/id.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import type { ArticleStore } from '../src/store/port.js';
import { createSqliteSubscriptionStore } from '../src/subscriptions/sqlite.js';
import { subscriptionInputSchema, type SubscriptionFilter } from '../src/subscriptions/model.js';
import type { SubscriptionStore } from '../src/subscriptions/port.js';
import { UI_LANGUAGES } from '../src/i18n/index.js';
import { openSourceCatalogue, type SourceCatalogue } from '../src/sources/catalogue.js';
import type { Source } from '../src/sources/schema.js';
import { createSmtpMailer } from '../src/mail/smtp.js';
import type { Mailer } from '../src/mail/port.js';
import { digestDeps, mailDomain, runDigestsNow, type OutboxDeps, type RunSummary } from '../src/digests/service.js';
import { digestContent, windowArticles } from '../src/digests/run.js';
import type { SinkCounts } from './smtp-sink.js';
import { freePort } from './ports.js';

const text = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) => Number(text(name) ?? fallback);
const SUBSCRIBERS = arg('subscribers', 10_000);
const ARTICLES = arg('articles', 2_000);
const CONCURRENCY = arg('concurrency', 16);
/** Messages per second across the SMTP pool; 0 = effectively unthrottled. */
const RATE = arg('rate', 0) || 10_000;
const CONNECTIONS = arg('connections', 4);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEEDS_DIR = join(root, '..', 'shared', 'seeds');

const DAY_MS = 86_400_000;
const FROM = 'Regionradar <digest@bench.regionradar.test>';
/** Render timing sample after the runs: this many subscribers' digests are rendered again, one by one. */
const RENDER_SAMPLE = 200;

/** A deterministic pseudo-random stream, so that runs compare. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** `n` distinct values of `xs`. */
const some = <T>(rand: () => number, xs: readonly T[], n: number): T[] => {
  const pool = [...xs];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
  return out;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Language → country of the sources that publish in it (a seed is carried by sources of its language's country). */
const LANGUAGE_COUNTRY: Record<string, string> = { nob: 'NO', nno: 'NO', swe: 'SE', dan: 'DK', fin: 'FI', eng: 'EU' };

/**
 * The week's articles: the five seeds, each enriched once per source that plausibly carries it (so
 * language, themes, regions and countries are the shipped taggers' own), then copied with their own
 * url, id, title, content hash and store time within the last seven days. About one in six is also
 * carried by a second source.
 */
function weekOfArticles(config: ReturnType<typeof loadConfig>, sources: readonly Source[], n: number, nowMs: number): Article[] {
  const deps = {
    detectLanguage: createNordicDetector(config.languageProfiles),
    tagThemes: createThemeTagger(config.taxonomy),
    tagRegions: createRegionTagger(config.gazetteer),
    tagVersion: config.tagVersion,
  };
  const seeds = readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(SEEDS_DIR, f), 'utf8'));
  if (!seeds.length) throw new Error(`no seed articles in ${SEEDS_DIR}`);
  const draftOf = (seed: string, source: Source, k: number): ArticleDraft => {
    const [title = '', ...rest] = seed.trim().split('\n');
    const body = rest.join('\n').trim();
    const url = `${new URL(source.url).origin}/bench/${k}`;
    return {
      id: articleId(url),
      sourceId: source.id,
      url,
      title: title.trim(),
      summary: body.split('\n').find((l) => l.trim())?.trim() ?? '',
      contentHtml: `<p>${body.split(/\n\s*\n/).join('</p>\n<p>')}</p>`,
      contentText: body,
      publishedAt: new Date(nowMs).toISOString(),
      fetchedAt: new Date(nowMs).toISOString(),
      contentHash: `seed${k}`,
      country: source.country,
      fromPublisher: true,
    };
  };
  // Each seed enriched as its language's sources would carry it: tags once per (seed, source).
  const variants: Array<{ article: Article; others: Source[] }> = [];
  seeds.forEach((seed, s) => {
    const probe = enrichArticle(draftOf(seed, sources[0]!, s), deps);
    const country = LANGUAGE_COUNTRY[probe.language];
    const carriers = sources.filter((src) => src.language === probe.language || src.country === country);
    const chosen = carriers.length ? carriers : sources;
    for (const source of chosen) variants.push({ article: enrichArticle(draftOf(seed, source, s), deps), others: chosen.filter((o) => o.id !== source.id) });
  });
  const rand = rng(7);
  const out: Article[] = [];
  for (let i = 0; i < n; i++) {
    // Round-robin over seeds first, so that each seed (and so each language) gets its share.
    const seedVariants = variants.filter((_, v) => v % seeds.length === i % seeds.length);
    const { article: base, others } = pick(rand, seedVariants.length ? seedVariants : variants);
    const url = `${new URL(base.url).origin}/bench/${i}`;
    const storedAt = nowMs - 60_000 - Math.floor(rand() * (7 * DAY_MS - 120_000));
    const publishedAt = storedAt - Math.floor(rand() * 6 * 3_600_000);
    const contentHash = `h${i}`;
    const fetchedAt = new Date(storedAt).toISOString();
    const sources = [{ sourceId: base.sourceId, contentHash, fetchedAt, fromPublisher: true }];
    if (others.length && rand() < 1 / 6) sources.push({ sourceId: pick(rand, others).id, contentHash, fetchedAt, fromPublisher: false });
    out.push({
      ...base,
      id: articleId(url),
      url,
      title: `${base.title} (${i})`,
      publishedAt: new Date(publishedAt).toISOString(),
      fetchedAt,
      contentHash,
      sources,
      storedAt: new Date(storedAt).toISOString(),
    });
  }
  return out;
}

/** A subscriber's filter: about one in ten follows everything; the rest 1–3 themes, some also languages or countries. */
function filterOf(rand: () => number, themes: readonly string[]): SubscriptionFilter {
  if (rand() < 0.1) return {};
  const filter: SubscriptionFilter = { themes: some(rand, themes, 1 + Math.floor(rand() * 3)) };
  const r = rand();
  if (r < 0.2) filter.languages = some(rand, ['nob', 'nno', 'swe', 'dan', 'fin', 'eng'], 1 + Math.floor(rand() * 2));
  else if (r < 0.35) filter.countries = some(rand, ['NO', 'SE', 'DK', 'FI'], 1 + Math.floor(rand() * 2));
  return filter;
}

const TIME_ZONES = ['Europe/Oslo', 'Europe/Stockholm', 'Europe/Copenhagen', 'Europe/Helsinki', 'UTC'];

async function addSubscribers(subscriptions: SubscriptionStore, n: number, themes: readonly string[], nowMs: number): Promise<void> {
  const rand = rng(11);
  // Confirmed eight days ago: the first digest's window (confirmedAt → now) holds the whole week of articles.
  const createdAt = new Date(nowMs - 8 * DAY_MS - 3_600_000).toISOString();
  const confirmedAt = new Date(nowMs - 8 * DAY_MS).toISOString();
  for (let i = 0; i < n; i++) {
    const input = subscriptionInputSchema.parse({
      email: `reader${i}@bench.regionradar.test`,
      filter: filterOf(rand, themes),
      frequency: 'weekly',
      sendAt: { weekday: 1 + Math.floor(rand() * 7), hour: 5 + Math.floor(rand() * 4) },
      timeZone: pick(rand, TIME_ZONES),
      locale: UI_LANGUAGES[i % UI_LANGUAGES.length],
    });
    const sub = await subscriptions.create(input, createdAt);
    await subscriptions.confirm(sub.id, confirmedAt);
  }
}

async function startSink(): Promise<{ child: ChildProcess; url: string; counts(): Promise<SinkCounts>; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'bench', 'smtp-sink.js'), '--port', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const countsUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /smtp-sink: listening .* counts at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`smtp-sink exited with ${code} before listening`)));
  });
  return {
    child,
    url: `smtp://127.0.0.1:${port}`,
    counts: async () => (await (await fetch(countsUrl)).json()) as SinkCounts,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Main-thread time spent in the stores' synchronous SQLite work (their async methods run to completion before returning). */
function timed<T extends object>(target: T, totals: { ms: number; calls: number }): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const t = performance.now();
        const result = value.apply(obj, args);
        totals.ms += performance.now() - t;
        totals.calls++;
        return result;
      };
    },
  });
}

const summaryLine = (s: RunSummary) =>
  Object.entries(s)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'nothing';

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rr-bench-digests-'));
  const sink = await startSink();
  let store: ArticleStore | undefined;
  let subscriptions: SubscriptionStore | undefined;
  let mailer: Mailer | undefined;
  let catalogue: SourceCatalogue | undefined;
  try {
    const config = loadConfig({ CONFIG_DIR: join(root, 'config'), DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const nowMs = Date.now();

    // Setup, not timed: a week of articles, the subscribers, the catalogue.
    const s0 = performance.now();
    store = createSqliteStore(config.databaseFile);
    const articles = weekOfArticles(config, config.sources, ARTICLES, nowMs);
    for (let i = 0; i < articles.length; i += 500) await store.upsertBatch(articles.slice(i, i + 500));
    const languages = new Map<string, number>();
    for (const a of articles) languages.set(a.language, (languages.get(a.language) ?? 0) + 1);
    const themed = await store.countByTheme();
    subscriptions = createSqliteSubscriptionStore(config.subscribersFile);
    await addSubscribers(
      subscriptions,
      SUBSCRIBERS,
      config.taxonomy.themes.map((th) => th.id),
      nowMs,
    );
    catalogue = openSourceCatalogue(config.catalogueFile, config.sources);
    console.log(
      `setup: ${await store.count()} articles (${[...languages].map(([l, n]) => `${l} ${n}`).join(', ')}; ${themed.size} themes), ` +
        `${SUBSCRIBERS} weekly subscribers, in ${seconds(performance.now() - s0)} s`,
    );

    mailer = createSmtpMailer({ url: sink.url, from: FROM, maxConnections: CONNECTIONS, ratePerSecond: RATE });
    const queries = { ms: 0, calls: 0 };
    const ledger = { ms: 0, calls: 0 };
    const deps: OutboxDeps = {
      subscriptions: timed(subscriptions, ledger),
      store: timed(store, queries),
      mailer,
      catalogue,
      taxonomy: config.taxonomy,
      settings: {
        secret: 'bench-secret-key-0123456789abcdef0123456789',
        baseUrl: 'https://regionradar.example',
        messageIdDomain: mailDomain(FROM, 'regionradar.example'),
        leaseMs: 600_000,
        settleMs: 0,
      },
    };
    const failures: string[] = [];
    const opts = {
      frequencies: ['weekly'] as const,
      early: true,
      concurrency: CONCURRENCY,
      onError: (sub: { id: string }, err: unknown) => void (failures.length < 5 && failures.push(`${sub.id}: ${(err as Error).message}`)),
    };

    // Timed: every subscriber's next weekly digest, now.
    const rssBefore = process.memoryUsage().rss;
    let rssPeakRun = rssBefore;
    let heapPeakRun = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rssPeakRun = Math.max(rssPeakRun, m.rss);
      heapPeakRun = Math.max(heapPeakRun, m.heapUsed + m.external);
    }, 50);
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const summary = await runDigestsNow(deps, opts);
    const elapsedMs = performance.now() - t0;
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    const first = await sink.counts();
    const queriesFirst = { ...queries };
    const ledgerFirst = { ...ledger };

    // The same command again: every period is done.
    const t1 = performance.now();
    const again = await runDigestsNow(deps, opts);
    const againMs = performance.now() - t1;
    const afterAgain = await sink.counts();

    // Render sample, not timed above: a few subscribers' digests built and rendered again, one at a time.
    const d = await digestDeps(deps);
    const sample: number[] = [];
    const sampleQuery: number[] = [];
    let sampleItems = 0;
    for (let after: string | undefined, seen = 0; sample.length < RENDER_SAMPLE && seen < SUBSCRIBERS; ) {
      const page = await subscriptions.listActive('weekly', after, 50);
      if (!page.length) break;
      after = page[page.length - 1]!.id;
      seen += page.length;
      for (const sub of page.slice(0, 5)) {
        const window = { from: new Date(nowMs - 8 * DAY_MS).toISOString(), to: new Date(nowMs).toISOString() };
        const q0 = performance.now();
        const found = await windowArticles(store, sub, window.from, window.to);
        sampleQuery.push(performance.now() - q0);
        if (!found.shown.length) continue;
        const r0 = performance.now();
        d.render(digestContent(d, sub, window, found));
        sample.push(performance.now() - r0);
        sampleItems += found.shown.length;
      }
    }
    const maxRssKb = process.resourceUsage().maxRSS;

    const sent = summary.sent;
    const received = first.messages;
    const mean = received ? first.bytes / received : 0;
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    console.log(`subscribers: ${SUBSCRIBERS}, articles in the week: ${ARTICLES}, concurrency ${CONCURRENCY}, SMTP ${CONNECTIONS} connections at ≤ ${RATE} messages/s`);
    console.log(`digests: ${summary.sent} sent, ${summary.empty} empty, ${summary.failed} failed (${summaryLine(summary)})`);
    console.log(`sink: ${received} messages received, ${mb(first.bytes)} MB, mean ${(mean / 1024).toFixed(1)} KB per message, over ${first.connections} connections`);
    console.log(`elapsed: ${seconds(elapsedMs)} s, ${(sent / (elapsedMs / 1000)).toFixed(0)} messages/s (${((summary.sent + summary.empty) / (elapsedMs / 1000)).toFixed(0)} digests/s incl. empty)`);
    console.log(
      `main thread: event loop ${(elu.utilization * 100).toFixed(0)}% busy, CPU ${seconds((cpu.user + cpu.system) / 1000)} s; ` +
        `article queries ${seconds(queriesFirst.ms)} s (${queriesFirst.calls} calls, ${(queriesFirst.ms / Math.max(1, queriesFirst.calls)).toFixed(2)} ms each), ` +
        `subscription store + ledger ${seconds(ledgerFirst.ms)} s (${ledgerFirst.calls} calls)`,
    );
    console.log(
      `render sample: ${sample.length} digests, ${avg(sample).toFixed(2)} ms each (mean ${(sampleItems / Math.max(1, sample.length)).toFixed(0)} items); ` +
        `window query ${avg(sampleQuery).toFixed(2)} ms each over ${sampleQuery.length} subscribers`,
    );
    console.log(`peak RSS: ${(maxRssKb / 1024).toFixed(0)} MB (whole process, maxRSS); during the send ${mb(rssPeakRun)} MB sampled (V8 heap + external ≤ ${mb(heapPeakRun)} MB), ${mb(rssBefore)} MB before it; sink ${(first.maxRssKb / 1024).toFixed(0)} MB`);
    console.log(`second run: ${seconds(againMs)} s (${summaryLine(again)}), sink received ${afterAgain.messages - first.messages} more`);
    for (const f of failures) console.error(`failure: ${f}`);

    if (received !== sent || afterAgain.messages !== first.messages || again.sent !== 0) {
      console.error(`\n!!! MISMATCH: ${sent} digests sent but the sink received ${received}; second run sent ${again.sent}, sink then received ${afterAgain.messages - first.messages} more !!!\n`);
      process.exitCode = 1;
    }
    if (summary.failed) process.exitCode = 1;
  } finally {
    await mailer?.close();
    await sink.stop();
    await store?.close();
    await subscriptions?.close();
    catalogue?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
