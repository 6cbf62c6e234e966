/// <reference lib="dom" />
/**
 * `npm run screenshots`: the list, search and article pages and a digest e-mail at desktop width (1280 px) and at 375 px,
 * written to docs/screenshots/*.png. It starts the app over the demo's recorded sources (needs Redis,
 * like the demo) and Debian's Chromium (test/helpers/browser.ts). The e2e tests do not depend on it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeps } from '../../src/deps.js';
import { startServices } from '../../src/runtime.js';
import { startFixtureServer } from '../../src/fixtures/server.js';
import { withFixtureUrls } from '../../src/demo.js';
import { shippedConfig } from '../helpers/config.js';
import { clearPrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { EXPECTED_ITEMS } from '../helpers/catalogue.js';
import { freePort, ROOT } from '../helpers/processes.js';
import { launchChromium } from '../helpers/browser.js';

const OUT = join(ROOT, 'docs', 'screenshots');
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900, maxHeight: 1400 },
  { name: 'mobile', width: 375, height: 812, maxHeight: 2400 },
];

const prefix = uniquePrefix('screenshots');
const dataDir = mkdtempSync(join(tmpdir(), 'rr-screenshots-'));
const fixtures = await startFixtureServer();
const port = await freePort();
const config = withFixtureUrls(shippedConfig({ QUEUE_PREFIX: prefix, DATA_DIR: dataDir, ALLOW_PRIVATE_HOSTS: '127.0.0.1', PORT: String(port), HOST: '127.0.0.1' }), fixtures.urls);
const deps = await createDeps(config);
const running = await startServices(deps, { api: true, ingest: true, enrich: true, schedulers: true });
const base = `http://127.0.0.1:${running.port ?? port}`;
try {
  await waitFor('the fixtures ingested', async () => (await deps.store.list({}, { limit: 200 })).items.length === EXPECTED_ITEMS, 60_000, 200);
  const seed = (await deps.store.list({}, { limit: 200 })).items.find((a) => a.title === 'Verkstad for regional utvikling');
  if (!seed) throw new Error('the nynorsk seed is missing');
  const pages = [
    { name: 'list', path: '/?ui=en' },
    { name: 'search', path: '/search?q=smart+spesialisering&ui=en' },
    { name: 'article', path: `/articles/${seed.id}?ui=en` },
    // The weekly digest e-mail of a theme as a nynorsk subscriber gets it (its preview).
    { name: 'digest', path: '/digests/preview?theme=smart-specialisation&frequency=weekly&locale=nn&ui=nn' },
  ];
  mkdirSync(OUT, { recursive: true });
  for (const w of WIDTHS) {
    const browser = await launchChromium({ viewport: { width: w.width, height: w.height }, deviceScaleFactor: 1 });
    try {
      const page = await browser.context.newPage();
      for (const p of pages) {
        await page.goto(`${base}${p.path}`, { waitUntil: 'load' });
        const height = Math.min(w.maxHeight, await page.evaluate(() => document.documentElement.scrollHeight));
        const file = join(OUT, `${p.name}-${w.name}.png`);
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: w.width, height } });
        console.log(`wrote ${file.slice(ROOT.length + 1)} (${w.width}×${height})`);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await running.close();
  await fixtures.close();
  await clearPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
}
