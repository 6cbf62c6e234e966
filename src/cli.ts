#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { exitOnConfigError, loadConfigOrExit, requireRedis } from './startup.js';
import type { ServiceSet } from './runtime.js';
import type { SourceAdmin } from './sources/admin.js';

// Commands import what they use when they run: `parse` and `check-config` must not pay for loading
// BullMQ, Hono and SQLite (the peer suite starts one `parse` process per feed).
const deps = () => import('./deps.js');
const runtime = () => import('./runtime.js');

const USAGE = `regionradar — Nordic regional-development news aggregator

Usage:
  regionradar start              API, workers and schedulers in one process (embedded store)
  regionradar api                the HTTP API only
  regionradar worker <name>      queue workers: ingest | enrich | outbox (digests, alerts, webhooks) | all
  regionradar inbound            newsletters in: the SMTP listener (INBOUND_SMTP_PORT) and the IMAP
                                 poller (IMAP_URL), whichever is configured (\`start\` runs them too)
  regionradar scheduler          sync the per-source job schedulers with config, then exit
  regionradar pause <source> [why]  stop fetching a source until resumed
  regionradar resume <source>    forget its failures and fetch it now
  regionradar refresh <source>   fetch a source now
  regionradar opml export [FILE]           the source catalogue as OPML 2.0
  regionradar opml import FILE [--country NO]   add or change sources from an OPML file
  regionradar parse FILE [--url URL] [--headers JSON]   print a feed file as normalized JSON
  regionradar langid             read texts on stdin, one per line; print an ISO 639-3 code per line
  regionradar tag                read JSON lines {"title","text","lang"?}; print {"lang","themes","regions"} per line
  regionradar retag [--after ID] re-tag stored articles after a taxonomy or gazetteer change, then group stories
  regionradar stories            group the last three weeks' articles into stories and near-duplicates now
                                 (the outbox worker does it every minute when something new was stored)
  regionradar reindex [--from sqlite|meili|postgres] [--to sqlite|meili|postgres] [--restart] [--prune]
                                 rebuild the search index from the store (with DATABASE_URL and MEILI_HOST:
                                 Meilisearch from PostgreSQL, then the outbox; --prune also deletes documents
                                 not stored), or copy one engine into the other; resumes unless --restart
  regionradar reindex --check    compare the store with its search index: counts and up to 20 ids of each
                                 difference (exit 1 if they differ)
  regionradar migrate --from sqlite --to postgres [--restart]
                                 copy the articles of one engine into another (as reindex; resumable, idempotent)
  regionradar ready              exit 0 when Redis and the store answer, else 1 (the containers' health check)
  regionradar check-index [--json]  compare the stored articles with the search index (exit 1 if they differ)
  regionradar jobs               job counts per queue and the newest failed jobs with their reasons
  regionradar jobs retry-failed [ingest|enrich]   put failed jobs back in their queue
  regionradar digests run [--frequency instant|daily|weekly] [--now]
                                 send the digests due now (--now: every subscriber's next one, early)
  regionradar subscribers export EMAIL   print what is kept about an address (JSON)
  regionradar subscribers delete EMAIL   delete every subscription of an address
  regionradar check-config       validate config/ and the environment, check that Redis (and
                                 Meilisearch, when configured) answer, then exit
  regionradar demo               serve recorded fixtures of the default sources and start on them

Environment: REDIS_URL, PORT, HOST, DATA_DIR, CONFIG_DIR, PUBLIC_URL, ADMIN_TOKEN, DATABASE_URL, MEILI_HOST, MEILI_API_KEY, MEILI_INDEX,
SECRET_KEY, SMTP_URL, MAIL_FROM, LOG_LEVEL (see README).`;

/**
 * Runs an operator action on the catalogue. A missing source is an operator's typo: exit 64 with the
 * message. Without `redis: false` Redis must answer (pauses and fetches live there).
 */
async function withSourceAdmin(action: (admin: SourceAdmin) => Promise<void>, opts: { redis?: boolean } = {}): Promise<void> {
  const config = loadConfigOrExit();
  const { createDeps, sourceAdminFor } = await deps();
  if (opts.redis === false) {
    const { openCatalogue } = await import('./sources/open.js');
    const { createSourceAdmin } = await import('./sources/admin.js');
    const { checkPublicUrl } = await import('./pipeline/fetch/address.js');
    const { lookup } = await import('node:dns/promises');
    const catalogue = openCatalogue(config);
    const unavailable = async () => {
      throw new Error('needs Redis');
    };
    const checkUrl = (url: string) => checkPublicUrl(url, { allowPrivateHosts: config.env.ALLOW_PRIVATE_HOSTS, lookup });
    try {
      await action(createSourceAdmin({ catalogue, state: { setOperatorPause: unavailable }, fetchNow: unavailable, reschedule: unavailable, checkUrl }));
    } finally {
      catalogue.close();
    }
    return;
  }
  await requireRedis(config.env.REDIS_URL);
  const d = await createDeps(config);
  try {
    await action(sourceAdminFor(d));
  } catch (err) {
    const { NotFoundError } = await import('./errors.js');
    if (!(err instanceof NotFoundError)) throw err;
    console.error(`regionradar: ${err.message}; see config/sources.yaml or /api/admin/sources`);
    process.exitCode = 64;
  } finally {
    await d.close();
  }
}

async function run(set: ServiceSet): Promise<void> {
  const config = loadConfigOrExit();
  await requireRedis(config.env.REDIS_URL);
  const [{ createDeps }, { startServices, closeOnSignals }] = await Promise.all([deps(), runtime()]);
  const d = await createDeps(config);
  const running = await startServices(d, set);
  closeOnSignals(running, d.log);
}

/** How long `regionradar ready` waits for Redis. */
const READY_TIMEOUT_MS = 2_000;

export async function main(argv: string[]): Promise<void> {
  const [command, arg] = argv;
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i > 0 ? argv[i + 1] : undefined;
  };
  switch (command) {
    case 'start':
      return run({ api: true, ingest: true, enrich: true, outbox: true, schedulers: true, inbound: true });
    case 'inbound': {
      const { env } = loadConfigOrExit();
      if (env.INBOUND_SMTP_PORT === undefined && !env.IMAP_URL) {
        console.error('regionradar inbound: set INBOUND_SMTP_PORT (an SMTP listener) or IMAP_URL (a mailbox to read), or both');
        process.exit(64);
      }
      return run({ inbound: true });
    }
    case 'api': {
      const { runApiProcesses } = await import('./api/processes.js');
      const { env } = loadConfigOrExit();
      const { createLogger } = await import('./observability/log.js');
      return runApiProcesses(env.API_PROCESSES, () => run({ api: true }), createLogger(env.LOG_LEVEL));
    }
    case 'worker':
      if (arg === 'ingest') return run({ ingest: true });
      if (arg === 'enrich') return run({ enrich: true });
      if (arg === 'outbox') return run({ outbox: true });
      if (arg === 'all') return run({ ingest: true, enrich: true, outbox: true });
      console.error(`regionradar worker: unknown worker "${arg ?? ''}"; expected ingest, enrich, outbox or all`);
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
    case 'resume':
    case 'refresh': {
      if (!arg) {
        console.error(`usage: regionradar ${command} <source>${command === 'pause' ? ' [why]' : ''}`);
        process.exit(64);
      }
      await withSourceAdmin(async (admin) => {
        if (command === 'pause') {
          await admin.pause(arg, argv.slice(2).join(' ') || 'no reason given');
          console.log(`${arg} paused; \`regionradar resume ${arg}\` resumes it`);
        } else if (command === 'resume') {
          const queued = await admin.resume(arg);
          console.log(queued ? `${arg} resumed; a fetch is queued now` : `${arg} resumed; its mail publishes again`);
        } else {
          await admin.refresh(arg);
          console.log(`a fetch of ${arg} is queued now`);
        }
      });
      return;
    }
    case 'opml': {
      const file = argv[2];
      if (arg === 'export') {
        await withSourceAdmin(async (admin) => {
          const opml = await admin.exportOpml();
          if (file) (await import('node:fs')).writeFileSync(file, opml);
          else process.stdout.write(opml);
        }, { redis: false });
        return;
      }
      if (arg === 'import' && file) {
        const country = opt('--country');
        const text = (await import('node:fs')).readFileSync(file, 'utf8');
        await withSourceAdmin(async (admin) => {
          const r = await admin.importOpml(text, { country });
          console.log(`${r.created.length} sources added, ${r.updated.length} changed, ${r.rejected.length} rejected`);
          for (const x of r.rejected) console.error(`  rejected "${x.outline}": ${x.reason}`);
          if (r.rejected.length) process.exitCode = 2;
        });
        return;
      }
      console.error('usage: regionradar opml export [FILE] | regionradar opml import FILE [--country NO]');
      process.exit(64);
      break;
    }
    case 'parse': {
      if (!arg) {
        console.error('usage: regionradar parse FILE [--url URL] [--headers JSON]');
        process.exit(64);
      }
      const headers = opt('--headers');
      const { parseFile } = await import('./commands/parse.js');
      console.log(JSON.stringify(await parseFile(arg, { url: opt('--url') || undefined, headers: headers ? JSON.parse(headers) : undefined })));
      return;
    }
    case 'langid': {
      const config = loadConfigOrExit();
      const [{ createNordicDetector }, { runLangid }] = await Promise.all([import('./pipeline/language/cld2.js'), import('./commands/langid.js')]);
      await runLangid(createNordicDetector(config.languageProfiles), process.stdin, process.stdout);
      return;
    }
    case 'tag': {
      const config = loadConfigOrExit();
      const [{ createNordicDetector }, { createThemeTagger }, { createRegionTagger }, { runTag }] = await Promise.all([
        import('./pipeline/language/cld2.js'),
        import('./pipeline/themes/index.js'),
        import('./pipeline/regions/index.js'),
        import('./commands/tag.js'),
      ]);
      const errors = await runTag(
        {
          detect: createNordicDetector(config.languageProfiles),
          tagThemes: createThemeTagger(config.taxonomy),
          tagRegions: createRegionTagger(config.gazetteer),
        },
        process.stdin,
        process.stdout,
      );
      if (errors) process.exitCode = 65;
      return;
    }
    case 'retag': {
      const config = loadConfigOrExit();
      const [{ openStore }, { createNordicDetector }, { createThemeTagger }, { createRegionTagger }, { retagAll }, { progressBar }] = await Promise.all([
        import('./store/index.js'),
        import('./pipeline/language/cld2.js'),
        import('./pipeline/themes/index.js'),
        import('./pipeline/regions/index.js'),
        import('./jobs/retag.js'),
        import('./commands/progress.js'),
      ]);
      const store = await openStore(config);
      const deps = {
        detectLanguage: createNordicDetector(config.languageProfiles),
        tagThemes: createThemeTagger(config.taxonomy),
        tagRegions: createRegionTagger(config.gazetteer),
        tagVersion: config.tagVersion,
      };
      const bar = progressBar('retag');
      try {
        const r = await retagAll(store, deps, { after: opt('--after'), onProgress: (p) => bar.update(p.scanned, p.total, `${p.changed} changed`) });
        bar.end();
        console.log(`retagged to version ${config.tagVersion}: ${r.changed} of ${r.scanned} articles changed`);
        // Themes and regions feed the story grouping: group again with the new tags.
        const { updateStories } = await import('./jobs/stories.js');
        const s = await updateStories(store);
        console.log(`stories: ${s.stories} of two or more reports, ${s.duplicates} near-duplicates among ${s.considered} recent articles; ${s.changed} changed`);
      } finally {
        await store.close();
      }
      return;
    }
    case 'stories': {
      const config = loadConfigOrExit();
      const [{ openStore }, { updateStories }] = await Promise.all([import('./store/index.js'), import('./jobs/stories.js')]);
      const store = await openStore(config);
      try {
        const s = await updateStories(store);
        console.log(`stories: ${s.stories} of two or more reports, ${s.duplicates} near-duplicates among ${s.considered} recent articles; ${s.changed} changed`);
      } finally {
        await store.close();
      }
      return;
    }
    case 'migrate':
    case 'reindex': {
      const config = loadConfigOrExit();
      const [{ openStore, openStores, indexedConfigured, configuredEngine, STORE_ENGINES }, { reindexAll, fileCheckpoint }, { progressBar }, { join }] = await Promise.all([
        import('./store/index.js'),
        import('./jobs/reindex.js'),
        import('./commands/progress.js'),
        import('node:path'),
      ]);
      // `reindex --check` is check-index: the configured store's records against its search index.
      if (command === 'reindex' && argv.includes('--check')) return main(['check-index', ...argv.slice(1).filter((a) => a !== '--check')]);
      if (command === 'reindex' && indexedConfigured(config) && opt('--from') === undefined && opt('--to') === undefined) {
        // PostgreSQL records with a Meilisearch index: rebuild the index from the records.
        const { pruneIndex } = await import('./store/indexed/index.js');
        const { store, records, index, outbox } = (await openStores(config))!;
        const checkpoint = fileCheckpoint(join(config.env.DATA_DIR, 'reindex-postgres-to-meili.checkpoint'));
        if (argv.includes('--restart')) checkpoint.clear();
        const bar = progressBar('reindex postgres → meili');
        try {
          // Outbox entries queued before this run began are of writes it reads; later ones are replayed after it.
          const began = await outbox.now();
          const r = await reindexAll(records, index, { checkpoint, onProgress: (p) => bar.update(p.copied, p.total) });
          bar.end();
          const pruned = argv.includes('--prune') ? await pruneIndex(records, index) : 0;
          // A resumed run read only the ids after where it resumed: entries of earlier ids are replayed instead.
          const cleared = await outbox.clear({ queuedBefore: began, afterId: r.resumedAfter });
          const sync = await store.syncIndex();
          console.log(
            `reindexed ${r.copied} articles from postgres into meili${r.resumedAfter ? ` (resumed after ${r.resumedAfter})` : ''}` +
              `${argv.includes('--prune') ? `, removed ${pruned} documents not stored` : ''}; outbox: ${cleared} cleared, ${sync.indexed + sync.removed} replayed, ${sync.pending} left`,
          );
        } finally {
          await store.close();
        }
        return;
      }
      const configured = configuredEngine(config);
      const from = opt('--from') ?? configured;
      const to = opt('--to') ?? configured;
      for (const [flag, engine] of [['--from', from], ['--to', to]] as const) {
        if (!(STORE_ENGINES as readonly string[]).includes(engine)) {
          console.error(`regionradar ${command}: ${flag} must be one of ${STORE_ENGINES.join(', ')}, not "${engine}"`);
          process.exit(64);
        }
      }
      if (command === 'migrate' && from === to) {
        console.error(`regionradar migrate: --from and --to name the same engine (${from}); give both, e.g. --from sqlite --to postgres`);
        process.exit(64);
      }
      const source = await openStore(config, from as (typeof STORE_ENGINES)[number]);
      const target = from === to ? source : await openStore(config, to as (typeof STORE_ENGINES)[number]);
      const checkpoint = fileCheckpoint(join(config.env.DATA_DIR, `reindex-${from}-to-${to}.checkpoint`));
      if (argv.includes('--restart')) checkpoint.clear();
      const bar = progressBar(`reindex ${from} → ${to}`);
      try {
        const r = await reindexAll(source, target, { checkpoint, onProgress: (p) => bar.update(p.copied, p.total) });
        bar.end();
        console.log(`reindexed ${r.copied} articles from ${from} into ${to}${r.resumedAfter ? ` (resumed after ${r.resumedAfter})` : ''}`);
        if (command === 'migrate' && from === 'sqlite' && to === 'postgres') {
          // The runtime catalogue moves too: sources added, changed or removed through the admin API or OPML.
          const [{ openSourceCatalogue, copyCatalogueChanges }, { openPostgresCatalogue }] = await Promise.all([import('./sources/catalogue.js'), import('./sources/postgres-catalogue.js')]);
          const fromCatalogue = openSourceCatalogue(config.catalogueFile, config.sources);
          const toCatalogue = openPostgresCatalogue(config.env.DATABASE_URL!, config.sources);
          try {
            const c = await copyCatalogueChanges(fromCatalogue, toCatalogue, config.sources);
            console.log(`catalogue: ${c.put} sources written, ${c.removed} removed`);
          } finally {
            fromCatalogue.close();
            toCatalogue.close();
          }
        }
      } finally {
        await source.close();
        if (target !== source) await target.close();
      }
      return;
    }
    case 'check-index': {
      const config = loadConfigOrExit();
      const [{ openStore, indexedConfigured }, { indexConsistent }] = await Promise.all([import('./store/index.js'), import('./store/port.js')]);
      const store = await openStore(config);
      try {
        const c = await store.checkIndex();
        const ok = indexConsistent(c);
        if (argv.includes('--json')) console.log(JSON.stringify({ ok, ...c }));
        else {
          console.log(`${c.stored} articles stored, ${c.indexed} in the search index`);
          const kinds = [['stored but not found by search', c.onlyStored, c.onlyStoredCount], ['in the index but not stored', c.onlyIndexed, c.onlyIndexedCount], ['indexed with another version', c.differing, c.differingCount]] as const;
          for (const [what, ids, n] of kinds) if (n) console.log(`  ${n} ${what}: ${ids.join(' ')}${n > ids.length ? ' …' : ''}`);
          console.log(ok ? 'store and index hold the same articles' : 'store and index differ: `regionradar reindex` rebuilds the index from the store');
          // Documents of articles not stored may be the only copy of articles written before PostgreSQL held the records.
          if (c.onlyIndexedCount && indexedConfigured(config)) console.log('documents not stored: copy them first if they are articles to keep (`regionradar migrate --from meili --to postgres`), then `regionradar reindex --prune` deletes the rest');
        }
        if (!ok) process.exitCode = 1;
      } finally {
        await store.close();
      }
      return;
    }
    case 'jobs': {
      if (arg !== undefined && arg !== 'retry-failed') {
        console.error('usage: regionradar jobs [retry-failed [ingest|enrich]]');
        process.exit(64);
      }
      const config = loadConfigOrExit();
      await requireRedis(config.env.REDIS_URL);
      const [{ Queue }, { createRedis }, { QUEUE }, { reportQueue, retryFailed }] = await Promise.all([
        import('bullmq'),
        import('./queue/connection.js'),
        import('./queue/names.js'),
        import('./queue/inspect.js'),
      ]);
      const connection = createRedis(config.env.REDIS_URL, 'producer');
      const names = arg === 'retry-failed' && argv[2] ? [argv[2]] : Object.values(QUEUE);
      for (const name of names) {
        if (!(Object.values(QUEUE) as string[]).includes(name)) {
          console.error(`regionradar jobs: unknown queue "${name}"; expected ${Object.values(QUEUE).join(' or ')}`);
          process.exit(64);
        }
      }
      const queues = names.map((name) => new Queue(name, { connection, prefix: config.env.QUEUE_PREFIX }));
      try {
        for (const queue of queues) {
          if (arg === 'retry-failed') {
            console.log(`${queue.name}: ${await retryFailed(queue)} failed job(s) put back in the queue`);
            continue;
          }
          const r = await reportQueue(queue);
          console.log(`${r.queue}: ${Object.entries(r.counts).map(([state, n]) => `${n} ${state}`).join(', ')}`);
          for (const f of r.failed) console.log(`  failed ${f.id} after ${f.attempts} attempt(s)${f.at ? ` at ${f.at}` : ''}: ${f.reason}`);
        }
      } finally {
        await Promise.all(queues.map((q) => q.close()));
        connection.disconnect();
      }
      return;
    }
    case 'digests': {
      const frequency = opt('--frequency');
      const { FREQUENCIES } = await import('./subscriptions/model.js');
      if (arg !== 'run' || (frequency !== undefined && !(FREQUENCIES as readonly string[]).includes(frequency))) {
        console.error('usage: regionradar digests run [--frequency instant|daily|weekly] [--now]');
        process.exit(64);
      }
      const config = loadConfigOrExit();
      if (!config.env.SECRET_KEY) {
        console.error('regionradar digests: subscriptions are off; set SECRET_KEY and SMTP_URL');
        process.exit(64);
      }
      const [{ createDeps, outboxDeps }, { runDigestsNow }] = await Promise.all([deps(), import('./digests/service.js')]);
      const d = await createDeps(config);
      try {
        const summary = await runDigestsNow(outboxDeps(d)!, {
          frequencies: frequency ? [frequency as (typeof FREQUENCIES)[number]] : undefined,
          early: argv.includes('--now'),
          onError: (sub, err) => console.error(`regionradar digests: subscription ${sub.id}: ${(err as Error).message}`),
        });
        console.log(Object.entries(summary).map(([k, n]) => `${n} ${k}`).join(', '));
        if (summary.failed) process.exitCode = 1;
      } finally {
        await d.close();
      }
      return;
    }
    case 'subscribers': {
      const email = argv[2];
      if ((arg !== 'export' && arg !== 'delete') || !email) {
        console.error('usage: regionradar subscribers export EMAIL | regionradar subscribers delete EMAIL');
        process.exit(64);
      }
      const config = loadConfigOrExit();
      const store = config.env.DATABASE_URL
        ? await (await import('./subscriptions/postgres.js')).createPostgresSubscriptionStore({ connectionString: config.env.DATABASE_URL })
        : (await import('./subscriptions/sqlite.js')).createSqliteSubscriptionStore(config.subscribersFile);
      try {
        if (arg === 'export') {
          const subs = await store.findByEmail(email);
          const withLedger = await Promise.all(subs.map(async (s) => ({ ...s, digests: await store.ledger(s.id, 1_000) })));
          console.log(JSON.stringify({ email: email.trim().toLowerCase(), subscriptions: withLedger }, null, 2));
        } else {
          console.log(`${await store.removeByEmail(email)} subscription(s) of ${email.trim().toLowerCase()} deleted`);
        }
      } finally {
        await store.close();
      }
      return;
    }
    case 'ready': {
      // The container health check of every role: Redis and the store answer (what /readyz says for the API).
      const config = loadConfigOrExit();
      const [{ assertRedisReachable }, { openStore }] = await Promise.all([import('./queue/connection.js'), import('./store/index.js')]);
      const problems: string[] = [];
      await assertRedisReachable(config.env.REDIS_URL, READY_TIMEOUT_MS).catch((err: Error) => problems.push(`redis: ${err.message}`));
      try {
        const store = await openStore(config);
        try {
          if (!(await store.ping())) problems.push('store: no answer');
        } finally {
          await store.close();
        }
      } catch (err) {
        problems.push(`store: ${(err as Error).message}`);
      }
      if (problems.length) {
        console.error(`not ready: ${problems.join('; ')}`);
        process.exit(1);
      }
      console.log('ready');
      return;
    }
    case 'check-config': {
      const config = loadConfigOrExit();
      console.log(`configuration OK: ${config.sources.length} sources, ${config.taxonomy.themes.length} themes`);
      const { checkServices } = await import('./startup.js');
      const problems = await checkServices(config);
      for (const p of problems) console.error(`regionradar: ${p}`);
      if (problems.length) process.exit(3);
      console.log(`Redis answers at ${config.env.REDIS_URL}${config.env.DATABASE_URL ? '; PostgreSQL answers' : ''}${config.env.MEILI_HOST ? `; Meilisearch answers at ${config.env.MEILI_HOST}` : ''}${config.env.SMTP_URL ? '; the SMTP relay takes mail' : ''}`);
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
  main(process.argv.slice(2)).catch(async (err) => {
    const { ConfigError, StoreError } = await import('./errors.js');
    // Expected failures say what is wrong in one line; anything else keeps its stack for a bug report.
    if (err instanceof ConfigError) exitOnConfigError(err);
    if (err instanceof StoreError) {
      console.error(`regionradar: ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  });
}
