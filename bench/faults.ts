/**
 * Fault benchmark: the standard workload (60 feeds × 50 items by default), published progressively,
 * ingested by real Regionradar processes on a private Redis while worker processes are SIGKILLed,
 * Redis is restarted (without persistence, then with AOF) and, with --meili, Meilisearch is killed and
 * restarted; a cross-posting aggregator relays some items. One line per fault and per audit, then
 * `faults: <N> injected, <L> lost, <D> duplicated, <O> overwritten`. Exit 0 only when L = D = O = 0
 * and every recovery bound held. See bench/faults/run.ts.
 *
 *   npm run bench:faults [-- --feeds 60 --items 50 --kills 10 --plain-restarts 3 --aof-restarts 3
 *                            --meili --no-crosspost --publish-seconds S --seed N --redis-kill --keep]
 */
import { killAllStarted, runFaults, type FaultOptions } from './faults/run.js';

const argv = process.argv.slice(2);
const has = (name: string) => argv.includes(`--${name}`);
const num = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`bench:faults: --${name} needs a number`);
    process.exit(64);
  }
  return n;
};

const options: FaultOptions = {
  feeds: num('feeds'),
  items: num('items'),
  workerKills: num('kills'),
  plainRestarts: num('plain-restarts'),
  aofRestarts: num('aof-restarts'),
  meili: has('meili') || !!process.env.MEILI_HOST,
  crosspost: !has('no-crosspost'),
  publishSeconds: num('publish-seconds'),
  seed: num('seed'),
  redisSignal: has('redis-kill') ? 'SIGKILL' : 'SIGTERM',
  keep: has('keep') ? 'always' : 'on-failure',
  onLine: (line) => console.log(line),
  onProgress: (note) => console.error(note),
};
for (const k of Object.keys(options) as Array<keyof FaultOptions>) if (options[k] === undefined) delete options[k];
if (process.env.MEILI_HOST && !has('meili')) console.error('bench:faults: MEILI_HOST is set: running the Meilisearch phase on a Meilisearch of its own (the one at MEILI_HOST is not touched)');

// Interrupted: end what this benchmark started (by pid) and say so.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllStarted();
    console.error(`bench:faults: interrupted (${signal})`);
    process.exit(130);
  });
}

const report = await runFaults(options);
process.exit(report.ok ? 0 : 1);
