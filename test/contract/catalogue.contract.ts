import { describe, expect, it } from 'vitest';
import type { SourceCatalogue } from '../../src/sources/catalogue.js';
import type { Source } from '../../src/sources/schema.js';
import { shippedConfig } from '../helpers/config.js';
import { makeSource } from '../helpers/factories.js';

export interface CatalogueContractOptions {
  name: string;
  /** A fresh, empty backing store; each `open` is another process on it (the same file, the same database). */
  create(): Promise<{ open(configured: readonly Source[]): SourceCatalogue }>;
}

/** The behaviour every persistent SourceCatalogue must have. */
export function runCatalogueContract(opts: CatalogueContractOptions): void {
  const config = shippedConfig();
  describe(`SourceCatalogue contract: ${opts.name}`, () => {
    it('layers runtime changes over config, persists them, and shows them to every process that opens the store', async () => {
      const backing = await opts.create();
      const [first, second] = config.sources;
      const a = backing.open(config.sources);
      const b = backing.open(config.sources); // another worker on the same store
      const added = makeSource({ id: 'runtime-added', url: 'https://x.test/feed.xml', schedule: { every: 5_400_000, jitter: 0.1 } });
      expect(await a.put(added)).toBe('created');
      expect(await a.put({ ...first!, name: 'Renamed' })).toBe('updated');
      expect(await a.remove(second!.id)).toBe(true);
      expect(await a.remove('never-there')).toBe(false);

      expect(await b.get('runtime-added')).toEqual(added);
      expect((await b.get(first!.id))?.name).toBe('Renamed');
      expect(await b.get(second!.id)).toBeUndefined();
      a.close();
      b.close();

      const reopened = backing.open(config.sources);
      const ids = (await reopened.list()).map((s) => s.id);
      expect(ids).toHaveLength(config.sources.length);
      expect(ids).not.toContain(second!.id);
      // Config's order first, then runtime additions in the order first added.
      expect(ids.at(-1)).toBe('runtime-added');
      expect(ids.indexOf(first!.id)).toBe(0);
      reopened.close();
    });

    it('brings a removed source back when it is put again, and keeps a change over a config that no longer has it', async () => {
      const backing = await opts.create();
      const [first] = config.sources;
      const c = backing.open(config.sources);
      await c.remove(first!.id);
      expect(await c.put({ ...first!, name: 'Back' })).toBe('created');
      expect((await c.get(first!.id))?.name).toBe('Back');
      c.close();
      // The next release drops the source from config.yaml: the operator's version stays.
      const next = backing.open(config.sources.slice(1));
      expect((await next.list()).map((s) => s.name)).toContain('Back');
      next.close();
    });
  });
}
