/**
 * The taggers' throughput on one core: the 300 articles of the evaluation corpus
 * (test/fixtures/eval/corpus/) tagged for language, themes and regions, in rounds after a warm-up.
 * Prints articles per second for each tagger and for the three together (median of the rounds).
 *
 *   npm run bench:tag [-- --rounds 15]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { createNordicDetector } from '../src/pipeline/language/cld2.js';
import { createRegionTagger } from '../src/pipeline/regions/index.js';
import { createThemeTagger } from '../src/pipeline/themes/index.js';

const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 15;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = loadConfig({ CONFIG_DIR: join(root, 'config'), LOG_LEVEL: 'silent' });
const detect = createNordicDetector(config.languageProfiles);
const themes = createThemeTagger(config.taxonomy);
const regions = createRegionTagger(config.gazetteer);
const articles = ['test', 'tune'].flatMap((part) =>
  readFileSync(join(root, 'test', 'fixtures', 'eval', 'corpus', `${part}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { title: string; text: string; lang: string }),
);

/** Articles per second, median of the rounds, after two rounds of warm-up. */
function rate(tag: (a: (typeof articles)[number]) => unknown): number {
  for (let w = 0; w < 2; w++) for (const a of articles) tag(a);
  const times = Array.from({ length: ROUNDS }, () => {
    const t0 = performance.now();
    for (const a of articles) tag(a);
    return performance.now() - t0;
  }).sort((x, y) => x - y);
  return articles.length / (times[Math.floor(ROUNDS / 2)]! / 1000);
}

const language = rate((a) => detect({ title: a.title, body: a.text }));
const theme = rate((a) => themes({ title: a.title, summary: '', text: a.text, language: a.lang }));
const region = rate((a) => regions(`${a.title}\n${a.text}`));
const all = rate((a) => {
  const lang = detect({ title: a.title, body: a.text }).lang;
  themes({ title: a.title, summary: '', text: a.text, language: lang });
  regions(`${a.title}\n${a.text}`);
});
const f = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;
console.log(`taggers on ${articles.length} corpus articles, one core, median of ${ROUNDS} rounds:`);
console.log(`  language ${f(language)}, themes ${f(theme)}, regions ${f(region)}; all three ${f(all)}`);
