import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { runStoreContract } from '../contract/store.contract.js';
import { makeArticle } from '../helpers/factories.js';

runStoreContract({
  name: 'SQLite (in memory)',
  create: async () => createSqliteStore(':memory:'),
});

runStoreContract({
  name: 'SQLite (file, WAL)',
  create: async () => createSqliteStore(join(mkdtempSync(join(tmpdir(), 'rr-store-')), 'db.sqlite')),
  additionalTests: () => {
    it('keeps what was written across a reopen', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'rr-store-')), 'db.sqlite');
      const a = makeArticle();
      const first = createSqliteStore(file);
      await first.upsertBatch([a]);
      await first.close();
      const second = createSqliteStore(file);
      expect(await second.get(a.id)).toEqual(a);
      await second.close();
    });
  },
});
