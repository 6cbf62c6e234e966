import { join } from 'node:path';
import { createNordicDetector } from '../src/pipeline/language/cld2.js';
import { loadConfig } from '../src/config/index.js';
import { packageRoot } from '../src/config/paths.js';
import { paragraphs, readDevSet } from '../src/commands/eval.js';

/**
 * Language-identification throughput on one core: the development set's sentences and 5-sentence
 * paragraphs, detected in a loop on the main thread. Three passes each; the median is printed.
 */
const devFile = process.env.LANGID_DEV ?? join(packageRoot(), '..', 'shared', 'langid', 'dev-sentences.tsv');
const detect = createNordicDetector(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }).languageProfiles);
const sentences = readDevSet(devFile).map(([, t]) => t);
const paras = paragraphs(readDevSet(devFile)).map(([, t]) => t);

function rate(texts: string[]): number {
  const runs: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    for (const body of texts) detect({ body });
    runs.push(texts.length / ((performance.now() - t0) / 1000));
  }
  return runs.sort((a, b) => a - b)[1]!;
}

rate(paras.slice(0, 100)); // warm-up: JIT and franc's lazily built tables
const p = rate(paras);
const s = rate(sentences);
const chars = paras.reduce((n, t) => n + t.length, 0) / paras.length;
console.log(`langid (one core): ${p.toFixed(0)} paragraphs/s (${paras.length} paragraphs of ${chars.toFixed(0)} characters on average), ${s.toFixed(0)} sentences/s`);
