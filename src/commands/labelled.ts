import { readFileSync } from 'node:fs';

/** One hand-labelled article of test/fixtures/eval/ (the team's 60 and the evaluation corpus). */
export interface LabelledArticle {
  id: string;
  lang: string;
  title: string;
  text: string;
  themes: string[];
  regions: string[];
  /** The evaluation corpus (test/fixtures/eval/corpus/): publisher, story group, near-duplicate, the real page paraphrased. */
  source?: string;
  story?: string | null;
  duplicateOf?: string | null;
  basedOn?: string | null;
}

/** A JSON-lines file of labelled articles. */
export function readLabelled(file: string): LabelledArticle[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledArticle);
}
