import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStaticCatalogue, formatDuration, openSourceCatalogue } from '../../../src/sources/catalogue.js';
import { exportOpml, importOpml } from '../../../src/sources/opml.js';
import { parseSourceInput } from '../../../src/sources/catalogue.js';
import { createSourceAdmin } from '../../../src/sources/admin.js';
import { ConflictError, NotFoundError, ParseError, ValidationError } from '../../../src/errors.js';
import { shippedConfig } from '../../helpers/config.js';
import { runCatalogueContract } from '../../contract/catalogue.contract.js';

const config = shippedConfig();
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'rr-catalogue-')), 'catalogue.sqlite');

describe('OPML', () => {
  it('round-trips the shipped catalogue: export, then import into an empty instance, gives the same sources', () => {
    const opml = exportOpml(config.sources);
    const imported = importOpml(opml);
    expect(imported.rejected).toEqual([]);
    expect(imported.sources).toEqual(config.sources);
    expect(imported.sources.filter((s) => s.kind === 'newsletter').length).toBeGreaterThanOrEqual(3);
  });

  it('round-trips a newsletter block and a documents block', () => {
    const sources = [
      parseSourceInput({ id: 'nl', name: 'NL', kind: 'newsletter', url: 'https://example.org/subscribe', country: 'SE', newsletter: { token: 'nl-7f3a', mailbox: 'Lists/NL', from: ['@example.org'], listId: ['nl.example.org'], requireAuth: true } }, 'test'),
      parseSourceInput({ id: 'reports', name: 'Reports', kind: 'feed', url: 'https://example.org/feed', country: 'NO', documents: { maxPerRun: 2, maxBytes: 5_000_000 } }, 'test'),
    ];
    expect(importOpml(exportOpml(sources)).sources).toEqual(sources);
  });

  it('imports a feed reader’s OPML with folders, making ids from titles and refusing what does not validate', () => {
    const opml = `<?xml version="1.0"?><opml version="1.0"><head><title>Mine</title></head><body>
      <outline text="Norge"><outline text="Trøndelag fylkeskommune" type="rss" xmlUrl="https://www.trondelagfylke.no/rss" htmlUrl="https://www.trondelagfylke.no/" language="nb-NO"/></outline>
      <outline text="Ødelagt" type="rss" xmlUrl="ftp://x.test/feed"/>
      <outline text="Trøndelag fylkeskommune" type="rss" xmlUrl="https://www.trondelagfylke.no/nyheter/rss"/>
    </body></opml>`;
    const r = importOpml(opml, { country: 'NO' });
    expect(r.sources.map((s) => [s.id, s.kind, s.language, s.country])).toEqual([
      ['trondelag-fylkeskommune', 'feed', 'nob', 'NO'],
      ['trondelag-fylkeskommune-2', 'feed', undefined, 'NO'],
    ]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]).toMatchObject({ outline: 'Ødelagt' });
    expect(r.rejected[0]!.reason).toMatch(/url/);
  });

  it('refuses a document that is not OPML', () => {
    expect(() => importOpml('<rss version="2.0"><channel/></rss>')).toThrow(ParseError);
  });
});

runCatalogueContract({
  name: 'SQLite',
  async create() {
    const file = tempFile();
    return { open: (configured) => openSourceCatalogue(file, configured) };
  },
});

describe('source catalogue durations', () => {
  it('writes durations back as the schema reads them', () => {
    expect(['90s', '15m', '2h', '1d', '90m'].map((d) => formatDuration({ '90s': 90_000, '15m': 900_000, '2h': 7_200_000, '1d': 86_400_000, '90m': 5_400_000 }[d]!))).toEqual(['90s', '15m', '2h', '1d', '90m']);
  });
});

describe('source admin', () => {
  const setup = () => {
    const calls: string[] = [];
    const pauses = new Map<string, string | undefined>();
    const admin = createSourceAdmin({
      catalogue: createStaticCatalogue(config.sources.slice(0, 2)),
      state: { setOperatorPause: async (id, reason) => void pauses.set(id, reason) },
      fetchNow: async (id) => void calls.push(`fetch ${id}`),
      reschedule: async (sources) => void calls.push(`reschedule ${sources.length}`),
      // The port decides; here any host named "private.test" is refused.
      checkUrl: async (url) => (new URL(url).hostname === 'private.test' ? 'host private.test resolves to 10.0.0.1' : undefined),
    });
    return { admin, calls, pauses };
  };

  it('adds a source, reschedules and fetches it; a taken id is a conflict', async () => {
    const { admin, calls } = setup();
    const input = { id: 'new-one', name: 'New', url: 'https://x.test/f.xml', kind: 'feed', country: 'NO', schedule: { every: '2h' } };
    expect((await admin.add(input)).schedule.every).toBe(7_200_000);
    expect(calls).toEqual(['reschedule 3', 'fetch new-one']);
    await expect(admin.add(input)).rejects.toThrow(ConflictError);
  });

  it('names the field at fault in an invalid source', async () => {
    const { admin } = setup();
    const err = await admin.add({ id: 'Bad Id', name: 'x', url: 'https://x.test/', kind: 'feed', country: 'NO' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.parameter).toBe('body.id');
  });

  it('refuses a source whose URL the check refuses, naming body.url, and neither stores nor schedules it', async () => {
    const { admin, calls } = setup();
    const input = { id: 'inside', name: 'Inside', url: 'http://private.test/feed', kind: 'feed', country: 'NO' };
    const err = await admin.add(input).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.parameter).toBe('body.url');
    expect(err.message).toContain('host private.test resolves to 10.0.0.1');
    const id = config.sources[0]!.id;
    await expect(admin.replace(id, { ...input, id })).rejects.toThrow(ValidationError);
    expect(await admin.list()).toHaveLength(2);
    expect((await admin.get(id)).url).toBe(config.sources[0]!.url);
    expect(calls).toEqual([]);
  });

  it('imports the OPML outlines whose URL passes and reports the others as rejected', async () => {
    const { admin, calls } = setup();
    const opml = `<opml version="2.0"><body>
      <outline text="Outside" xmlUrl="https://public.test/feed"/>
      <outline text="Inside" xmlUrl="http://private.test/feed"/>
    </body></opml>`;
    const summary = await admin.importOpml(opml, { country: 'NO' });
    expect(summary).toEqual({ created: ['outside'], updated: [], rejected: [{ outline: 'Inside', reason: 'host private.test resolves to 10.0.0.1' }] });
    expect((await admin.list()).map((s) => s.id)).not.toContain('inside');
    expect(calls).toEqual(['reschedule 3']);
  });

  it('pauses and resumes only sources that exist', async () => {
    const { admin, pauses, calls } = setup();
    const id = config.sources[0]!.id;
    await admin.pause(id, 'site redesign');
    expect(pauses.get(id)).toBe('site redesign');
    await admin.resume(id);
    expect(pauses.get(id)).toBeUndefined();
    expect(calls).toContain(`fetch ${id}`);
    await expect(admin.pause('nope', 'x')).rejects.toThrow(NotFoundError);
    await expect(admin.remove('nope')).rejects.toThrow(NotFoundError);
  });
});
