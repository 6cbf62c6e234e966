import { rmSync } from 'node:fs';
import type { Config } from './config/index.js';
import { createDeps } from './deps.js';
import { closeOnSignals, startServices } from './runtime.js';
import { startFixtureServer } from './fixtures/server.js';
import { loadConfigOrExit, requireRedis } from './startup.js';
import { createRedis, deleteKeysWithPrefix } from './queue/connection.js';
import { createTransport } from 'nodemailer';
import { readRecordedNewsletters } from './fixtures/newsletters.js';
import { noDns } from './newsletters/auth.js';
import { sourceSchema } from './sources/schema.js';

/** The demo's newsletter source, and the recorded-shape issue (a Mailchimp bundle of four stories) delivered to it. */
const DEMO_NEWSLETTER = sourceSchema.parse({
  id: 'demo-newsletter',
  name: 'Demo newsletter (recorded Mailchimp shape)',
  kind: 'newsletter',
  url: 'https://mailchimp.com/',
  language: 'eng',
  country: 'NO',
  newsletter: { token: 'demo-newsletter' },
});
const DEMO_ISSUE = 'mailchimp-en-bundle';

/** Sends the demo issue to the inbound listener over SMTP, as a newsletter platform would. */
async function sendDemoNewsletter(port: number): Promise<void> {
  const issue = readRecordedNewsletters().find((f) => f.name === DEMO_ISSUE)!;
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: issue.from,
      to: `${DEMO_NEWSLETTER.newsletter!.token}@demo.regionradar.invalid`,
      subject: issue.subject,
      date: new Date(issue.date),
      messageId: issue.messageId,
      text: issue.text,
      html: issue.html,
    });
  } finally {
    transport.close();
  }
}

/** Points every source that has a recorded fixture at the fixture server; the others are left out. */
export function withFixtureUrls(config: Config, urls: ReadonlyMap<string, string>): Config {
  const sources = config.sources.filter((s) => urls.has(s.id)).map((s) => ({ ...s, url: urls.get(s.id)! }));
  return { ...config, sources };
}

/**
 * `regionradar demo`: serves the recorded fixtures of the default sources on 127.0.0.1, points the
 * sources at them and starts everything, so that a newcomer without internet sees a filled feed; a
 * recorded-shape newsletter is delivered to the inbound SMTP listener, as a mailing platform would.
 * It keeps its own data directory and queue prefix, and starts them empty each time.
 */
export async function runDemo(): Promise<void> {
  const env = {
    ...process.env,
    ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    // One local fixture server stands in for two dozen sites: the per-host gate must not serialise it.
    HOST_INTERVAL_MS: '0',
    HOST_CONCURRENCY: '64',
    DATA_DIR: process.env.DATA_DIR ?? './data/demo',
    QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'regionradar-demo',
    // The newsletter listener, on a free port unless one is asked for.
    INBOUND_SMTP_PORT: process.env.INBOUND_SMTP_PORT ?? '0',
  };
  const base = loadConfigOrExit(env);
  const fixtures = await startFixtureServer(undefined, base.env.DEMO_FIXTURES_PORT).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    console.error(`regionradar demo: port ${base.env.DEMO_FIXTURES_PORT} on 127.0.0.1 is taken; set DEMO_FIXTURES_PORT to a free one`);
    process.exit(3);
  });
  await requireRedis(base.env.REDIS_URL);
  const redis = createRedis(base.env.REDIS_URL, 'producer');
  await deleteKeysWithPrefix(redis, base.env.QUEUE_PREFIX).finally(() => redis.disconnect());
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${base.databaseFile}${suffix}`, { force: true });

  const fetched = withFixtureUrls(base, fixtures.urls);
  const config = { ...fetched, sources: [...fetched.sources, DEMO_NEWSLETTER] };
  // Offline: no DNS for SPF, DKIM and DMARC, so their verdicts are "none" rather than a wait for timeouts.
  const deps = await createDeps(config, { mailResolver: noDns });
  // The outbox groups stories once a minute (and delivers webhooks; e-mail stays off without SMTP_URL).
  const running = await startServices(deps, { api: true, ingest: true, enrich: true, schedulers: true, inbound: true, outbox: true });
  await sendDemoNewsletter(running.smtpPort!);
  const api = `http://${config.env.HOST}:${running.port}`;
  console.log(
    `\nRegionradar demo: ${fetched.sources.length} sources served from ${fixtures.url}, and a newsletter delivered by SMTP\n` +
      `  ${api}/api/articles\n  ${api}/api/articles?lang=nno\n  ${api}/api/articles?theme=smart-specialisation\n` +
      `  ${api}/api/articles?source=${DEMO_NEWSLETTER.id}\n  ${api}/api/sources\n  ${api}/feeds/all.atom\n` +
      `  newsletters in: smtp://127.0.0.1:${running.smtpPort} (to ${DEMO_NEWSLETTER.newsletter!.token}@ any domain)\n`,
  );
  closeOnSignals({ port: running.port, close: async () => (await running.close(), await fixtures.close()) }, deps.log);
}
