/**
 * Newsletters in over SMTP: N recorded-shape newsletters (default 600; the six fixtures of
 * test/fixtures/newsletters in turn, each message its own issue by Message-ID and web-version link)
 * are sent through a pooled nodemailer transport to the inbound listener, which parses, cleans,
 * routes and queues them; the enrich worker in the same process tags and stores them in a fresh
 * SQLite store. Prints messages accepted per second, the SMTP transaction time (median and p95),
 * the time until every issue and story is stored, and this process's peak RSS; then sends them all
 * again (nothing new is stored: receiving is idempotent by Message-ID).
 *
 *   npm run bench:newsletters [-- --messages 600 --connections 4]
 *
 * Needs Redis (REDIS_URL, default 127.0.0.1:6379); its keys live under a prefix of their own, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { loadConfig } from '../src/config/index.js';
import { createDeps } from '../src/deps.js';
import { noDns } from '../src/newsletters/auth.js';
import { createRedis, deleteKeysWithPrefix } from '../src/queue/connection.js';
import { startServices } from '../src/runtime.js';
import { createStaticCatalogue } from '../src/sources/catalogue.js';
import { sourceSchema } from '../src/sources/schema.js';
import { readRecordedNewsletters } from '../src/fixtures/newsletters.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : fallback);
};
const MESSAGES = arg('messages', 600);
const CONNECTIONS = arg('connections', 4);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const fixtures = readRecordedNewsletters();
  const dataDir = mkdtempSync(join(tmpdir(), 'rr-bench-newsletters-'));
  const prefix = `bench-newsletters-${process.pid}`;
  const config = loadConfig({ CONFIG_DIR: join(root, 'config'), DATA_DIR: dataDir, LOG_LEVEL: 'silent', QUEUE_PREFIX: prefix, INBOUND_SMTP_PORT: '0', INBOUND_RATE_PER_MINUTE: String(MESSAGES * 4), PORT: '0' });
  const sources = fixtures.map((f) => sourceSchema.parse({ id: f.name, name: f.name, kind: 'newsletter', url: 'https://example.org/', country: 'NO', newsletter: { token: f.name } }));
  const deps = await createDeps(config, { catalogue: createStaticCatalogue([...config.sources, ...sources]), mailResolver: noDns });
  const running = await startServices(deps, { enrich: true, inbound: true });

  // Each message its own issue: its own Message-ID, and a web-version link of its own.
  const messages = await Promise.all(
    Array.from({ length: MESSAGES }, (_, i) => {
      const f = fixtures[i % fixtures.length]!;
      const web = `${f.webVersionUrl}${f.webVersionUrl.includes('?') ? '&' : '?'}issue=${i}`;
      const html = f.html.split(f.webVersionUrl.replace(/&/g, '&amp;')).join(web.replace(/&/g, '&amp;')).split(f.webVersionUrl).join(web);
      const composer = new MailComposer({ from: f.from, to: `${f.name}@bench.test`, subject: `${f.subject} (${i})`, date: new Date(f.date), messageId: `<bench-${i}@bench.test>`, text: f.text, html });
      return composer.compile().build();
    }),
  );
  const stories = new Set(fixtures.flatMap((f) => f.stories.map((s) => s.url)));
  const expected = MESSAGES + stories.size;
  const before = await deps.store.count();

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const transport = createTransport({ host: '127.0.0.1', port: running.smtpPort!, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  const send = async () => {
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < messages.length) {
          const i = next++;
          const t0 = performance.now();
          await transport.sendMail({ envelope: { from: 'bench@bench.test', to: [`${fixtures[i % fixtures.length]!.name}@bench.test`] }, raw: messages[i]! });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    return { ms: performance.now() - started, latencies: latencies.sort((a, b) => a - b) };
  };

  try {
    const first = await send();
    const acceptedAt = performance.now();
    while ((await deps.store.count()) - before < expected) await new Promise((r) => setTimeout(r, 100));
    const storedMs = performance.now() - acceptedAt + first.ms;
    console.log(`newsletters in: ${MESSAGES} messages over ${CONNECTIONS} SMTP connections (${fixtures.length} recorded shapes, ${mb(messages.reduce((n, m) => n + m.length, 0))} MB)`);
    console.log(`  accepted: ${(MESSAGES / (first.ms / 1000)).toFixed(0)} msg/s (${first.ms.toFixed(0)} ms); SMTP transaction median ${quantile(first.latencies, 0.5).toFixed(1)} ms, p95 ${quantile(first.latencies, 0.95).toFixed(1)} ms`);
    console.log(`  stored: all ${expected} articles (${MESSAGES} issues, ${stories.size} bundled stories) ${storedMs.toFixed(0)} ms after the first message`);
    const again = await send();
    await new Promise((r) => setTimeout(r, 1_000));
    console.log(`  sent again: ${(MESSAGES / (again.ms / 1000)).toFixed(0)} msg/s; articles stored now ${(await deps.store.count()) - before} (expected ${expected}: nothing new)`);
    console.log(`  peak RSS: ${mb(peak)} MB (whole process: listener, enrich worker, SQLite)`);
  } finally {
    clearInterval(sampler);
    transport.close();
    await running.close();
    const redis = createRedis(config.env.REDIS_URL, 'producer');
    await deleteKeysWithPrefix(redis, prefix).finally(() => redis.disconnect());
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
