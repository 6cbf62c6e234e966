// `npm run lint:deps`: import cycles and the layers' import direction (docs: STYLE.md, "Dependency
// direction"; README "Architecture"). model ← pipeline ← jobs ← workers; I/O sits in store/, state/,
// queue/ and pipeline/fetch/client.ts; api/ talks to ports, never to an adapter.
//
// Parsing: dependency-cruiser's TypeScript parser needs the TypeScript ≤ 6 compiler API, which
// TypeScript 7 (tsgo) does not have, so .ts files are parsed with @swc/core (`parser: 'swc'`). swc
// keeps `import type` / `export type … from`, so type-only imports count as dependencies, as with
// `tsPreCompilationDeps: true`: a type imported across a layer boundary couples the layers too.
// Resolution: `./x.js` resolves to `./x.ts` (dependency-cruiser does this for TS sources); no
// `tsConfig` option, which would also need the TypeScript API, and we use no `paths`/`baseUrl`.
//
// TSX: dependency-cruiser 17 calls swc with `syntax: 'typescript'` and no `tsx: true` (hard-coded in
// its src/extract/swc/parse.mjs, no option reaches it), so swc crashes on JSX; its other TSX paths
// need the TypeScript ≤ 6 API or @babel/core. So .tsx files are listed in `extraExtensionsToScan`:
// they are modules of the graph (imports *of* them resolve and count, cycles through a .ts edge are
// seen) but their own imports are not read. Only the JSX views under src/api/pages/views/ are .tsx;
// they render plain data, and a Biome `noRestrictedImports` override (biome.jsonc) forbids them
// store/, state/, queue/, jobs/ and api/deps.js. The page route files (.ts), which do the I/O
// through ApiDeps, are parsed and held to every rule below.

/** Adapters: what api/ and jobs/ must not import (store/index.ts is the factory opening one). */
const STORE_AND_STATE_ADAPTERS = ['^src/store/(sqlite|meili)/', '^src/store/index\\.ts$', '^src/state/redis'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles fail the build (STYLE.md, after BullMQ): a cycle makes load order matter and the layers meaningless.',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved would escape every rule here (and fail at run time).',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'model-imports-only-model',
      comment: 'model/ is the shared vocabulary: it imports nothing of ours but model/ (npm packages such as zod are fine).',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^(src|workers)/', pathNot: '^src/model/' },
    },
    {
      name: 'pipeline-no-io-ports-or-api',
      comment: 'pipeline/ is stages over plain data: it never imports store/, queue/, state/ or api/ (fetch/client.ts does its own I/O).',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/(store|queue|state|api)/' },
    },
    {
      name: 'pipeline-not-to-jobs',
      comment: 'Direction model ← pipeline ← jobs: a stage never calls back into the jobs that compose it.',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'jobs-no-queue-lib-or-adapters',
      comment:
        'jobs/ are plain async functions of (payload, deps): no bullmq or ioredis, and no store or state adapter; ' +
        'they receive ports (store/port.ts, state/port.ts) from deps.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: ['(^|/)node_modules/(bullmq|ioredis)/', ...STORE_AND_STATE_ADAPTERS] },
    },
    {
      name: 'api-only-ports',
      comment: 'api/ depends on store/port.ts and state/port.ts, never on an adapter (createDeps in deps.ts picks the adapter).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: STORE_AND_STATE_ADAPTERS },
    },
    {
      name: 'src-not-to-workers',
      comment: 'workers/ are the outermost layer (thin process entries): nothing in src/ imports them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^workers/' },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // JSX views: in the graph, imports not parsed (see the top of this file).
    extraExtensionsToScan: ['.tsx'],
    // Resolve packages through their `exports` maps (hono/secure-headers, @orama/stemmers/swedish …),
    // so that node_modules/bullmq/… and node_modules/ioredis/… are what the jobs rule sees.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
