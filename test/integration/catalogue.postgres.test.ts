import { afterAll, beforeAll } from 'vitest';
import { openPostgresCatalogue } from '../../src/sources/postgres-catalogue.js';
import { runCatalogueContract } from '../contract/catalogue.contract.js';
import { startLocalPostgres, type LocalPostgres } from '../helpers/postgres.js';

// A private cluster for this file; a missing server fails the file.
let cluster: LocalPostgres;
beforeAll(async () => {
  cluster = await startLocalPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

runCatalogueContract({
  name: 'PostgreSQL',
  async create() {
    const url = await cluster.createDatabase();
    return { open: (configured) => openPostgresCatalogue(url, configured) };
  },
});
