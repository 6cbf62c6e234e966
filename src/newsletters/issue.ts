import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { RawItem } from '../model/article.js';
import { resolveUrl, withoutTracking } from '../pipeline/normalize/url.js';
import type { MailMessage } from './mail.js';

/**
 * The wording of "view this e-mail in your browser" across the platforms Nordic senders use
 * (Mailchimp, MailerLite, Apsis, Ungapped, Mailmojo, Make) in the six languages, and the hosts of
 * their web versions. The link is the issue's public URL: what readers open and what dedupes it.
 */
const WEB_VERSION_TEXT =
  /(vis|se|åpne|opne|sjå)\b.{0,30}\b(i|på) (nettlesar(en)?|nettleser(en)?|nett(et)?)|nettversjon|webversjon|(visa|öppna|läs)\b.{0,30}\bi (din )?webbläsar(e|en)|webbversion|visa som webbsida|(vis|se|åbn)\b.{0,30}\bi (din )?browser(en)?|webversion|view\b.{0,30}\b(in (your |a )?browser|online|as a web ?page)|web version|open in browser|näytä selaimessa|avaa selaimessa|katso selaimessa|selainversio/i;
const WEB_VERSION_HOST = /(^|\.)(campaign-archive\.com|mailchi\.mp|preview\.mailerlite\.(io|com))$/i;

/**
 * The public form of a web-version link: tracking parameters removed, and on Mailchimp's archive the
 * `e` parameter too, which names the subscriber (ours) and would let any reader of our feeds act as us.
 */
function publicWebVersion(href: string): string {
  const url = new URL(withoutTracking(href));
  if (/(^|\.)campaign-archive\.com$/i.test(url.hostname)) url.searchParams.delete('e');
  return url.href;
}

/** Footer wording: unsubscribe, preferences and "why you get this" in the six languages. */
const FOOTER_TEXT =
  /unsubscribe|update (your )?(subscription )?preferences|you (are receiving|received) this|why did i get this|avslutt (abonnement|abonnementet)|meld (deg|meg) av|avmeld|endre (dine )?(innstillinger|preferanser)|du (får|mottar|har fått) denne|avsluta (din )?prenumeration|avprenumerera|avregistrera|säg upp|ändra (dina )?inställningar|du (får|har fått) (detta|det här|denna)|afmeld|frameld|du modtager (denne|dette)|peru(uta|ta) tilaus|tilauksen peruutus|lopeta tilaus|saat tämän/i;

/** Links that are never a story: the sender's own account pages, social profiles, mail actions. */
const NOT_A_STORY_HOST = /(^|\.)(facebook|twitter|x|linkedin|instagram|youtube|vimeo|tiktok|flickr|bsky)\.(com|app)$|(^|\.)list-manage\.com$|(^|\.)mailchimp\.com$|(^|\.)mailerlite\.(com|io)$|(^|\.)apsis\.(one|com)$/i;
const READ_MORE = /^(les (mer|meir|hele saka|hele artikkelen)|lees meer|läs (mer|hela)|read (more|the full|on)|continue reading|læs (mere|hele)|lue lisää|mer information|more)\b/i;

/** A button or bold link that asks the reader to act: never a story's heading. */
const CALL_TO_ACTION = /[»›→>]\s*$|^(les|lees|se|sjå|läs|se|read|register|sign up|join|download|last ned|ladda ned|ladda ner|hent|meld deg på|påmelding|anmäl|tilmeld|lue|katso|ilmoittaudu|watch|listen|book|apply|søk|sök)\b/i;

/** An image that only reports the open: 1×1 (or up to 3 px), hidden, or on an open-tracking path. */
const PIXEL_SRC = /\/track\/open|\/open\.php|\/open\.aspx|\/o\/[\w-]+|\/e\/o\/|[/.]pixel|\/beacon|\/wf\/open|\/trk\/|\/imp\?|open\.gif|\/tr\/op\//i;

export interface IssueOptions {
  /** The URL the issue gets when it carries no web-version link: a stable Regionradar URL of its own. */
  fallbackUrl: string;
}

/** One issue, cleaned: its web-version link, the body without tracking and footer, and the stories it links. */
export interface NewsletterIssue {
  webVersionUrl?: string;
  html: string;
  stories: Array<{ title: string; url: string; teaser: string }>;
}

/**
 * A newsletter issue → RawItems: the issue itself (subject as title, the web version as link, the
 * cleaned body) and, when it bundles stories (at least two headings that each link somewhere of
 * their own), one item per story pointing to the story's own URL, so that it meets the same story
 * from a feed as one article.
 */
export function newsletterItems(mail: MailMessage, opts: IssueOptions): RawItem[] {
  const issue = cleanIssue(mail.html ?? textToHtml(mail.text ?? ''));
  const common = { published: mail.date, author: mail.from.name, declaredLanguage: mail.language };
  const items: RawItem[] = [
    {
      guid: mail.messageId,
      title: mail.subject || undefined,
      link: issue.webVersionUrl ?? opts.fallbackUrl,
      contentHtml: issue.html,
      ...common,
    },
  ];
  for (const story of issue.stories) {
    items.push({ title: story.title, link: story.url, summary: story.teaser || undefined, ...common });
  }
  return items;
}

/** The issue's HTML without its tracking, preheader and footer; the web-version link and stories found. */
export function cleanIssue(html: string): NewsletterIssue {
  const $ = cheerio.load(html);
  $('head, style, script, title, meta, link').remove();
  // Preheaders and other hidden text: mail clients show it only in the inbox list.
  $('[style]').each((_, el) => {
    const style = ($(el).attr('style') ?? '').toLowerCase().replace(/\s+/g, '');
    if (/display:none|visibility:hidden|max-height:0(px)?;|mso-hide:all/.test(style)) $(el).remove();
  });
  $('img').each((_, el) => {
    const img = $(el);
    const size = (name: 'width' | 'height') => Number.parseInt(img.attr(name) ?? new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*(\\d+)`).exec(img.attr('style') ?? '')?.[1] ?? '', 10);
    const tiny = [size('width'), size('height')].every((n) => Number.isFinite(n) && n <= 3);
    if (tiny || PIXEL_SRC.test(img.attr('src') ?? '')) img.remove();
  });

  // A block removed as preheader or footer is small in absolute terms and beside the whole issue.
  const total = $('body').text().replace(/\s+/g, ' ').trim().length;
  let webVersionUrl: string | undefined;
  $('a[href]').each((_, el) => {
    const a = $(el);
    const href = httpUrl(a.attr('href'));
    if (!href) return;
    a.attr('href', withoutTracking(href));
    if (webVersionUrl) return;
    if (WEB_VERSION_TEXT.test(a.text()) || WEB_VERSION_HOST.test(new URL(href).hostname)) {
      webVersionUrl = publicWebVersion(href);
      removeBlock($, el, Math.min(300, total * 0.15));
    }
  });

  // The footer: the smallest block around each unsubscribe or "why you get this" text, if it is footer-sized.
  const footers: AnyNode[] = [];
  $('a, p, td, div, span, small, font').each((_, el) => {
    const node = $(el);
    if (node.children('p, td, div, table').length) return;
    if (FOOTER_TEXT.test(node.text())) footers.push(el);
  });
  for (const el of footers) removeBlock($, el, Math.min(1200, total * 0.3));

  return { webVersionUrl, html: $('body').html() ?? $.html(), stories: findStories($, webVersionUrl) };
}

/** Removes the block around `el`: the outermost ancestor whose text is still under `maxChars`. */
function removeBlock($: cheerio.CheerioAPI, el: AnyNode, maxChars: number): void {
  let target = $(el);
  for (let up = target.parent(); up.length && !up.is('body, html'); up = up.parent()) {
    if (up.text().replace(/\s+/g, ' ').trim().length > maxChars) break;
    target = up;
  }
  target.remove();
}

const BLOCK = 'h1, h2, h3, h4, h5, p, li, td, div, th';
const HEADING = /^h[1-4]$/;

/**
 * Stories of a bundle: a heading (h1–h4, or a block that is only a bold link) that links somewhere
 * itself or is followed by a "read more" link, with the text up to the next heading as its teaser.
 * Two or more make a bundle; one is just the issue's own headline.
 */
function findStories($: cheerio.CheerioAPI, webVersionUrl: string | undefined): NewsletterIssue['stories'] {
  // Leaf blocks in document order: the table layouts of mail put headings and text in sibling cells.
  const blocks = $(BLOCK)
    .toArray()
    .filter((el) => $(el).find(BLOCK).length === 0)
    .map((el) => ({ el, text: $(el).text().replace(/\s+/g, ' ').trim() }))
    .filter((b) => b.text);
  const isHeading = (b: (typeof blocks)[number]) => {
    const el = b.el as Element;
    if (HEADING.test(el.tagName) || $(el).closest('h1, h2, h3, h4').length) return true;
    // Mailchimp's and MailerLite's text blocks: a paragraph that is only a bold link.
    const strong = $(el).children('strong, b').first();
    const only = strong.length ? strong : $(el).children('a').first();
    return b.text.length <= 200 && only.length > 0 && only.text().replace(/\s+/g, ' ').trim() === b.text && (only.is('a') ? only.find('strong, b').length > 0 : only.find('a').length > 0);
  };
  const storyLink = (el: AnyNode) => {
    for (const a of $(el).find('a[href]').toArray()) {
      const url = httpUrl($(a).attr('href'));
      if (url && isStoryUrl(url, webVersionUrl)) return url;
    }
    return undefined;
  };
  const stories: NewsletterIssue['stories'] = [];
  for (let i = 0; i < blocks.length; i++) {
    const head = blocks[i]!;
    if (!isHeading(head) || head.text.length > 200 || CALL_TO_ACTION.test(head.text)) continue;
    let url = storyLink(head.el);
    const teaser: string[] = [];
    for (let j = i + 1; j < blocks.length && !isHeading(blocks[j]!); j++) {
      const b = blocks[j]!;
      if (READ_MORE.test(b.text)) url ??= storyLink(b.el);
      else if (teaser.join(' ').length < 400) teaser.push(b.text);
    }
    const clean = url && withoutTracking(url);
    if (clean && !stories.some((s) => s.url === clean)) stories.push({ title: head.text, url: clean, teaser: teaser.join(' ').slice(0, 500).trim() });
  }
  return stories.length >= 2 ? stories : [];
}

function isStoryUrl(url: string, webVersionUrl: string | undefined): boolean {
  const u = new URL(url);
  if (NOT_A_STORY_HOST.test(u.hostname) || WEB_VERSION_HOST.test(u.hostname)) return false;
  return !webVersionUrl || publicWebVersion(url) !== webVersionUrl;
}

const httpUrl = (href: string | undefined): string | undefined => {
  const url = resolveUrl(href, undefined);
  return url && /^https?:/i.test(url) ? url : undefined;
};

/** A text-only issue as HTML paragraphs, its URLs made links. */
function textToHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${esc(p.trim()).replace(/https?:\/\/[^\s<>()[\]]+/g, (u) => `<a href="${u}">${u}</a>`).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
