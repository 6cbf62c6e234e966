import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanIssue, newsletterItems } from '../../../src/newsletters/issue.js';
import type { MailMessage } from '../../../src/newsletters/mail.js';
import { publishedWebVersion } from '../../helpers/newsletters.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'newsletters');
interface Fixture {
  name: string;
  html: string;
  webVersionUrl: string;
  trackingPixel: string;
  stories: Array<{ title: string; url: string }>;
  wordsOnlyInBody: string[];
}
const fixtures = (JSON.parse(readFileSync(join(DIR, 'newsletters.json'), 'utf8')) as Fixture[]).map((f) => ({ ...f, body: readFileSync(join(DIR, f.html), 'utf8') }));
const FOOTER = /unsubscribe|update your preferences|avslutt abonnement|meld deg av|avsluta prenumeration|avregistrera|du får (denne|detta)|you are receiving/i;

describe.each(fixtures)('a recorded-shape newsletter: $name', (f) => {
  const issue = cleanIssue(f.body);

  it('finds the web-version link, without tracking parameters or the subscriber\'s id', () => {
    expect(issue.webVersionUrl).toBe(publishedWebVersion(f));
    expect(issue.webVersionUrl).not.toMatch(/[?&]e=/);
  });

  it('drops the tracking pixel and the unsubscribe footer, keeps the text and real images', () => {
    expect(issue.html).not.toContain(f.trackingPixel.split('?')[0]);
    expect(issue.html).not.toMatch(FOOTER);
    for (const word of f.wordsOnlyInBody) expect(issue.html).toContain(word);
    expect(issue.html).toMatch(/<img [^>]*src="https:/);
  });

  it('strips tracking parameters from every link', () => {
    expect(issue.html).not.toMatch(/[?&;](utm_[a-z]+|mc_cid|mc_eid|ml_subscriber(_hash)?)=/);
  });

  it(f.stories.length ? `yields its ${f.stories.length} stories, each with its own URL` : 'is one story: no bundle items', () => {
    expect(issue.stories.map(({ title, url }) => ({ title, url }))).toEqual(f.stories);
    for (const story of issue.stories) expect(story.teaser.length).toBeGreaterThan(40);
  });
});

describe('newsletterItems', () => {
  const mail = (over: Partial<MailMessage> = {}): MailMessage => ({
    messageId: 'issue-1@lists.example.org',
    from: { address: 'news@example.org', name: 'Example News' },
    subject: 'Månedsbrev november',
    date: '2026-11-20T07:00:00.000Z',
    size: 1000,
    ...over,
  });

  it('an issue without a web version gets the fallback URL; a text-only issue becomes paragraphs with links', () => {
    const [item] = newsletterItems(mail({ text: 'Hei!\n\nLes rapporten: https://example.org/rapport?utm_source=x\n\nHilsen oss' }), { fallbackUrl: 'https://radar.example/newsletters/s/abc' });
    expect(item).toMatchObject({ guid: 'issue-1@lists.example.org', title: 'Månedsbrev november', link: 'https://radar.example/newsletters/s/abc', published: '2026-11-20T07:00:00.000Z', author: 'Example News' });
    expect(item!.contentHtml).toContain('<a href="https://example.org/rapport">');
  });

  it('a bundle yields the issue first, then one item per story with the story as its summary', () => {
    const f = fixtures.find((x) => x.stories.length >= 3)!;
    const items = newsletterItems(mail({ html: f.body }), { fallbackUrl: 'https://radar.example/x' });
    expect(items[0]!.link).toBe(publishedWebVersion(f));
    expect(items.slice(1).map((i) => i.link)).toEqual(f.stories.map((s) => s.url));
    expect(items.slice(1).every((i) => (i.summary ?? '').length > 40)).toBe(true);
  });

  it('a single call-to-action link is no bundle', () => {
    const html = '<h1>Nyheter</h1><p>Fylket lanserer ny strategi for smart spesialisering i dag.</p><p><strong><a href="https://example.org/a">Les hele strategien »</a></strong></p><h2><a href="https://example.org/b">Regionalt forskningsfond</a></h2><p>Utlysning åpner.</p>';
    expect(cleanIssue(html).stories).toEqual([]);
  });
});

describe('cleanIssue on its own', () => {
  it('drops 1×1 images by attribute or style and images on open-tracking paths; keeps real images', () => {
    const { html } = cleanIssue(
      '<p>Tekst om regional utvikling i Nordland.</p><img src="https://cdn.example/banner.png" width="600" height="200" alt="Banner">' +
        '<img src="https://t.example/a.gif" width="1" height="1"><img src="https://t.example/b.gif" style="width: 1px; height:1px; border:0">' +
        '<img src="https://lists.example/track/open.php?u=1&id=2" alt="">',
    );
    expect(html).toContain('banner.png');
    expect(html).not.toMatch(/a\.gif|b\.gif|open\.php/);
  });

  it('a story linked twice with different tracking is one story', () => {
    const { stories } = cleanIssue(
      '<h2><a href="https://example.org/a?utm_source=nl">Første sak</a></h2><p>Om første sak, lenger tekst her.</p><p><a href="https://example.org/a?utm_medium=email">Les mer</a></p>' +
        '<h2><a href="https://example.org/a?utm_campaign=x">Første sak igjen</a></h2><p>Samme sak.</p><h2><a href="https://example.org/b">Andre sak</a></h2><p>Om andre sak, lenger tekst her.</p>',
    );
    expect(stories.map((s) => s.url)).toEqual(['https://example.org/a', 'https://example.org/b']);
  });
});
