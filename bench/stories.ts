/**
 * Story grouping's throughput on one core, on a synthetic batch shaped like a busy month of ingestion:
 * articles made from the 300 of the evaluation corpus with every capitalised word and number replaced
 * at random (so many unrelated articles share one template's wording, as grant listings do), a third of
 * them in events of two to four reports (copies with sentences dropped and the title changed),
 * published over 120 days. Prints articles per second and, as a check that scale does not cost
 * precision, pairwise precision and recall against the generated events.
 *
 *   npx tsx bench/stories.ts [--articles 10000]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../src/config/paths.js';
import { groupStories, type StoryInput } from '../src/pipeline/stories/index.js';

const arg = process.argv.indexOf('--articles');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const root = packageRoot();
const corpus = ['test', 'tune'].flatMap((part) =>
  readFileSync(join(root, 'test', 'fixtures', 'eval', 'corpus', `${part}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { title: string; text: string; lang: string; themes: string[]; regions: string[] }),
);

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same batch. */
let seed = 20260;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const SYLLABLES = ['ka', 'lo', 've', 'ni', 'stad', 'berg', 'dal', 'vik', 'mo', 'ra', 'sen', 'holm', 'tu', 'ja', 'ri', 'nes', 'by', 'ås'];
const POOL = Array.from({ length: 4000 }, () => {
  const s = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join('');
  return s[0]!.toUpperCase() + s.slice(1);
});

/** A corpus article made into a new event: every capitalised word and every number replaced. */
function newEvent(): { title: string; text: string; lang: string; themes: string[]; regions: string[] } {
  const base = pick(corpus);
  const names = new Map<string, string>();
  const swap = (s: string) =>
    s
      .replace(/\d+(?:[.,\s]\d{3})*/g, (m) => String(Number(m) <= 31 ? 1 + Math.floor(random() * 28) : Math.floor(random() * 5000)))
      .replace(/\p{Lu}[\p{L}]*/gu, (m) => names.get(m) ?? (names.set(m, pick(POOL)), names.get(m)!));
  return { ...base, title: swap(base.title), text: swap(base.text) };
}

const inputs: StoryInput[] = [];
const gold: string[] = [];
const start = Date.parse('2026-01-01T00:00:00Z');
while (inputs.length < N) {
  const event = newEvent();
  const reports = random() < 1 / 3 ? 2 + Math.floor(random() * 3) : 1;
  const at = start + random() * 120 * 86_400_000;
  const eventId = `e${inputs.length}`;
  for (let r = 0; r < reports && inputs.length < N; r++) {
    const sentences = event.text.split(/(?<=\.)\s+/);
    const text = r === 0 ? event.text : sentences.filter(() => random() > 0.3).join(' ') || event.text;
    inputs.push({
      id: `a${inputs.length}`,
      sourceId: `s${Math.floor(random() * 200)}`,
      title: r === 0 ? event.title : `${pick(POOL)}: ${event.title.split(' ').slice(0, 6).join(' ')}`,
      text,
      language: event.lang,
      publishedAt: new Date(at + r * random() * 2 * 86_400_000).toISOString(),
      themes: event.themes,
      regions: event.regions,
    });
    gold.push(eventId);
  }
}

groupStories(inputs.slice(0, 500)); // warm-up
const t0 = performance.now();
const out = groupStories(inputs);
const seconds = (performance.now() - t0) / 1000;

// Pairwise precision and recall, counted per group rather than over all pairs.
const pairs = (groups: Map<string, number[]>) => [...groups.values()].reduce((s, g) => s + (g.length * (g.length - 1)) / 2, 0);
const byKey = (key: (i: number) => string) => {
  const m = new Map<string, number[]>();
  out.forEach((_, i) => {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  });
  return m;
};
const found = byKey((i) => out[i]!.story);
const goldGroups = byKey((i) => gold[i]!);
const both = byKey((i) => `${out[i]!.story} ${gold[i]}`);
const tp = pairs(both);
console.log(`stories: ${N} articles grouped in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} articles/s (one core)`);
console.log(`  synthetic events: pairwise precision ${((100 * tp) / (pairs(found) || 1)).toFixed(1)}%, recall ${((100 * tp) / (pairs(goldGroups) || 1)).toFixed(1)}%`);
