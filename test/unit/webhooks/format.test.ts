import { describe, expect, it } from 'vitest';
import type { DigestItem } from '../../../src/digests/content.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  SLACK_HEADER_MAX,
  SLACK_MAX_BLOCKS,
  SLACK_SECTION_MAX,
  TEAMS_MAX_BYTES,
  clip,
  escapeSlack,
  escapeTeams,
  formatMessage,
  jsonMessage,
  slackMessage,
  teamsMessage,
  type WebhookMessage,
} from '../../../src/webhooks/format.js';

let n = 0;
function item(over: Partial<DigestItem> = {}): DigestItem {
  n++;
  return {
    id: `id-${n}`,
    url: `https://example.org/articles/${n}`,
    title: `Article ${n}`,
    summary: 'Ferjesambandet får nye ruter.',
    also: [],
    publishedAt: '2026-11-30T07:15:00.000Z',
    language: 'nob',
    sources: [{ id: 'kdd', name: 'KDD' }, { id: 'nrk', name: 'NRK Nordland' }],
    themes: [{ id: 'transport', label: 'Transport', terms: ['ferje', 'rute'] }],
    regions: ['Nordland'],
    ...over,
  };
}
const message = (items: DigestItem[], more = 0): WebhookMessage => ({
  webhookId: 'hook-1',
  from: '2026-11-30T07:00:00.000Z',
  to: '2026-11-30T07:30:00.000Z',
  items,
  more,
  site: { name: 'Regionradar', url: 'https://radar.example.org/' },
});
const sectionTexts = (m: ReturnType<typeof slackMessage>) => m.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));

describe('Slack', () => {
  // --- shape

  it('has a notification text, a header, one mrkdwn section per article and a footer', () => {
    const a = item({ title: 'Ferje til Bodø' });
    const m = slackMessage(message([a, item()]));
    expect(m.text).toMatch(/^2 new articles · Regionradar: Ferje til Bodø; Article \d+$/);
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '2 new articles · Regionradar' } });
    const [first] = sectionTexts(m);
    expect(first).toBe(
      [
        `*<${a.url}|Ferje til Bodø>*`,
        'Ferjesambandet får nye ruter.',
        'KDD, NRK Nordland · <!date^1796022900^{date_short_pretty}|2026-11-30>',
        '_Themes:_ Transport (ferje, rute)',
      ].join('\n'),
    );
    expect(m.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '<https://radar.example.org/|Regionradar>' }] });
    expect(m).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it('says "1 new article" for one', () => {
    expect(slackMessage(message([item()])).blocks[0]).toMatchObject({ text: { text: '1 new article · Regionradar' } });
  });

  it('leaves out lines with nothing to say', () => {
    const [text] = sectionTexts(slackMessage(message([item({ summary: '', themes: [], sources: [] })])));
    expect(text!.split('\n')).toHaveLength(2);
  });

  // --- escaping

  it('escapes &, < and > in text, and what would end a link in URLs', () => {
    expect(escapeSlack('R&D <b> > 2')).toBe('R&amp;D &lt;b&gt; &gt; 2');
    const a = item({
      title: 'Vekst <i>&</i> <!channel>',
      url: 'https://example.org/a?x=1&y=2|3',
      summary: '<@U123> & co',
      sources: [{ id: 's', name: 'A&B' }],
      themes: [{ id: 't', label: 'R&D', terms: ['<x>'] }],
    });
    const m = slackMessage(message([a]));
    const [text] = sectionTexts(m);
    expect(text).toContain('*<https://example.org/a?x=1&amp;y=2%7C3|Vekst &lt;i&gt;&amp;&lt;/i&gt; &lt;!channel&gt;>*');
    expect(text).toContain('&lt;@U123&gt; &amp; co');
    expect(text).toContain('A&amp;B · ');
    expect(text).toContain('R&amp;D (&lt;x&gt;)');
    // no mention or special command survives anywhere
    expect(JSON.stringify(m)).not.toMatch(/<!channel|<@U/);
    expect(m.text).toContain('&lt;!channel&gt;');
  });

  // --- limits

  it('keeps at most 50 blocks, counting the rest in an "and N more" footer', () => {
    const items = Array.from({ length: 60 }, () => item());
    const m = slackMessage(message(items, 5));
    expect(m.blocks).toHaveLength(SLACK_MAX_BLOCKS);
    expect(sectionTexts(m)).toHaveLength(SLACK_MAX_BLOCKS - 2);
    expect(m.blocks[0]).toMatchObject({ text: { text: '65 new articles · Regionradar' } });
    expect(m.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 17 more on <https://radar.example.org/|Regionradar>' }] });
  });

  it('counts articles over the delivery cap even when all given fit', () => {
    const m = slackMessage(message([item()], 3));
    expect(m.blocks.at(-1)).toMatchObject({ elements: [{ text: expect.stringMatching(/^…and 3 more on /) }] });
  });

  it('keeps every section within 3000 characters, the header within 150, the text short', () => {
    const huge = item({
      title: '&'.repeat(2000),
      summary: '<'.repeat(2000),
      themes: Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, label: `Theme ${i} ${'&'.repeat(40)}`, terms: ['a', 'b', 'c', 'd', 'e', 'f'] })),
    });
    const longUrl = item({ url: `https://example.org/${'x'.repeat(4000)}` });
    const m = slackMessage({ ...message([huge, longUrl]), site: { name: 'R'.repeat(400), url: 'https://radar.example.org/' } });
    for (const text of sectionTexts(m)) expect(text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
    // the link survives; the lines after it give way
    expect(sectionTexts(m)[0]).toMatch(/^\*<https:\/\/example\.org\/articles\/\d+\|(&amp;)+…>\*/);
    // a URL too long for a section leaves the title as plain text
    expect(sectionTexts(m)[1]).toBe(longUrl.title);
    expect((m.blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(SLACK_HEADER_MAX);
    expect(m.text.length).toBeLessThanOrEqual(300 * 5);
  });

  it('clips at a character, never inside a surrogate pair', () => {
    expect(clip('abcdef', 10)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 3)).toBe('ab…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
  });
});

describe('Teams', () => {
  it('is a message with one Adaptive Card 1.4 of TextBlocks with markdown links', () => {
    const a = item({ title: 'Ferje til Bodø' });
    const m = teamsMessage(message([a]));
    expect(m.type).toBe('message');
    expect(m.attachments).toHaveLength(1);
    const [att] = m.attachments;
    expect(att!.contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(att!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    const body = att!.content.body;
    expect(body.every((b) => b.type === 'TextBlock' && b.wrap)).toBe(true);
    expect(body.map((b) => b.text)).toEqual([
      '1 new article · Regionradar',
      `**[Ferje til Bodø](${a.url})**`,
      'Ferjesambandet får nye ruter.',
      'KDD, NRK Nordland · {{DATE(2026-11-30T07:15:00Z, SHORT)}} · Themes: Transport (ferje, rute)',
      '[Regionradar](https://radar.example.org/)',
    ]);
  });

  it('escapes markdown in text and what would end a link in URLs', () => {
    expect(escapeTeams('App_Pool_01 *x* [y] \\ {{DATE(x)}}')).toBe('App\\_Pool\\_01 \\*x\\* \\[y\\] \\\\ {\u200b{DATE(x)}}');
    const a = item({ title: 'Plan [utkast]', url: 'https://example.org/a (1)' });
    const body = teamsMessage(message([a])).attachments[0]!.content.body;
    expect(body[1]!.text).toBe('**[Plan \\[utkast\\]](https://example.org/a%20%281%29)**');
  });

  it('stays within the size Teams accepts, counting what did not fit', () => {
    const items = Array.from({ length: 200 }, () => item({ summary: 'x'.repeat(240) }));
    const m = teamsMessage(message(items, 10));
    expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(TEAMS_MAX_BYTES + 1000);
    const body = m.attachments[0]!.content.body;
    const shown = body.filter((b) => b.text.startsWith('**[')).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(200);
    expect(body.at(-1)!.text).toBe(`…and ${210 - shown} more on [Regionradar](https://radar.example.org/)`);
  });
});

describe('JSON', () => {
  it('carries the webhook, the window and the articles as data', () => {
    const a = item();
    expect(jsonMessage(message([a], 2))).toEqual({
      webhook: 'hook-1',
      from: '2026-11-30T07:00:00.000Z',
      to: '2026-11-30T07:30:00.000Z',
      articles: [{ id: a.id, url: a.url, title: a.title, summary: a.summary, publishedAt: a.publishedAt, language: 'nob', sources: a.sources, themes: a.themes, regions: ['Nordland'], also: [] }],
      more: 2,
    });
  });

  it('formatMessage picks the builder by format', () => {
    const m = message([item()]);
    expect(formatMessage('slack', m)).toEqual(slackMessage(m));
    expect(formatMessage('teams', m)).toEqual(teamsMessage(m));
    expect(formatMessage('json', m)).toEqual(jsonMessage(m));
  });
});
