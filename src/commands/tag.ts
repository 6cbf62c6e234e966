import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LanguageDetector } from '../pipeline/language/index.js';
import type { ThemeTagger } from '../pipeline/themes/index.js';
import type { RegionTagger } from '../pipeline/regions/index.js';

/**
 * `regionradar tag`: JSON lines `{"title", "text", "lang"?}` → JSON lines
 * `{"lang", "themes": [{"id", "score", "terms"}], "regions": [{"code", "name", "terms"}]}`, in order.
 * A line that is not such an object gets `{"error": "…"}` in its place, so outputs stay aligned.
 */
export async function runTag(deps: { detect: LanguageDetector; tagThemes: ThemeTagger; tagRegions: RegionTagger }, input: Readable, output: Writable): Promise<number> {
  let errors = 0;
  let lineNo = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNo++;
    if (!line.trim()) continue;
    let out: unknown;
    try {
      const item = JSON.parse(line) as { title?: unknown; text?: unknown; lang?: unknown };
      if (typeof item !== 'object' || item === null) throw new Error('expected a JSON object');
      const title = typeof item.title === 'string' ? item.title : '';
      const text = typeof item.text === 'string' ? item.text : '';
      if (!title && !text) throw new Error('needs "title" or "text"');
      const lang = typeof item.lang === 'string' && item.lang ? item.lang : deps.detect({ title, body: text }).lang;
      const themes = deps.tagThemes({ title, summary: '', text, language: lang }).map(({ id, score, terms }) => ({ id, score, terms }));
      out = { lang, themes, regions: deps.tagRegions(`${title}\n${text}`) };
    } catch (err) {
      errors++;
      out = { error: `line ${lineNo}: ${(err as Error).message}` };
    }
    if (!output.write(`${JSON.stringify(out)}\n`)) await new Promise((r) => output.once('drain', r));
  }
  return errors;
}
