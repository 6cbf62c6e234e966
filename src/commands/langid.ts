import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LanguageDetector } from '../pipeline/language/index.js';

/**
 * `regionradar langid`: one text per input line → one ISO 639-3 code per output line, in order
 * ("und" for a line too short to tell). Output is written in blocks, so that piping a large file
 * costs one write per few hundred lines rather than one per line.
 */
export async function runLangid(detect: LanguageDetector, input: Readable, output: Writable): Promise<number> {
  let block: string[] = [];
  let count = 0;
  const flush = async () => {
    if (!block.length) return;
    const text = `${block.join('\n')}\n`;
    block = [];
    if (!output.write(text)) await new Promise((r) => output.once('drain', r));
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    block.push(detect({ body: line }).lang);
    count++;
    if (block.length >= 512) await flush();
  }
  await flush();
  return count;
}
