// Syncs one job scheduler per configured source into Redis, then exits.
import { main } from '../src/cli.js';

await main(['scheduler']);
