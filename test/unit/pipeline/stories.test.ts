import { describe, expect, it } from 'vitest';
import { groupStories, type StoryAssignment, type StoryInput } from '../../../src/pipeline/stories/index.js';

function article(over: Partial<StoryInput> & Pick<StoryInput, 'id' | 'title' | 'text' | 'language'>): StoryInput {
  return { sourceId: `src-${over.id}`, themes: [], regions: [], ...over };
}

const byId = (out: StoryAssignment[]) => new Map(out.map((a) => [a.id, a]));

// A Danish press release, republished twice with small edits, and a third unrelated article.
const release =
  'Erhvervshus Sydjylland åbner nu for ansøgninger til programmet Digital Sydjylland, der skal hjælpe små og mellemstore virksomheder ' +
  'med at tage næste skridt i den digitale omstilling. Programmet har et budget på 18 millioner kroner og plads til 200 virksomheder ' +
  'i de 12 kommuner, erhvervshuset dækker. Virksomhederne får et forløb med en af erhvervshusets specialister, som kortlægger, hvor ' +
  'digitale værktøjer, automatisering eller bedre brug af data kan styrke forretningen. Derefter kan virksomheden få tilskud på op til ' +
  '75.000 kroner til privat rådgivning. – Mange mindre virksomheder ved godt, at de skal i gang, men de ved ikke, hvor de skal starte, ' +
  'siger direktør i Erhvervshus Sydjylland, Henrik Lykke. Ansøgningsfristen er 1. juni 2026.';
const edited = release
  .replace('Erhvervshus Sydjylland åbner', 'Erhvervshus Sydjylland i Vojens åbner')
  .replace('Ansøgningsfristen er 1. juni 2026.', 'Også virksomheder i Haderslev Kommune kan søge. Ansøgningsfristen er 1. juni 2026.');

// One event in Swedish and in English: names, sums, counts and the date carry across.
const swedish = article({
  id: 'sv-aurora',
  language: 'swe',
  title: 'Interreg Aurora beviljar 18 nya projekt för 42 miljoner euro',
  text:
    'Övervakningskommittén för Interreg Aurora sammanträdde den 15 oktober 2026 i Luleå och beviljade 18 nya gränsöverskridande projekt. ' +
    'Tillsammans får projekten 42 miljoner euro i stöd. Projekten genomförs i norra Sverige, norra Finland och i Sápmi. ' +
    'Fjorton av dem hör till delområde Aurora och fyra till delområde Sápmi, säger programdirektören Sanna Mäkelä.',
  regions: ['SE-BD'],
  themes: ['cross-border'],
  publishedAt: '2026-10-15T10:00:00Z',
});
const english = article({
  id: 'en-aurora',
  language: 'eng',
  title: 'Interreg Aurora approves 18 new projects worth EUR 42 million',
  text:
    'The Interreg Aurora Monitoring Committee, meeting in Luleå on 15 October 2026, approved 18 new cross-border projects with a combined ' +
    'budget of EUR 42 million. The projects will run in northern Sweden, northern Finland and Sápmi. Programme director Sanna Mäkelä ' +
    'said interest in cooperation across the northern borders had never been greater.',
  regions: ['SE-BD'],
  themes: ['cross-border'],
  publishedAt: '2026-10-16T08:00:00Z',
});

// Two broadband grants from one programme: same theme, county, wording and programme budget; different
// municipalities, sums and dates.
const grantA = article({
  id: 'nb-grant-a',
  language: 'nob',
  title: 'Bø får 4,2 millioner til bredbånd',
  text:
    'Nordland fylkeskommune har tildelt Bø kommune 4,2 millioner kroner i bredbåndsstøtte. Pengene skal gi 310 husstander i Hovden og ' +
    'Straume tilbud om fiber innen utgangen av 2027. Tildelingen er en del av Nordland fylkeskommunes bredbåndsprogram, som i år ' +
    'fordeler 48 millioner kroner. Vedtaket ble gjort i fylkesrådet 3. mars 2026.',
  regions: ['NO-18'],
  themes: ['broadband'],
  publishedAt: '2026-03-03T12:00:00Z',
});
const grantB = article({
  id: 'nb-grant-b',
  language: 'nob',
  title: 'Hadsel får 6,8 millioner til bredbånd',
  text:
    'Nordland fylkeskommune har tildelt Hadsel kommune 6,8 millioner kroner i bredbåndsstøtte. Pengene skal gi 520 husstander på ' +
    'Innlandet og i Melbu tilbud om fiber innen utgangen av 2027. Tildelingen er en del av Nordland fylkeskommunes bredbåndsprogram, ' +
    'som i år fordeler 48 millioner kroner. Vedtaket ble gjort i fylkesrådet 10. mars 2026.',
  regions: ['NO-18'],
  themes: ['broadband'],
  publishedAt: '2026-03-10T12:00:00Z',
});

describe('groupStories', () => {
  it('finds a near-duplicate with small edits and points it, and a later copy, at the earliest article', () => {
    const out = byId(
      groupStories([
        article({ id: 'copy-late', language: 'dan', title: 'Sydjyske firmaer kan søge om hjælp', text: edited, publishedAt: '2026-04-03T09:00:00Z' }),
        article({ id: 'original', language: 'dan', title: '200 sydjyske virksomheder kan få hjælp til digitalt løft', text: release, publishedAt: '2026-04-01T09:00:00Z' }),
        article({ id: 'copy', language: 'dan', title: 'Digitalt løft til 200 virksomheder', text: edited, publishedAt: '2026-04-02T09:00:00Z' }),
        grantA,
      ]),
    );
    expect(out.get('original')!.duplicateOf).toBeUndefined();
    expect(out.get('copy')!.duplicateOf).toBe('original');
    expect(out.get('copy-late')!.duplicateOf).toBe('original');
    expect(new Set(['original', 'copy', 'copy-late'].map((id) => out.get(id)!.story))).toEqual(new Set(['original']));
    expect(out.get(grantA.id)).toEqual({ id: grantA.id, story: grantA.id });
  });

  it('groups a Swedish and an English report of one event that share names, numbers and a date', () => {
    const out = byId(groupStories([english, swedish, grantA]));
    expect(out.get('en-aurora')!.story).toBe(out.get('sv-aurora')!.story);
    // Earliest member's id when no member carries a story; neither is a near-duplicate of the other.
    expect(out.get('en-aurora')!.story).toBe('sv-aurora');
    expect(out.get('en-aurora')!.duplicateOf).toBeUndefined();
    expect(out.get(grantA.id)!.story).toBe(grantA.id);
  });

  it('keeps apart two articles on the same theme and region about different events', () => {
    const out = byId(groupStories([grantA, grantB]));
    expect(out.get(grantA.id)!.story).not.toBe(out.get(grantB.id)!.story);
    expect(out.get(grantB.id)!.duplicateOf).toBeUndefined();
  });

  it('keeps the story id most members already carry, and the smallest on a tie', () => {
    const three = [
      { ...english, story: 'story-b' },
      { ...swedish, story: 'story-a' },
      article({ ...english, id: 'en-aurora-2', sourceId: 'other', story: 'story-b' }),
    ];
    expect(new Set(groupStories(three).map((a) => a.story))).toEqual(new Set(['story-b']));
    const tie = [
      { ...english, story: 'story-b' },
      { ...swedish, story: 'story-a' },
    ];
    expect(groupStories(tie).map((a) => a.story)).toEqual(['story-a', 'story-a']);
    // A newcomer joins the kept story, and a lone article keeps the id it had.
    const later = groupStories([{ ...swedish, story: 'story-a' }, english, { ...grantA, story: 'old-grant-story' }]);
    expect(later.map((a) => a.story)).toEqual(['story-a', 'story-a', 'old-grant-story']);
  });

  it('never groups articles more than 21 days apart, even near-identical ones', () => {
    const first = article({ id: 'first', language: 'dan', title: 'Digitalt løft', text: release, publishedAt: '2026-04-01T09:00:00Z' });
    const sameDay = { ...first, id: 'same-text-soon', publishedAt: '2026-04-20T09:00:00Z' };
    const muchLater = { ...first, id: 'same-text-later', publishedAt: '2026-04-23T10:00:00Z' };
    const out = byId(groupStories([first, muchLater]));
    expect(out.get('first')!.story).not.toBe(out.get('same-text-later')!.story);
    expect(out.get('same-text-later')!.duplicateOf).toBeUndefined();
    // Within the window they group; a third article cannot stretch the group beyond 21 days either.
    const chain = byId(groupStories([first, sameDay, muchLater]));
    expect(chain.get('same-text-soon')!.story).toBe(chain.get('first')!.story);
    expect(chain.get('same-text-later')!.story).not.toBe(chain.get('first')!.story);
  });

  it("gives a lone article its own id as its story", () => {
    expect(groupStories([grantA])).toEqual([{ id: grantA.id, story: grantA.id }]);
    expect(groupStories([])).toEqual([]);
  });

  it('links a teaser without dates or figures to the report it announces when most of its names are in it', () => {
    const teaser = article({
      id: 'en-teaser',
      language: 'eng',
      title: 'Nordic Innovation Summit: interregional cooperation on smart specialisation',
      text: 'The Innovation Summit in Stockholm, part of the Interreg Europe project HIGHER, discussed how regions can cooperate across borders when implementing research and innovation strategies.',
      publishedAt: '2026-03-14T09:00:00Z',
    });
    const report = article({
      id: 'sv-report',
      language: 'swe',
      title: 'EU vill se mer samarbete mellan regioner kring smart specialisering',
      text:
        'Den 22–23 februari arrangerade Nordregio en Innovation Summit i Stockholm, som en del av Interreg Europe-projektet HIGHER. ' +
        'Niclas Forsling från Nordiska ministerrådet berättade om innovationssamarbetet i Östersjöregionen, och Jens Sörvik från Tillväxtverket om smart specialisering.',
      publishedAt: '2026-03-14T10:00:00Z',
    });
    const other = article({
      id: 'en-other',
      language: 'eng',
      title: 'Nordregio opens its new office in Stockholm',
      text: 'Nordregio has moved to a new office in Stockholm, close to the Nordic Council of Ministers’ secretariat in Copenhagen by train.',
      publishedAt: '2026-03-15T10:00:00Z',
    });
    const out = byId(groupStories([teaser, report, other]));
    expect(out.get('en-teaser')!.story).toBe(out.get('sv-report')!.story);
    expect(out.get('en-other')!.story).toBe('en-other');
  });

  it('keeps a roundup (a newsletter issue holding several stories) alone, so its stories do not chain into one', () => {
    const storyA =
      'Lifelong learning centres will open in Kajaani, Joensuu, Mikkeli and Kokkola in 2027, funded with EUR 6 million from the Ministry of Education. ' +
      'The centres offer short courses for adults who need new skills, planned together with local employers and the regional councils of Kainuu and North Karelia.';
    const storyB =
      'Labour shortages deepen in sparsely populated regions, according to a report by the Finnish Institute for Health and Welfare published on 4 November 2026. ' +
      'Home care in Lapland and Kainuu lacks 1,200 nurses, and 38 percent of municipalities report unfilled teacher posts for the spring term.';
    const issue = article({
      id: 'issue',
      language: 'eng',
      title: 'Skills, people and places: four reads for November',
      text: `${storyA} Read more. ${storyB} Read more. Our next issue comes out in December, with a look at migration and housing in the Nordic countries and a calendar of the spring's conferences and seminars.`,
      publishedAt: '2026-11-20T08:00:00Z',
    });
    const a = article({ id: 'a', language: 'eng', title: 'Lifelong learning centres to open in four Finnish regions', text: storyA, publishedAt: '2026-11-20T08:00:00Z' });
    const b = article({ id: 'b', language: 'eng', title: 'Labour shortages deepen in sparsely populated regions', text: storyB, publishedAt: '2026-11-20T08:00:00Z' });
    const out = byId(groupStories([issue, a, b]));
    expect(new Set([out.get('issue')!.story, out.get('a')!.story, out.get('b')!.story]).size).toBe(3);
  });
});
