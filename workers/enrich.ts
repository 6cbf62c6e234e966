// Enrich queue worker: language → themes → batched store upserts. Scale with more processes.
import { main } from '../src/cli.js';

await main(['worker', 'enrich']);
