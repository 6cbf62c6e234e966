// `npm start`: API, ingest and enrich workers, and schedulers in one process.
import { main } from '../src/cli.js';

await main(['start']);
