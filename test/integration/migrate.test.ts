import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { makeArticle, makeSource } from '../helpers/factories.js';
import { shippedConfig } from '../helpers/config.js';
import { openSourceCatalogue } from '../../src/sources/catalogue.js';
import { openPostgresCatalogue } from '../../src/sources/postgres-catalogue.js';
import { startLocalPostgres, type LocalPostgres } from '../helpers/postgres.js';
import { startLocalMeili } from '../../bench/meili-server.js';

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/cli.ts'), ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 60_000 });

let cluster: LocalPostgres;
beforeAll(async () => {
  cluster = await startLocalPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('regionradar migrate --from sqlite --to postgres', () => {
  it('copies every article whole, story and copies included, and the runtime catalogue; a second run changes nothing; the engines are named', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rr-migrate-'));
    const sqlite = createSqliteStore(join(dataDir, 'regionradar.sqlite'));
    const articles = Array.from({ length: 1_234 }, (_, i) =>
      makeArticle({ title: `Artikkel ${i} om bioøkonomi`, themes: i % 3 ? [] : [{ id: 'bioeconomy', score: 3, terms: ['bioøkonomi'] }], storedAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString() }),
    );
    await sqlite.upsertBatch(articles);
    await sqlite.setStories([{ id: articles[1]!.id, story: articles[0]!.id, duplicateOf: articles[0]!.id }, { id: articles[0]!.id, story: articles[0]!.id }]);
    const expected = await sqlite.get(articles[1]!.id);
    await sqlite.close();
    // Runtime catalogue changes made on the embedded setup: one source added, one of config's changed, one removed.
    const config = shippedConfig({ DATA_DIR: dataDir });
    const [changed, removed] = config.sources;
    const catalogue = openSourceCatalogue(join(dataDir, 'catalogue.sqlite'), config.sources);
    await catalogue.put(makeSource({ id: 'runtime-added', url: 'https://x.test/feed.xml' }));
    await catalogue.put({ ...changed!, name: 'Renamed at runtime' });
    await catalogue.remove(removed!.id);
    const inForce = await catalogue.list();
    catalogue.close();

    const url = await cluster.createDatabase();
    const env = { DATA_DIR: dataDir, DATABASE_URL: url };
    const first = cli(['migrate', '--from', 'sqlite', '--to', 'postgres'], env);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('reindexed 1234 articles from sqlite into postgres');
    expect(first.stdout).toContain('catalogue: 2 sources written, 1 removed');
    const moved = openPostgresCatalogue(url, config.sources);
    expect(await moved.list()).toEqual(inForce);
    moved.close();
    const pg = await createPostgresStore({ connectionString: url });
    try {
      expect(await pg.count()).toBe(1_234);
      expect(await pg.get(articles[1]!.id)).toEqual(expected);
      // The copy is left out of counts, as in the embedded store.
      expect(await pg.count({ q: 'bioøkonomi' })).toBe(1_233);
      expect(await pg.count({ themes: ['bioeconomy'] })).toBe(412);
      expect((await pg.checkIndex()).differingCount).toBe(0);
      const again = cli(['migrate', '--from', 'sqlite', '--to', 'postgres'], env);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('catalogue: 0 sources written, 0 removed');
      expect(await pg.count()).toBe(1_234);
    } finally {
      await pg.close();
    }
    const same = cli(['migrate', '--from', 'postgres', '--to', 'postgres'], env);
    expect([same.status, same.stderr]).toEqual([64, expect.stringContaining('name the same engine')]);
    const bad = cli(['migrate', '--from', 'mysql', '--to', 'postgres'], env);
    expect([bad.status, bad.stderr]).toEqual([64, expect.stringContaining('--from must be one of sqlite, meili, postgres, not "mysql"')]);
  });

  it('with Meilisearch beside PostgreSQL: reindex --check finds the index empty, reindex fills it from the records, and the check passes', async () => {
    const meili = await startLocalMeili();
    if ('skip' in meili) throw new Error(`Meilisearch cannot run here: ${meili.skip}`);
    try {
      const url = await cluster.createDatabase();
      const pg = await createPostgresStore({ connectionString: url });
      await pg.upsertBatch(Array.from({ length: 300 }, (_, i) => makeArticle({ title: `Grønn omstilling ${i}` })));
      await pg.close();
      const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-reindex-')), DATABASE_URL: url, MEILI_HOST: meili.host, MEILI_API_KEY: meili.apiKey, MEILI_INDEX: 'reindex_check' };
      // The records were written straight to PostgreSQL, as if Meilisearch had lost its data directory.
      const before = cli(['reindex', '--check'], env);
      expect(before.status).toBe(1);
      expect(before.stdout).toContain('300 articles stored, 0 in the search index');
      const rebuilt = cli(['reindex'], env);
      expect([rebuilt.status, rebuilt.stderr]).toEqual([0, expect.not.stringMatching(/error/i)]);
      expect(rebuilt.stdout).toContain('reindexed 300 articles from postgres into meili');
      const after = cli(['reindex', '--check'], env);
      expect([after.status, after.stdout]).toEqual([0, expect.stringContaining('store and index hold the same articles')]);
    } finally {
      await meili.stop();
    }
  });
});
