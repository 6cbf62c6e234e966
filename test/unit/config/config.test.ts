import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';
import { CONFIG_DIR } from '../../helpers/config.js';

/** A copy of the shipped config dir with one file's text replaced. */
function configWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rr-config-'));
  cpSync(CONFIG_DIR, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

function configError(dir: string, env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig({ CONFIG_DIR: dir, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped configuration', () => {
  it('validates, with the user’s first sources and at least 12 themes in six languages', () => {
    const c = loadConfig({ CONFIG_DIR });
    const ids = c.sources.map((s) => s.id);
    for (const id of ['regjeringen-kdd', 'tillvaxtverket-nyheter', 'nordregio-news', 'reglab-nyheter', 'stockholmregion-eu']) expect(ids).toContain(id);
    expect(c.sources.find((s) => s.id === 'regjeringen-kdd')!.url).toBe('https://www.regjeringen.no/no/rss/Rss/2581966/?owner=504');
    expect(c.taxonomy.themes.length).toBeGreaterThanOrEqual(12);
    for (const t of c.taxonomy.themes) for (const l of ['nb', 'nn', 'sv', 'da', 'fi', 'en'] as const) expect(t.terms[l].length).toBeGreaterThan(0);
    expect(Object.isFrozen(c.sources[0])).toBe(true);
  });
});

describe('configuration errors name the file, the path and the reason', () => {
  it.each([
    ['sources.yaml', (t: string) => t.replace('every: 30m', 'every: soon'), 'sources.0.schedule.every', /not a duration/],
    ['sources.yaml', (t: string) => t.replace('kind: feed', 'kind: podcast'), 'sources.0.kind', /feed|listing/],
    ['sources.yaml', (t: string) => t.replace('id: tillvaxtverket-nyheter', 'id: regjeringen-kdd'), 'sources.2.id', /duplicate id "regjeringen-kdd"/],
    ['sources.yaml', (t: string) => t.replace('country: NO', 'country: Norway'), 'sources.0.country', /ISO 3166-1/],
    ['sources.yaml', (t: string) => t.replace('      item: "ul#searchResultsListing li.listItem"\n', ''), 'sources.1.listing.item', /expected string/],
    ['themes.yaml', (t: string) => t.replace(/      fi: \[älykäs erikoistuminen[^\n]*\n/, ''), 'themes.0.terms.fi', /expected array/],
    ['languages.yaml', (t: string) => t.replace('  nob:', '  xyz:'), 'languages', /key/i],
    ['regions.yaml', (t: string) => t.replace('places: [Eigersund,', 'places: [eigersund,'), 'regions.1.places.0', /capital letter/],
    ['languages.yaml', (t: string) => t.replace("spellings: ['øy'", "spellings: ['(øy'"), 'languages.nob.spellings.0', /regular expression/],
  ])('%s: %s', (file, edit, path, reason) => {
    const err = configError(configWith(file, edit));
    expect(err.file).toBe(join(err.file.slice(0, err.file.lastIndexOf('/')), file));
    expect(err.path).toBe(path);
    expect(err.reason).toMatch(reason);
  });

  it('reports broken YAML with its line', () => {
    const err = configError(configWith('themes.yaml', (t) => t.replace(/^version: (\d+)$/m, 'version: [$1')));
    expect(err.file.endsWith('themes.yaml')).toBe(true);
    expect(err.reason).toMatch(/invalid YAML/);
  });

  it('reports a bad environment variable by name', () => {
    const err = configError(CONFIG_DIR, { PORT: 'eighty' });
    expect(err.file).toBe('environment');
    expect(err.path).toBe('PORT');
  });

  it('makes the CLI exit non-zero with the message', () => {
    const dir = configWith('sources.yaml', (t) => t.replace('every: 30m', 'every: 10s'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../../src/cli.ts'), 'check-config'], {
      env: { ...process.env, CONFIG_DIR: dir },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`configuration error in ${join(dir, 'sources.yaml')}`);
    expect(r.stderr).toContain('sources.0.schedule.every: must be at least 1m');
  });
});
