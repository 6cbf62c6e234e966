import { describe, expect, it } from 'vitest';
import { storyMates, updateStories } from '../../src/jobs/stories.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { makeArticle } from '../helpers/factories.js';

const now = new Date('2026-11-20T12:00:00Z');
const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
// Stored a little after publication; the pass looks at what was stored within its window.
const dates = (daysAgo: number) => ({ publishedAt: at(daysAgo), storedAt: at(daysAgo - 0.1) });
const innovation = [{ id: 'innovation', score: 3, terms: ['innovation'] }];

const sv = makeArticle({
  sourceId: 'stockholm-eu',
  language: 'swe',
  title: 'Nordic Innovation Summit samlade 420 deltagare i Stockholm',
  summary: 'Den 12 november 2026 samlades 420 deltagare från 38 regioner i Stockholm.',
  contentText:
    'Nordic Innovation Summit hölls i Stockholm den 12 november 2026. Över 420 deltagare från 38 regioner i Norden och Baltikum diskuterade smart specialisering. ' +
    'Nordregio och Region Stockholm stod värdar. Anna Lindqvist från Nordiska ministerrådet presenterade programmet för 2026–2030 med en budget på 14 miljoner euro.',
  ...dates(7),
  themes: innovation,
});
const en = makeArticle({
  sourceId: 'nordregio',
  language: 'eng',
  title: '420 participants from 38 regions at the Nordic Innovation Summit',
  summary: 'On 12 November 2026 the Nordic Innovation Summit gathered 420 participants in Stockholm.',
  contentText:
    'The Nordic Innovation Summit took place in Stockholm on 12 November 2026, hosted by Nordregio and Region Stockholm. 420 participants from 38 Nordic and Baltic regions discussed smart specialisation. ' +
    'Anna Lindqvist of the Nordic Council of Ministers presented the 2026–2030 programme, with a budget of EUR 14 million.',
  ...dates(6),
  themes: innovation,
});
// The Swedish report republished under another URL with a line added.
const copyArticle = makeArticle({
  url: 'https://relay.example.org/nyheter/summit',
  sourceId: 'relay',
  language: 'swe',
  title: sv.title,
  summary: sv.summary,
  contentText: `${sv.contentText} Läs mer på regionens webbplats.`,
  ...dates(5),
  themes: innovation,
});
const unrelated = makeArticle({
  sourceId: 'tillvaxtverket',
  language: 'swe',
  title: 'Tillväxtverket beviljar 9 miljoner kronor till innovationsprojekt i Jämtland',
  summary: 'Sju företag i Östersund får stöd för innovation.',
  contentText: 'Tillväxtverket har den 3 november 2026 beviljat 9 miljoner kronor till ett innovationsprojekt i Jämtland. Sju företag i Östersund deltar. Projektet leds av Mittuniversitetet.',
  ...dates(4),
  themes: innovation,
});
const old = makeArticle({ title: en.title, summary: en.summary, contentText: en.contentText, language: 'eng', ...dates(40) });

describe('the stories pass', () => {
  it('groups reports of one event across languages, marks a near-copy, leaves the rest alone, and a second run changes nothing', async () => {
    const store = createSqliteStore(':memory:');
    await store.upsertBatch([sv, en, copyArticle, unrelated, old]);
    const first = await updateStories(store, { now });
    expect(first).toMatchObject({ considered: 4, stories: 1, duplicates: 1 });
    const [a, b, c, d] = await Promise.all([sv, en, copyArticle, unrelated].map((x) => store.get(x.id)));
    // The story is named after its first report; the copy points at the original.
    expect(a!.story).toBe(sv.id);
    expect(b!.story).toBe(sv.id);
    expect(c!.story).toBe(sv.id);
    expect(c!.duplicateOf).toBe(sv.id);
    expect(d!.story).toBe(unrelated.id);
    expect(d!.duplicateOf).toBeUndefined();
    // Outside the window: untouched.
    expect((await store.get(old.id))!.story).toBeUndefined();
    expect((await updateStories(store, { now })).changed).toBe(0);

    // Lists show the original only; "also reported by" names the other report and the copy.
    expect((await store.list({}, { limit: 10 })).items.map((x) => x.id)).not.toContain(copyArticle.id);
    const mates = await storyMates(store, [a!, d!]);
    expect(mates.get(sv.id)!.map((m) => [m.id, m.sourceId, m.duplicate])).toEqual([
      [en.id, 'nordregio', false],
      [copyArticle.id, 'relay', true],
    ]);
    expect(mates.has(unrelated.id)).toBe(false);
  });

  it('keeps a story id once given when the first report leaves the window', async () => {
    const store = createSqliteStore(':memory:');
    await store.upsertBatch([sv, en]);
    await updateStories(store, { now });
    expect((await store.get(en.id))!.story).toBe(sv.id);
    // Eight days on, the Swedish report (stored 14.9 days before) is out of a 14.5-day window; the English one keeps the story it had.
    const later = new Date(now.getTime() + 8 * 86_400_000);
    const r = await updateStories(store, { now: later, windowDays: 14.5 });
    expect(r.considered).toBe(1);
    expect((await store.get(en.id))!.story).toBe(sv.id);
  });
});
