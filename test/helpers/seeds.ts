import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The five real seed articles in ../shared/seeds, keyed by their number ("000" … "004"). */
export const SEEDS_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'seeds');

export function readSeeds(): Map<string, string> {
  return new Map(
    readdirSync(SEEDS_DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => [f.slice(0, 3), readFileSync(join(SEEDS_DIR, f), 'utf8')]),
  );
}
