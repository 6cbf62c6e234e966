import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { franc } from 'franc';
import { createLanguageDetector, type LanguageDetector } from '../pipeline/language/index.js';
import { loadCld2 } from '../pipeline/language/cld2.js';
import { loadConfig } from '../config/index.js';
import { packageRoot } from '../config/paths.js';

/**
 * `npm run eval`: language-identification accuracy on the development set (../shared/langid), for
 * single sentences and for paragraphs of five consecutive sentences of one language, per language,
 * with franc alone (its default build, restricted to the Nordic languages it has) beside it.
 */
type Guess = (text: string) => string;

export interface Accuracy {
  overall: number;
  perLanguage: Record<string, number>;
  n: number;
}

export function readDevSet(file: string): Array<[string, string]> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const i = l.indexOf('\t');
      return [l.slice(0, i), l.slice(i + 1)] as [string, string];
    });
}

/** Consecutive lines of one language joined in fives, as paragraphs. */
export function paragraphs(lines: Array<[string, string]>, size = 5): Array<[string, string]> {
  const byLang = new Map<string, string[]>();
  for (const [lang, text] of lines) byLang.set(lang, [...(byLang.get(lang) ?? []), text]);
  const out: Array<[string, string]> = [];
  for (const [lang, texts] of byLang) for (let i = 0; i + size <= texts.length; i += size) out.push([lang, texts.slice(i, i + size).join(' ')]);
  return out;
}

export function accuracy(items: Array<[string, string]>, guess: Guess): Accuracy {
  const per = new Map<string, [number, number]>();
  let ok = 0;
  for (const [lang, text] of items) {
    const hit = guess(text) === lang;
    if (hit) ok++;
    const p = per.get(lang) ?? [0, 0];
    p[0] += hit ? 1 : 0;
    p[1]++;
    per.set(lang, p);
  }
  return { overall: ok / items.length, perLanguage: Object.fromEntries([...per].map(([l, [a, b]]) => [l, a / b])), n: items.length };
}

const FRANC_NORDIC = ['nob', 'nno', 'swe', 'dan', 'fin', 'eng'];
const pct = (x: number | undefined) => (x === undefined ? '   –  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

function table(title: string, ours: Accuracy, baseline: Accuracy): string {
  const langs = Object.keys(ours.perLanguage);
  const rows = [`${title} (n=${ours.n})`, `  ${'lang'.padEnd(6)} regionradar  franc alone`];
  for (const l of langs) rows.push(`  ${l.padEnd(6)} ${pct(ours.perLanguage[l])}      ${pct(baseline.perLanguage[l])}`);
  rows.push(`  ${'all'.padEnd(6)} ${pct(ours.overall)}      ${pct(baseline.overall)}`);
  return rows.join('\n');
}

export function evaluateLanguage(detect: LanguageDetector, devFile: string): string {
  const sentences = readDevSet(devFile);
  const paras = paragraphs(sentences);
  const ours: Guess = (t) => detect({ body: t }).lang;
  const francAlone: Guess = (t) => franc(t, { only: FRANC_NORDIC, minLength: 1 });
  return [table('Language, single sentences', accuracy(sentences, ours), accuracy(sentences, francAlone)), table('Language, 5-sentence paragraphs', accuracy(paras, ours), accuracy(paras, francAlone))].join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const cld2 = loadCld2();
  const detect = createLanguageDetector(config.languageProfiles, { secondOpinion: cld2 });
  const devFile = process.env.LANGID_DEV ?? join(packageRoot(), '..', 'shared', 'langid', 'dev-sentences.tsv');
  console.log(`dev set: ${devFile}; CLD2 second opinion: ${cld2 ? 'on' : 'not built'}\n`);
  console.log(evaluateLanguage(detect, devFile));
}
