import { rmSync } from 'node:fs';
import type { Config } from './config/index.js';
import { createDeps } from './deps.js';
import { closeOnSignals, startServices } from './runtime.js';
import { startFixtureServer } from './fixtures/server.js';
import { loadConfigOrExit, requireRedis } from './startup.js';
import { createRedis, deleteKeysWithPrefix } from './queue/connection.js';

/** Points every source that has a recorded fixture at the fixture server; the others are left out. */
export function withFixtureUrls(config: Config, urls: ReadonlyMap<string, string>): Config {
  const sources = config.sources.filter((s) => urls.has(s.id)).map((s) => ({ ...s, url: urls.get(s.id)! }));
  return { ...config, sources };
}

/**
 * `regionradar demo`: serves the recorded fixtures of the default sources on 127.0.0.1, points the
 * sources at them and starts everything, so that a newcomer without internet sees a filled feed.
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

  const config = withFixtureUrls(base, fixtures.urls);
  const deps = await createDeps(config);
  const running = await startServices(deps, { api: true, ingest: true, enrich: true, schedulers: true });
  const api = `http://${config.env.HOST}:${running.port}`;
  console.log(
    `\nRegionradar demo: ${config.sources.length} sources served from ${fixtures.url}\n` +
      `  ${api}/api/articles\n  ${api}/api/articles?lang=nno\n  ${api}/api/articles?theme=smart-specialisation\n` +
      `  ${api}/api/sources\n  ${api}/feeds/all.atom\n`,
  );
  closeOnSignals({ port: running.port, close: async () => (await running.close(), await fixtures.close()) }, deps.log);
}
