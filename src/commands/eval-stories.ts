import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/index.js';
import { packageRoot } from '../config/paths.js';
import type { LanguageDetector } from '../pipeline/language/index.js';
import { createNordicDetector } from '../pipeline/language/cld2.js';
import { createRegionTagger, type RegionTagger } from '../pipeline/regions/index.js';
import { comparePairs, groupStories, type StoryInput } from '../pipeline/stories/index.js';
import { createThemeTagger, type ThemeTagger } from '../pipeline/themes/index.js';
import { readLabelled, type LabelledArticle } from './labelled.js';

/**
 * Story grouping measured on the hand-labelled corpus (test/fixtures/eval/corpus/): the product's own
 * taggers supply language, themes and regions (never the gold labels), groupStories groups the
 * articles, and every pair of articles is scored against the gold story groups.
 *
 *   npx tsx src/commands/eval-stories.ts tune      # the tuning part
 *   npx tsx src/commands/eval-stories.ts test      # the frozen test part: report, never tune on it
 *   npx tsx src/commands/eval-stories.ts tune --pairs   # also the evidence of gold and wrongly linked pairs
 */

/** The articles as the pipeline would see them: language, themes and regions from the taggers. */
export function toStoryInputs(articles: LabelledArticle[], deps: { tagThemes: ThemeTagger; tagRegions: RegionTagger; detect: LanguageDetector }): StoryInput[] {
  return articles.map((a) => {
    const language = deps.detect({ title: a.title, body: a.text }).lang;
    return {
      id: a.id,
      sourceId: a.source ?? a.id,
      title: a.title,
      text: a.text,
      language,
      themes: deps.tagThemes({ title: a.title, summary: '', text: a.text, language }).map((t) => t.id),
      regions: deps.tagRegions(`${a.title}\n${a.text}`).map((r) => r.code),
    };
  });
}

const goldStory = (a: LabelledArticle) => a.story ?? a.id;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function evaluateStories(articles: LabelledArticle[], deps: { tagThemes: ThemeTagger; tagRegions: RegionTagger; detect: LanguageDetector }, name: string, options: { pairs?: boolean } = {}): string {
  const inputs = toStoryInputs(articles, deps);
  const t0 = performance.now();
  const assigned = groupStories(inputs);
  const ms = performance.now() - t0;
  const story = new Map(assigned.map((s) => [s.id, s.story]));
  const dupOf = new Map(assigned.map((s) => [s.id, s.duplicateOf]));

  let tp = 0;
  let fp = 0;
  let fn = 0;
  let crossGold = 0;
  let crossFound = 0;
  const wrong: string[] = [];
  const missed: string[] = [];
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      const a = articles[i]!;
      const b = articles[j]!;
      const gold = goldStory(a) === goldStory(b);
      const found = story.get(a.id) === story.get(b.id);
      const cross = a.lang !== b.lang;
      if (gold && cross) crossGold++;
      if (gold && found && cross) crossFound++;
      if (gold && found) tp++;
      else if (found) {
        fp++;
        wrong.push(`${a.id} + ${b.id}`);
      } else if (gold) {
        fn++;
        missed.push(`${a.id} + ${b.id}`);
      }
    }
  }
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp + fn ? tp / (tp + fn) : 1;
  const f = p + r ? (2 * p * r) / (p + r) : 0;

  const goldDup = articles.filter((a) => a.duplicateOf);
  const dupFound = goldDup.filter((a) => dupOf.get(a.id) === a.duplicateOf).length;
  const dupFalse = assigned.filter((s) => s.duplicateOf && articles.find((a) => a.id === s.id)?.duplicateOf !== s.duplicateOf);
  const groups = new Set(articles.map(goldStory)).size;
  const foundGroups = new Set(assigned.map((s) => s.story)).size;

  const rows = [
    `Stories on ${articles.length} articles (${name}): ${groups} gold groups with lone articles, ${foundGroups} found`,
    `  pairwise precision ${pct(p)}, recall ${pct(r)}, F1 ${pct(f)}  (tp ${tp}, fp ${fp}, fn ${fn})`,
    `  cross-language pairs found ${crossFound}/${crossGold}`,
    `  near-duplicates found ${dupFound}/${goldDup.length}, false ${dupFalse.length}${dupFalse.length ? `: ${dupFalse.map((s) => `${s.id}→${s.duplicateOf}`).join(', ')}` : ''}`,
    `  grouping took ${ms.toFixed(0)} ms`,
    `  wrong merges: ${wrong.join(', ') || '–'}`,
    `  missed pairs: ${missed.join(', ') || '–'}`,
  ];
  if (options.pairs) {
    // The evidence behind each gold pair and each linked or near-miss non-gold pair, to see which threshold decides.
    const evidence = comparePairs(inputs);
    const byPair = new Map(evidence.map((e) => [`${e.a}:${e.b}`, e]));
    const fmt = (e: (typeof evidence)[number] | undefined) =>
      e ? `cos ${e.keyCosine.toFixed(2)} cont ${e.keyContainment.toFixed(2)} spec ${e.specific} anc ${e.anchors}/${e.dates} nm ${e.names} words ${e.wordCosine.toFixed(2)} sh ${e.shingleContainment.toFixed(2)}/${e.shingleJaccard.toFixed(2)} slots ${e.slotsAgree}/${e.slotsConflict} swap ${e.swapped} ${e.linked ? 'LINK' : ''}${e.duplicate ? ' DUP' : ''}` : 'not a candidate';
    rows.push('', 'Gold pairs:');
    for (let i = 0; i < articles.length; i++)
      for (let j = i + 1; j < articles.length; j++)
        if (goldStory(articles[i]!) === goldStory(articles[j]!)) rows.push(`  ${articles[i]!.id} + ${articles[j]!.id}: ${fmt(byPair.get(`${i}:${j}`))}`);
    rows.push('', 'Strongest non-gold pairs:');
    const non = evidence.filter((e) => goldStory(articles[e.a]!) !== goldStory(articles[e.b]!)).sort((x, y) => Number(y.linked) - Number(x.linked) || y.keyCosine - x.keyCosine).slice(0, 40);
    for (const e of non) rows.push(`  ${articles[e.a]!.id} + ${articles[e.b]!.id}: ${fmt(e)}`);
  }
  return rows.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const part = process.argv[2] === 'test' ? 'test' : 'tune';
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const deps = { detect: createNordicDetector(config.languageProfiles), tagThemes: createThemeTagger(config.taxonomy), tagRegions: createRegionTagger(config.gazetteer) };
  const file = join(packageRoot(), 'test', 'fixtures', 'eval', 'corpus', `${part}.jsonl`);
  console.log(evaluateStories(readLabelled(file), deps, `test/fixtures/eval/corpus/${part}.jsonl`, { pairs: process.argv.includes('--pairs') }));
}
