import { describe, expect, it } from 'vitest';
import { htmlErrors } from '../../helpers/email-html.js';
import { DIGEST_MAX_ITEMS, shortSummary, type DigestContent, type DigestItem } from '../../../src/digests/content.js';
import { describeFilter, renderConfirmationEmail, renderDigestEmail } from '../../../src/digests/render/index.js';
import { formatDate } from '../../../src/i18n/index.js';

const item = (over: Partial<DigestItem> & Pick<DigestItem, 'id' | 'url' | 'title'>): DigestItem => ({
  summary: 'Eit kort samandrag av saka.',
  also: [],
  publishedAt: '2026-11-24T09:15:00.000Z',
  language: 'nno',
  sources: [{ id: 'regjeringen-kdd', name: 'Kommunal- og distriktsdepartementet' }],
  themes: [],
  regions: [],
  ...over,
});

/** Carried by two sources: shown once, both named. */
const shared = item({
  id: 'shared',
  url: 'https://www.regjeringen.no/nn/aktuelt/s3-verkstad/id1?utm_x=1&lang=nn',
  title: 'Verkstad om smart spesialisering',
  sources: [
    { id: 'regjeringen-kdd', name: 'Kommunal- og distriktsdepartementet' },
    { id: 'nordregio', name: 'Nordregio' },
  ],
  themes: [{ id: 'smart-specialisation', label: 'Smart specialisation', terms: ['smart spesialisering', 'S3'] }],
  regions: ['Nordland', 'Troms'],
  summary: 'Fylka møtest for å dele røynsler med smart spesialisering.',
});
/** A title written to break out of the markup. */
const hostile = item({
  id: 'hostile',
  url: 'https://www.tillvaxtverket.se/nyheter/2',
  title: '<script>alert(1)</script> "quotes" & more',
  language: 'swe',
  publishedAt: '2026-11-26T07:00:00.000Z',
  sources: [{ id: 'tillvaxtverket', name: 'Tillväxtverket' }],
  themes: [{ id: 'green-transition', label: 'Green transition', terms: ['grön omställning'] }],
  summary: 'Sammanfattning <b>inte</b> fet.',
});
const unthemed = item({ id: 'plain', url: 'https://nordregio.org/news/3', title: 'Nordic regions in figures', language: 'eng', sources: [{ id: 'nordregio', name: 'Nordregio' }] });

const links = {
  manage: 'https://regionradar.example/subscriptions/abc/manage',
  unsubscribe: 'https://regionradar.example/subscriptions/abc/unsubscribe',
  web: 'https://regionradar.example/?theme=smart-specialisation&theme=green-transition',
  feed: 'https://regionradar.example/feeds/private/tok.atom',
};

/** The two groups with theme labels in one language, as the content builder gives them. */
const groupsIn = (s3: string, green: string): DigestContent['groups'] => [
  { themeId: 'smart-specialisation', label: s3, items: [{ ...shared, themes: [{ ...shared.themes[0]!, label: s3 }] }] },
  { themeId: 'green-transition', label: green, items: [{ ...hostile, themes: [{ ...hostile.themes[0]!, label: green }] }, unthemed] },
];

const content = (over: Partial<DigestContent> = {}): DigestContent => ({
  locale: 'en',
  frequency: 'weekly',
  email: 'kari@example.no',
  from: '2026-11-23T07:00:00.000Z',
  to: '2026-11-30T07:00:00.000Z',
  filter: { themes: ['smart-specialisation', 'green-transition'], languages: ['nno', 'swe'], countries: ['NO'], q: 'klynge' },
  groups: groupsIn('Smart specialisation', 'Green transition'),
  total: 3,
  more: 9,
  links,
  ...over,
});

/** The text of the element(s) matched, tags removed, entities for the few characters Hono escapes decoded. */
const textOf = (html: string, re: RegExp): string[] =>
  [...html.matchAll(re)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .trim(),
  );
/** The words a reader sees: text outside tags and the <style> block, without URLs written out as link text. */
const visible = (html: string): string =>
  (textOf(html.replace(/<style>[\s\S]*?<\/style>/, ''), /<body[^>]*>([\s\S]*)<\/body>/g)[0] ?? '').replace(/https?:\/\/\S+/g, '');
const h1 = (html: string) => textOf(html, /<h1[^>]*>([\s\S]*?)<\/h1>/g);
const h2 = (html: string) => textOf(html, /<h2[^>]*>([\s\S]*?)<\/h2>/g);

describe('renderDigestEmail', () => {
  const mail = renderDigestEmail(content());

  it('writes a subject with the kind and the number of matching articles', () => {
    // 3 shown + 9 more.
    expect(mail.subject).toBe('Regionradar weekly digest: 12 articles');
    expect(renderDigestEmail(content({ frequency: 'instant', total: 1, more: 0 })).subject).toBe('Regionradar alert: 1 new article');
    expect(renderDigestEmail(content({ frequency: 'daily', total: 3, more: 0 })).subject).toBe('Regionradar daily digest: 3 articles');
  });

  it('is valid HTML', async () => {
    expect(await htmlErrors(mail.html)).toEqual([]);
  });

  it('still reports a deprecated attribute outside the e-mail allowance (the check can fail)', async () => {
    const broken = mail.html.replace('<table role="presentation"', '<table role="presentation" frame="box"');
    expect((await htmlErrors(broken)).map((m) => m.ruleId)).toContain('no-deprecated-attr');
  });

  it('stays under the size at which Gmail clips a message (hiding the unsubscribe link) with the most items of the longest kind', () => {
    const long = (i: number): DigestItem =>
      item({
        id: `long${i}`,
        url: `https://www.regjeringen.no/nn/aktuelt/eit-langt-namn-pa-ei-sak-om-regional-utvikling-i-nord/id${1_000_000 + i}/?utm_source=nyhendebrev`,
        title: `Regjeringa legg fram ny stortingsmelding om distriktspolitikk, regional utvikling og smart spesialisering i fylka (${i})`,
        sources: [shared.sources[0]!, shared.sources[1]!, { id: 'reglab', name: 'Reglab – nyheter och kunskapsunderlag' }],
        themes: [shared.themes[0]!, hostile.themes[0]!, { id: 'bioeconomy', label: 'Bioeconomy', terms: ['bioøkonomi', 'bioökonomi'] }],
        regions: ['Nordland', 'Troms', 'Finnmark'],
        summary: shortSummary('Meldinga tek for seg korleis fylkeskommunane kan bruke regionale partnarskap og smart spesialisering for å styrkje verdiskapinga i heile landet. '.repeat(4)),
      });
    const full = content({ groups: [{ themeId: 'smart-specialisation', label: 'Smart specialisation', items: Array.from({ length: DIGEST_MAX_ITEMS }, (_, i) => long(i)) }], total: DIGEST_MAX_ITEMS, more: 120 });
    const bytes = Buffer.byteLength(renderDigestEmail(full).html);
    expect(bytes).toBeLessThan(102 * 1024);
    expect(bytes).toBeGreaterThan(DIGEST_MAX_ITEMS * 500);
  });

  it('is a full document that needs nothing from the network', () => {
    expect(mail.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toMatch(/<meta charset="utf-8"/i);
    expect(mail.html).toMatch(/<meta name="viewport"/);
    expect(mail.html).toContain('<title>Regionradar weekly digest: 12 articles</title>');
    expect(mail.html).not.toMatch(/<script/i);
    expect(mail.html).not.toMatch(/<link/i);
    expect(mail.html).not.toMatch(/@import|@font-face|url\(/i);
    expect(mail.html).not.toMatch(/fonts\.(googleapis|gstatic)\.com/);
    for (const img of mail.html.match(/<img\b[^>]*>/g) ?? []) expect(img).toMatch(/\balt="/);
  });

  it('inlines the CSS and keeps only the media query in <style>', () => {
    expect(mail.html).toMatch(/<td class="main"[^>]*style="[^"]*padding: 24px/);
    expect(mail.html).toMatch(/<h1 style="[^"]*font-size: 24px/);
    const styles = [...mail.html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    expect(styles[0]!.trim().startsWith('@media')).toBe(true);
  });

  it('lays out a centred 600 px presentation table', () => {
    expect(mail.html).toMatch(/<table role="presentation" class="container" width="600" align="center"/);
    expect(mail.html).not.toMatch(/<table(?![^>]*role="presentation")[^>]*>/);
  });

  it('escapes titles and summaries', () => {
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; more');
    expect(mail.html).toContain('Sammanfattning &lt;b&gt;inte&lt;/b&gt; fet.');
    expect(mail.html).not.toContain('<b>inte</b>');
    // Attribute values too: the & in a URL is written &amp;.
    expect(mail.html).toContain('href="https://www.regjeringen.no/nn/aktuelt/s3-verkstad/id1?utm_x=1&amp;lang=nn"');
  });

  it('has the kind, the window and what is followed at the top', () => {
    expect(h1(mail.html)).toEqual(['Weekly digest']);
    expect(mail.html).toContain('12 articles from November 23, 2026 to November 30, 2026');
    expect(mail.html).toContain('Themes: Smart specialisation, Green transition · Languages: Norwegian Nynorsk, Swedish · Countries: Norway · Search words: klynge');
  });

  it('has one section per group, each item with all its sources, date, language, themes with terms, regions and summary', () => {
    expect(h2(mail.html)).toEqual(['Smart specialisation', 'Green transition']);
    expect(textOf(mail.html, /<h3[^>]*>([\s\S]*?)<\/h3>/g)).toEqual([shared.title, hostile.title, unthemed.title]);
    expect(mail.html).toContain('Kommunal- og distriktsdepartementet, Nordregio · November 24, 2026 · Norwegian Nynorsk');
    expect(mail.html).toContain('Tillväxtverket · November 26, 2026 · Swedish');
    expect(mail.html).toContain('Themes: Smart specialisation (smart spesialisering, S3)');
    expect(mail.html).toContain('Regions: Nordland, Troms');
    expect(mail.html).toContain('Fylka møtest for å dele røynsler med smart spesialisering.');
    // The story carried by two sources is shown once.
    expect(mail.html.split('Verkstad om smart spesialisering')).toHaveLength(2);
    // Titles and summaries carry their own language for screen readers.
    expect(mail.html).toMatch(/<h3 lang="sv"[^>]*><a href="https:\/\/www\.tillvaxtverket\.se\/nyheter\/2"/);
  });

  it('links the articles beyond the e-mail to the web reader, and only when there are some', () => {
    expect(mail.html).toMatch(/<a href="https:\/\/regionradar\.example\/\?theme=smart-specialisation&amp;theme=green-transition"[^>]*>… and 9 more articles<\/a>/);
    expect(renderDigestEmail(content({ more: 0 })).html).not.toContain('more articles');
    expect(renderDigestEmail(content({ more: 1 })).text).toContain('… and 1 more article:');
  });

  it('says in the footer why the mail came and links manage, unsubscribe, web and feed', () => {
    expect(mail.html).toContain('You get this e-mail because kari@example.no subscribed to a weekly digest at Regionradar.');
    for (const [href, label] of [
      [links.manage, 'Manage your subscription'],
      [links.unsubscribe, 'Unsubscribe'],
      [links.web.replace('&', '&amp;'), 'View in the web reader'],
      [links.feed, 'Your private feed (Atom)'],
    ]) expect(mail.html).toMatch(new RegExp(`<a href="${href!.replace(/[.?/]/g, '\\$&')}"[^>]*>${label!.replace(/[()]/g, '\\$&')}</a>`));
  });

  it('describes an empty filter as all news', () => {
    expect(renderDigestEmail(content({ filter: {} })).html).toContain('All news from every source');
  });

  describe('plain-text part', () => {
    const text = mail.text;
    const lines = text.split('\n');

    it('has every item with its URL on a line of its own, unescaped', () => {
      for (const it of [shared, hostile, unthemed]) {
        expect(lines).toContain(`  ${it.url}`);
        expect(lines).toContain(`* ${it.title}`);
      }
      expect(text).not.toContain('&lt;');
      expect(text).not.toContain('&amp;');
    });

    it('has headings underlined, the top one in capitals', () => {
      expect(text).toContain('WEEKLY DIGEST\n=============\n');
      expect(text).toContain('Smart specialisation\n--------------------\n');
      expect(text).toContain('Green transition\n----------------\n');
    });

    it('has sources, date, language, themes with terms, regions and summary for each item', () => {
      expect(text).toContain('  Kommunal- og distriktsdepartementet, Nordregio · November 24, 2026 ·');
      expect(text).toContain('  Themes: Smart specialisation (smart spesialisering, S3)');
      expect(text).toContain('  Regions: Nordland, Troms');
      expect(text).toContain('  Sammanfattning <b>inte</b> fet.');
    });

    it('writes out the footer URLs and the more link', () => {
      for (const url of Object.values(links)) expect(lines).toContain(url);
      expect(text).toContain(`… and 9 more articles:\n${links.web}`);
      expect(text).toContain('kari@example.no');
    });

    it('wraps prose at 76 columns but never breaks a URL', () => {
      const long = renderDigestEmail(content({ groups: [{ label: 'Other', items: [{ ...shared, summary: 'ord '.repeat(60).trim() }] }] })).text;
      const summary = long.split('\n').filter((l) => l.startsWith('  ord'));
      expect(summary.length).toBeGreaterThan(2);
      for (const l of long.split('\n')) if (!l.includes('://')) expect(l.length).toBeLessThanOrEqual(76);
    });
  });
});

describe('renderDigestEmail in the subscriber’s language', () => {
  it('nynorsk: subject, headings, dates, counts and footer', async () => {
    const mail = renderDigestEmail(content({ locale: 'nn', groups: groupsIn('Smart spesialisering', 'Grøn omstilling'), total: 12, more: 0 }));
    expect(mail.subject).toBe('Regionradar vekesamandrag: 12 artiklar');
    expect(h1(mail.html)).toEqual(['Vekesamandrag']);
    expect(h2(mail.html)).toEqual(['Smart spesialisering', 'Grøn omstilling']);
    expect(mail.html).toContain('<html lang="nn">');
    expect(mail.html).toContain('12 artiklar frå 23. november 2026 til 30. november 2026');
    expect(mail.html).toContain('Kommunal- og distriktsdepartementet, Nordregio · 24. november 2026 · Norsk nynorsk');
    expect(mail.html).toContain('Du følgjer:');
    expect(mail.html).toContain('Tema: Smart spesialisering, Grøn omstilling · Språk: Norsk nynorsk, Svensk · Land: Noreg · Søkjeord: klynge');
    expect(mail.html).toContain('Tema: Smart spesialisering (smart spesialisering, S3)');
    expect(mail.html).toContain('Regionar: Nordland, Troms');
    expect(mail.html).toContain('abonnerer på eit vekesamandrag frå Regionradar');
    expect(mail.html).toContain('>Avslutt abonnementet</a>');
    expect(mail.text).toContain('VEKESAMANDRAG\n=============');
    for (const part of [mail.subject, visible(mail.html), mail.text]) {
      // Case matters: the English article's own title ("Nordic regions in figures") stays as written.
      expect(part).not.toMatch(/[Ww]eekly|[Dd]igest|articles|Unsubscribe|Themes|Regions|November 24/);
    }
    expect(await htmlErrors(mail.html)).toEqual([]);
  });

  it('Swedish: subject, headings, dates and the alert kind', () => {
    const mail = renderDigestEmail(content({ locale: 'sv', groups: groupsIn('Smart specialisering', 'Grön omställning'), total: 12, more: 0 }));
    expect(mail.subject).toBe('Regionradar veckosammanfattning: 12 artiklar');
    expect(h1(mail.html)).toEqual(['Veckosammanfattning']);
    expect(mail.html).toContain('12 artiklar från 23 november 2026 till 30 november 2026');
    expect(mail.html).toContain('Tillväxtverket · 26 november 2026 · Svenska');
    expect(mail.text).toContain('VECKOSAMMANFATTNING\n===================');
    expect(mail.text).toContain('Avsluta prenumerationen:\n' + links.unsubscribe);
    expect(h2(mail.html)).toEqual(['Smart specialisering', 'Grön omställning']);
    expect(mail.html).toContain('Teman: Grön omställning (grön omställning)');
    for (const part of [mail.subject, visible(mail.html), mail.text]) expect(part).not.toMatch(/weekly|digest|Unsubscribe|Themes|November/);

    const alert = renderDigestEmail(content({ locale: 'sv', frequency: 'instant', total: 3, more: 0 }));
    expect(alert.subject).toBe('Regionradar nyhetsbevakning: 3 nya artiklar');
    // An alert's window is minutes, so it carries the time.
    expect(alert.html).toContain(`från ${formatDate('sv', '2026-11-23T07:00:00.000Z', true)} till`);
  });

  it('Finnish and Danish plural forms and dates', () => {
    const fi = renderDigestEmail(content({ locale: 'fi', total: 1, more: 0 }));
    expect(fi.subject).toBe('Regionradar-viikkokooste: 1 artikkeli');
    expect(fi.html).toContain('24. marraskuuta 2026');
    expect(renderDigestEmail(content({ locale: 'fi' })).subject).toBe('Regionradar-viikkokooste: 12 artikkelia');
    const da = renderDigestEmail(content({ locale: 'da' }));
    expect(da.subject).toBe('Regionradar ugentligt overblik: 12 artikler');
    expect(h1(da.html)).toEqual(['Ugentligt overblik']);
    expect(da.html).toContain('24. november 2026');
  });
});

describe('describeFilter', () => {
  it('names languages and countries in the locale, themes through the given labels, the rest as given', () => {
    const filter = { themes: ['circular-economy'], languages: ['fin', 'und'], countries: ['FI', 'SE'], regions: ['FI-18'], sources: ['nordregio'], type: ['consultation' as const] };
    expect(describeFilter('nb', filter, (id) => (id === 'circular-economy' ? 'Sirkulær økonomi' : id))).toBe(
      'Tema: Sirkulær økonomi · Språk: Finsk, Ukjent · Land: Finland, Sverige · Regioner: FI-18 · Kilder: nordregio · Dokumenttyper: Høring',
    );
  });
});

describe('renderConfirmationEmail', () => {
  const input = {
    locale: 'en' as const,
    email: 'per@example.se',
    confirmUrl: 'https://regionradar.example/subscriptions/confirm?token=x1&id=y2',
    frequency: 'daily' as const,
    describe: 'Themes: <Circular economy>',
    expiresHours: 48,
  };
  const mail = renderConfirmationEmail(input);

  it('has the confirm URL in both parts, as a button-like link in HTML', () => {
    const escaped = input.confirmUrl.replace('&', '&amp;');
    expect(mail.html).toMatch(new RegExp(`<a class="button" href="${escaped.replace(/[.?/]/g, '\\$&')}"[^>]*>Confirm subscription</a>`));
    expect(mail.html).toMatch(/<td class="button-cell" bgcolor="#0b57a3" style="[^"]*background-color/);
    expect(mail.text.split('\n')).toContain(input.confirmUrl);
  });

  it('says who asked, that nothing is sent before confirming, and when the link expires', () => {
    expect(mail.subject).toBe('Confirm your Regionradar subscription');
    for (const part of [mail.html, mail.text.replace(/\n(?!\n)/g, ' ')]) {
      expect(part).toContain('asked Regionradar to send a daily digest to per@example.se.');
      expect(part).toContain('Nothing is sent before you confirm. If you did not ask for this, you can ignore this e-mail.');
      expect(part).toContain('The link works for 48 hours.');
    }
    expect(mail.html).toContain('Themes: &lt;Circular economy&gt;');
  });

  it('is valid, self-contained HTML', async () => {
    expect(await htmlErrors(mail.html)).toEqual([]);
    expect(mail.html).not.toMatch(/<script|<link|@import|url\(/i);
  });

  it('speaks the subscriber’s language', () => {
    const nn = renderConfirmationEmail({ ...input, locale: 'nn', describe: 'Tema: Sirkulærøkonomi', expiresHours: 1 });
    expect(nn.subject).toBe('Stadfest abonnementet ditt på Regionradar');
    expect(h1(nn.html)).toEqual(['Stadfest abonnementet']);
    expect(nn.html).toContain('Lenkja verkar i 1 time.');
    expect(nn.text).toContain(input.confirmUrl);
    expect(visible(nn.html)).not.toMatch(/Confirm|subscription|hours?\b/);
    expect(visible(nn.html)).toContain('Stadfest abonnementet');
  });
});
