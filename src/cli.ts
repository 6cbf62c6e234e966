#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfigOrExit, requireRedis } from './startup.js';
import type { ServiceSet } from './runtime.js';
import type { IngestPayload } from './queue/payloads.js';

// Commands import what they use when they run: `parse` and `check-config` must not pay for loading
// BullMQ, Hono and SQLite (the peer suite starts one `parse` process per feed).
const deps = () => import('./deps.js');
const runtime = () => import('./runtime.js');

const USAGE = `regionradar — Nordic regional-development news aggregator

Usage:
  regionradar start              API, workers and schedulers in one process (embedded store)
  regionradar api                the HTTP API only
  regionradar worker <name>      queue workers: ingest | enrich | all
  regionradar scheduler          sync the per-source job schedulers with config, then exit
  regionradar pause <source> [why]  stop fetching a source until resumed
  regionradar resume <source>    forget its failures and fetch it now
  regionradar parse FILE [--url URL] [--headers JSON]   print a feed file as normalized JSON
  regionradar check-config       validate config/ and the environment, then exit
  regionradar demo               serve recorded fixtures of the default sources and start on them

Environment: REDIS_URL, PORT, HOST, DATA_DIR, CONFIG_DIR, PUBLIC_URL, LOG_LEVEL (see README).`;

async function run(set: ServiceSet): Promise<void> {
  const config = loadConfigOrExit();
  await requireRedis(config.env.REDIS_URL);
  const [{ createDeps }, { startServices, closeOnSignals }] = await Promise.all([deps(), runtime()]);
  const d = await createDeps(config);
  const running = await startServices(d, set);
  closeOnSignals(running, d.log);
}

export async function main(argv: string[]): Promise<void> {
  const [command, arg] = argv;
  switch (command) {
    case 'start':
      return run({ api: true, ingest: true, enrich: true, schedulers: true });
    case 'api':
      return run({ api: true });
    case 'worker':
      if (arg === 'ingest') return run({ ingest: true });
      if (arg === 'enrich') return run({ enrich: true });
      if (arg === 'all') return run({ ingest: true, enrich: true });
      console.error(`regionradar worker: unknown worker "${arg ?? ''}"; expected ingest, enrich or all`);
      process.exit(64);
      break;
    case 'scheduler': {
      const config = loadConfigOrExit();
      await requireRedis(config.env.REDIS_URL);
      const [{ createDeps }, { startServices }] = await Promise.all([deps(), runtime()]);
      const running = await startServices(await createDeps(config), { schedulers: true });
      await running.close();
      return;
    }
    case 'pause':
    case 'resume': {
      const config = loadConfigOrExit();
      if (!arg || !config.sources.some((s) => s.id === arg)) {
        console.error(`regionradar ${command}: no source with id "${arg ?? ''}"; see config/sources.yaml`);
        process.exit(64);
      }
      await requireRedis(config.env.REDIS_URL);
      const d = await (await deps()).createDeps(config);
      if (command === 'pause') {
        await d.state.setOperatorPause(arg, argv.slice(2).join(' ') || 'no reason given');
        console.log(`${arg} paused; \`regionradar resume ${arg}\` resumes it`);
      } else {
        const [{ JOB }, { INGEST_JOB_OPTIONS }] = await Promise.all([import('./queue/names.js'), import('./queue/schedulers.js')]);
        await d.state.setOperatorPause(arg, undefined);
        await d.queues.ingest.add(JOB.ingestSource, { sourceId: arg, force: true } satisfies IngestPayload, INGEST_JOB_OPTIONS);
        console.log(`${arg} resumed; a fetch is queued now`);
      }
      await d.close();
      return;
    }
    case 'parse': {
      if (!arg) {
        console.error('usage: regionradar parse FILE [--url URL] [--headers JSON]');
        process.exit(64);
      }
      const opt = (name: string) => {
        const i = argv.indexOf(name);
        return i > 0 ? argv[i + 1] : undefined;
      };
      const headers = opt('--headers');
      const { parseFile } = await import('./commands/parse.js');
      console.log(JSON.stringify(await parseFile(arg, { url: opt('--url') || undefined, headers: headers ? JSON.parse(headers) : undefined })));
      return;
    }
    case 'check-config': {
      const config = loadConfigOrExit();
      console.log(`configuration OK: ${config.sources.length} sources, ${config.taxonomy.themes.length} themes`);
      return;
    }
    case 'demo':
      return (await import('./demo.js')).runDemo();
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return;
    default:
      console.error(`regionradar: unknown command "${command}"\n\n${USAGE}`);
      process.exit(64);
  }
}

// Run when executed (directly or through the npm bin link), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
