import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runLangid } from '../../src/commands/langid.js';
import { runTag } from '../../src/commands/tag.js';
import { createNordicDetector } from '../../src/pipeline/language/cld2.js';
import { createThemeTagger } from '../../src/pipeline/themes/index.js';
import { createRegionTagger } from '../../src/pipeline/regions/index.js';
import { shippedConfig } from '../helpers/config.js';

const config = shippedConfig();
const detect = createNordicDetector(config.languageProfiles);

async function run(fn: (input: Readable, output: PassThrough) => Promise<unknown>, lines: string[]): Promise<string[]> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c) => chunks.push(String(c)));
  await fn(Readable.from([lines.join('\n')]), output);
  return chunks.join('').split('\n').filter(Boolean);
}

describe('regionradar langid', () => {
  it('prints one code per input line, in order, und for a line too short to tell', async () => {
    const out = await run((i, o) => runLangid(detect, i, o), [
      'Eg veit ikkje kva fylkeskommunen vil gjere med dette.',
      'OK',
      'Regionerna ska ta ett större ansvar för kompetensförsörjningen.',
      'Maakunnat vastaavat alueiden kehittämisestä.',
    ]);
    expect(out).toEqual(['nno', 'und', 'swe', 'fin']);
  });
});

describe('regionradar tag', () => {
  it('prints language, themes with their terms and regions per JSON line, and an error line for bad input', async () => {
    const deps = { detect, tagThemes: createThemeTagger(config.taxonomy), tagRegions: createRegionTagger(config.gazetteer) };
    const out = (
      await run((i, o) => runTag(deps, i, o), [
        JSON.stringify({ title: 'Smart spesialisering i Nordland', text: 'Fylkeskommunen i Nordland arbeider med smart spesialisering og regional utvikling i heile fylket.' }),
        '[1, 2]',
        JSON.stringify({ title: 'Circular economy in Västerbotten', text: 'The region invests in the circular economy.', lang: 'eng' }),
      ])
    ).map((l) => JSON.parse(l));
    expect(out[0].lang).toMatch(/^(nob|nno)$/);
    expect(out[0].themes.map((t: { id: string }) => t.id)).toContain('smart-specialisation');
    expect(out[0].regions).toEqual([{ code: 'NO-18', name: 'Nordland', terms: ['Nordland'] }]);
    expect(out[1].error).toMatch(/line 2/);
    expect(out[2]).toMatchObject({ lang: 'eng', regions: [{ code: 'SE-AC' }] });
    expect(out[2].themes.map((t: { id: string }) => t.id)).toContain('circular-economy');
  });
});
