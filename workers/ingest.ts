// Ingest queue worker: fetch → parse → normalize → dedupe → enqueue enrich. Scale with more processes.
import { main } from '../src/cli.js';

await main(['worker', 'ingest']);
