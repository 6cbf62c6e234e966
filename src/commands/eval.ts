import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { franc } from 'franc';
import type { LanguageDetector } from '../pipeline/language/index.js';
import { createNordicDetector, loadCld2 } from '../pipeline/language/cld2.js';
import { loadConfig } from '../config/index.js';
import { packageRoot } from '../config/paths.js';
import { createThemeTagger, type ThemeTagger } from '../pipeline/themes/index.js';
import { createRegionTagger, type RegionTagger } from '../pipeline/regions/index.js';
import { readLabelled, type LabelledArticle } from './labelled.js';
import { evaluateStories } from './eval-stories.js';

export { readLabelled, type LabelledArticle };

/**
 * `npm run eval`: language-identification accuracy on the development set (../shared/langid), for
 * single sentences and for paragraphs of five consecutive sentences of one language, per language,
 * with franc alone (its default build, restricted to the Nordic languages it has) beside it; then
 * theme and region precision, recall and F1 on the hand-labelled articles in test/fixtures/eval/, and
 * story grouping's pairwise precision and recall on the frozen part's labelled story groups.
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
  // Headline-sized texts are where detectors fail most: scored on their own.
  const short = sentences.filter(([, text]) => text.trim().split(/\s+/).length <= 8);
  return [
    table('Language, single sentences', accuracy(sentences, ours), accuracy(sentences, francAlone)),
    table('Language, sentences of eight words or fewer', accuracy(short, ours), accuracy(short, francAlone)),
    table('Language, 5-sentence paragraphs', accuracy(paras, ours), accuracy(paras, francAlone)),
  ].join('\n\n');
}


interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const f1 = ({ tp, fp, fn }: Counts) => {
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp + fn ? tp / (tp + fn) : 1;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
};

/** Per-label and micro-averaged precision, recall and F1 of predicted label sets against the gold ones. */
export function scoreLabels(items: Array<{ gold: string[]; predicted: string[] }>): { micro: ReturnType<typeof f1>; perLabel: Map<string, Counts> } {
  const perLabel = new Map<string, Counts>();
  const at = (l: string) => perLabel.get(l) ?? (perLabel.set(l, { tp: 0, fp: 0, fn: 0 }), perLabel.get(l)!);
  for (const { gold, predicted } of items) {
    for (const l of predicted) (gold.includes(l) ? at(l).tp++ : at(l).fp++);
    for (const l of gold) if (!predicted.includes(l)) at(l).fn++;
  }
  const total = [...perLabel.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return { micro: f1(total), perLabel };
}

export function evaluateTagging(articles: LabelledArticle[], deps: { detect: LanguageDetector; tagThemes: ThemeTagger; tagRegions: RegionTagger }, name = 'test/fixtures/eval/articles.jsonl'): string {
  const predictions = articles.map((a) => {
    const lang = deps.detect({ title: a.title, body: a.text }).lang;
    return {
      a,
      lang,
      themes: deps.tagThemes({ title: a.title, summary: '', text: a.text, language: lang }).map((t) => t.id),
      regions: deps.tagRegions(`${a.title}\n${a.text}`).map((r) => r.code),
    };
  });
  const themes = scoreLabels(predictions.map((p) => ({ gold: p.a.themes, predicted: p.themes })));
  const regions = scoreLabels(predictions.map((p) => ({ gold: p.a.regions, predicted: p.regions })));
  const langOk = predictions.filter((p) => p.lang === p.a.lang).length;
  const rows = [`Themes on ${articles.length} labelled articles (${name})`, `  ${'theme'.padEnd(32)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)}   tp fp fn`];
  for (const [id, c] of [...themes.perLabel].sort(([a], [b]) => a.localeCompare(b))) {
    const { p, r, f } = f1(c);
    rows.push(`  ${id.padEnd(32)} ${pct(p)} ${pct(r)} ${pct(f)}  ${String(c.tp).padStart(3)} ${String(c.fp).padStart(2)} ${String(c.fn).padStart(2)}`);
  }
  rows.push(`  ${'micro-average'.padEnd(32)} ${pct(themes.micro.p)} ${pct(themes.micro.r)} ${pct(themes.micro.f)}`);
  rows.push('', `Regions: precision ${pct(regions.micro.p)}, recall ${pct(regions.micro.r)}, F1 ${pct(regions.micro.f)}`);
  rows.push(`Language of the labelled articles: ${langOk}/${articles.length}`);
  for (const p of predictions) {
    const missed = p.a.themes.filter((t) => !p.themes.includes(t));
    const extra = p.themes.filter((t) => !p.a.themes.includes(t));
    if (missed.length || extra.length) rows.push(`  ${p.a.id}: missed ${missed.join(', ') || '–'}; extra ${extra.join(', ') || '–'}`);
  }
  return rows.join('\n');
}


if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const detect = createNordicDetector(config.languageProfiles);
  const devFile = process.env.LANGID_DEV ?? join(packageRoot(), '..', 'shared', 'langid', 'dev-sentences.tsv');
  const taggers = { detect, tagThemes: createThemeTagger(config.taxonomy), tagRegions: createRegionTagger(config.gazetteer) };
  const evalDir = join(packageRoot(), 'test', 'fixtures', 'eval');
  // `npm run eval -- --tune`: the tuning part alone, for work on the taggers; the frozen part stays unread.
  // `--check`: the check part (written after the first round of tuning) as a held-out measure while
  // tuning: figures only, no per-article misses, so that it is not tuned on in turn.
  if (process.argv.includes('--tune')) {
    console.log(evaluateTagging(readLabelled(join(evalDir, 'corpus', 'tune.jsonl')), taggers, 'test/fixtures/eval/corpus/tune.jsonl, the tuning part'));
    process.exit(0);
  }
  if (process.argv.includes('--check')) {
    const report = evaluateTagging(readLabelled(join(evalDir, 'corpus', 'check.jsonl')), taggers, 'test/fixtures/eval/corpus/check.jsonl, the check part');
    console.log(report.split('\n').filter((l) => !/^ {2}\S+-k-\d+:/.test(l)).join('\n'));
    process.exit(0);
  }
  console.log(`dev set: ${devFile}; CLD2 second opinion: ${loadCld2() ? 'on' : 'not built'}\n`);
  console.log(evaluateLanguage(detect, devFile));
  console.log('');
  // The frozen test part of the corpus first: it measures what nobody tuned on. Then the team's own 60.
  const frozen = join(evalDir, 'corpus', 'test.jsonl');
  if (existsSync(frozen)) {
    console.log(evaluateTagging(readLabelled(frozen), taggers, 'test/fixtures/eval/corpus/test.jsonl, the frozen test part'));
    console.log('');
    console.log(evaluateStories(readLabelled(frozen), taggers, 'test/fixtures/eval/corpus/test.jsonl, the frozen test part'));
    console.log('');
  }
  console.log(evaluateTagging(readLabelled(join(evalDir, 'articles.jsonl')), taggers));
}
