import type { DigestItem } from '../digests/content.js';
import type { WebhookFormat } from './model.js';

/** What one delivery says, whatever the receiver: the articles of one window. Plain data; the builders below are pure. */
export interface WebhookMessage {
  webhookId: string;
  /** The window: articles first stored after `from`, at or before `to` (ISO-8601). */
  from: string;
  to: string;
  /** Newest first. */
  items: DigestItem[];
  /** Matching articles of the window beyond `items` (over the delivery cap); the message says how many. */
  more: number;
  /** Where the reader can see the rest. */
  site: { name: string; url: string };
}

// ---------------------------------------------------------------------------------------------
// Slack (incoming webhooks, Block Kit)

/** Block Kit limits (api.slack.com/reference/block-kit/blocks): 50 blocks a message, 3000 characters a section text, 150 a header. */
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_SECTION_MAX = 3000;
export const SLACK_HEADER_MAX = 150;
/** The notification text (`text`) is what phones and screen readers show; a line or two of titles. */
const SLACK_FALLBACK_MAX = 300;
/** A title longer than this is clipped: even escaped (×5 at worst) it leaves room in a section. */
const TITLE_MAX = 300;
const THEMES_MAX = 8;
const TERMS_MAX = 5;

type SlackText = { type: 'mrkdwn' | 'plain_text'; text: string };
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] };
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  /** Links are to articles, not to be unfurled into previews: one message of twenty links would be twenty previews. */
  unfurl_links: false;
  unfurl_media: false;
}

/** Slack's control characters, which must be entities in any text that is not itself markup (api.slack.com "Escaping text"). */
export const escapeSlack = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Percent-encodes one character: encodeURIComponent, except for `(` and `)`, which it leaves alone. */
const percent = (c: string) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c));

/** `<url|text>`; in the URL `|` would end it and `<` `>` the link, so they are percent-encoded. */
function slackLink(url: string, text: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/[<>|]/g, percent);
  return `<${href}|${escapeSlack(text)}>`;
}

/** Cuts at `max` characters (not inside a surrogate pair), marking the cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = Array.from(s.slice(0, max)).slice(0, -1).join('');
  return `${cut.trimEnd()}…`;
}

/** Slack shows `<!date…>` in the reader's own time zone and language; the fallback is the UTC day. */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeSlack(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty}|${new Date(ms).toISOString().slice(0, 10)}>`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Transport (ferje, rute) · Culture": themes with the words that matched, escaped by `esc`. */
function themesLine(item: DigestItem, esc: (s: string) => string): string {
  return item.themes
    .slice(0, THEMES_MAX)
    .map((t) => (t.terms.length ? `${esc(t.label)} (${esc(t.terms.slice(0, TERMS_MAX).join(', '))})` : esc(t.label)))
    .join(' · ');
}

/**
 * One article as a section's mrkdwn: linked title, summary, sources and date, themes with the words
 * that matched. Within SLACK_SECTION_MAX by dropping trailing lines, and at worst by the title alone.
 */
function slackArticle(item: DigestItem): string {
  const title = clip(item.title || item.url, TITLE_MAX);
  const sources = item.sources.map((s) => s.name).join(', ');
  const themes = themesLine(item, escapeSlack);
  const lines = [
    `*${slackLink(item.url, title)}*`,
    item.summary && escapeSlack(item.summary),
    [sources && escapeSlack(sources), slackDate(item.publishedAt)].filter(Boolean).join(' · '),
    themes && `_Themes:_ ${themes}`,
    item.also.length && `_Also reported by:_ ${item.also.map((m) => slackLink(m.url, clip(m.source, TITLE_MAX))).join(', ')}`,
  ].filter(Boolean);
  let text = lines.join('\n');
  while (text.length > SLACK_SECTION_MAX && lines.length > 1) {
    lines.pop();
    text = lines.join('\n');
  }
  // Only a URL of thousands of characters gets here.
  return text.length > SLACK_SECTION_MAX ? escapeSlack(title) : text;
}

const headline = (n: number, site: string) => `${plural(n, 'new article', 'new articles')} · ${site}`;

/**
 * A Slack incoming-webhook body: `text` for notifications, then a header, one section per article
 * and a footer linking the site. At most SLACK_MAX_BLOCKS blocks: articles beyond are counted in the
 * footer ("…and 12 more").
 *
 * @example
 *   slackMessage({ webhookId, from, to, items, more: 0, site: { name: 'Regionradar', url: 'https://radar.example' } })
 *   // → { text: '2 new articles · Regionradar: Ferje til …', blocks: [{ type: 'header', … }, { type: 'section', … }, …], … }
 */
export function slackMessage(m: WebhookMessage): SlackMessage {
  const total = m.items.length + m.more;
  const shown = m.items.slice(0, SLACK_MAX_BLOCKS - 2); // the header and the footer take two
  const hidden = total - shown.length;
  const titles = m.items.map((i) => i.title).join('; ');
  const footer = hidden > 0 ? `…and ${hidden} more on ${slackLink(m.site.url, m.site.name)}` : slackLink(m.site.url, m.site.name);
  return {
    text: escapeSlack(clip(titles ? `${headline(total, m.site.name)}: ${titles}` : headline(total, m.site.name), SLACK_FALLBACK_MAX)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(headline(total, m.site.name), SLACK_HEADER_MAX) } },
      ...shown.map((item): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: slackArticle(item) } })),
      { type: 'context', elements: [{ type: 'mrkdwn', text: footer }] },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft Teams (a workflow's "When a Teams webhook request is received", or an incoming webhook)

/**
 * Teams refuses messages over about 28 KB (learn.microsoft.com, "Limitations" of incoming webhooks);
 * the card is kept under this many bytes of JSON, leaving room for the envelope.
 */
export const TEAMS_MAX_BYTES = 25_000;
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Small' | 'Medium';
  weight?: 'Bolder';
  isSubtle?: true;
  separator?: true;
  spacing?: 'None' | 'Medium';
}
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
    contentUrl: null;
    content: { $schema: string; type: 'AdaptiveCard'; version: '1.4'; msteams: { width: 'Full' }; body: TextBlock[] };
  }>;
}

/**
 * Plain text for a TextBlock, which reads a subset of Markdown: its markup characters are
 * backslash-escaped (so `App_Pool_01` keeps its underscores), and `{{`, which would start a
 * DATE()/TIME() function, is broken with a zero-width space.
 */
export const escapeTeams = (s: string): string => s.replace(/[\\*_[\]]/g, '\\$&').replace(/\{\{/g, '{\u200b{');

/** `[text](url)`; characters that would end the URL are percent-encoded. */
const teamsLink = (url: string, text: string) => `[${escapeTeams(text)}](${url.replace(/[()\s<>]/g, percent)})`;

/** `{{DATE()}}` shows the date in the reader's locale; it wants RFC 3339 without fractions. */
function teamsDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? escapeTeams(iso) : `{{DATE(${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}, SHORT)}}`;
}

function teamsArticle(item: DigestItem): TextBlock[] {
  const sources = item.sources.map((s) => s.name).join(', ');
  const themes = themesLine(item, escapeTeams);
  const also = item.also.map((m) => teamsLink(m.url, clip(m.source, TITLE_MAX))).join(', ');
  const meta = [sources && escapeTeams(sources), teamsDate(item.publishedAt), themes && `Themes: ${themes}`, also && `Also reported by: ${also}`].filter(Boolean).join(' · ');
  return [
    { type: 'TextBlock', text: `**${teamsLink(item.url, clip(item.title || item.url, TITLE_MAX))}**`, wrap: true, separator: true, spacing: 'Medium' },
    ...(item.summary ? [{ type: 'TextBlock', text: escapeTeams(item.summary), wrap: true, spacing: 'None' } as const] : []),
    { type: 'TextBlock', text: meta, wrap: true, size: 'Small', isSubtle: true, spacing: 'None' },
  ];
}

/**
 * A Teams message carrying one Adaptive Card (version 1.4, which Teams renders everywhere): a heading,
 * per article its linked title, summary and a line of sources, date and themes, then the count of
 * articles that did not fit in TEAMS_MAX_BYTES.
 *
 * @example
 *   teamsMessage(message).attachments[0].content.body[1].text // → '**[Ferje til Bodø](https://…)**'
 */
export function teamsMessage(m: WebhookMessage): TeamsMessage {
  const total = m.items.length + m.more;
  const body: TextBlock[] = [{ type: 'TextBlock', text: escapeTeams(headline(total, m.site.name)), wrap: true, size: 'Medium', weight: 'Bolder' }];
  let size = Buffer.byteLength(JSON.stringify(body));
  let shown = 0;
  for (const item of m.items) {
    const blocks = teamsArticle(item);
    const added = Buffer.byteLength(JSON.stringify(blocks));
    if (size + added > TEAMS_MAX_BYTES) break;
    body.push(...blocks);
    size += added;
    shown++;
  }
  const hidden = total - shown;
  body.push({
    type: 'TextBlock',
    text: hidden > 0 ? `…and ${hidden} more on ${teamsLink(m.site.url, m.site.name)}` : teamsLink(m.site.url, m.site.name),
    wrap: true,
    size: 'Small',
    separator: true,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', msteams: { width: 'Full' }, body },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// JSON (any receiver)

/** An article as the JSON shape carries it: the digest item, fields named as in /api/articles. */
export type JsonArticle = DigestItem;
export interface JsonMessage {
  webhook: string;
  from: string;
  to: string;
  articles: JsonArticle[];
  /** Matching articles of the window not included (over the delivery cap). */
  more: number;
}

/**
 * The articles as data, for receivers of our own making. Fields are named as in /api/articles.
 *
 * @example jsonMessage(message) // → { webhook: 'k3Jq…', from: '…', to: '…', articles: [{ id, url, title, … }], more: 0 }
 */
export function jsonMessage(m: WebhookMessage): JsonMessage {
  return {
    webhook: m.webhookId,
    from: m.from,
    to: m.to,
    articles: m.items,
    more: m.more,
  };
}

/** The body for a webhook's format. */
export function formatMessage(format: WebhookFormat, m: WebhookMessage): SlackMessage | TeamsMessage | JsonMessage {
  switch (format) {
    case 'slack':
      return slackMessage(m);
    case 'teams':
      return teamsMessage(m);
    case 'json':
      return jsonMessage(m);
  }
}
