import { readRecordedNewsletters } from '../../src/fixtures/newsletters.js';
import iconv from 'iconv-lite';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';


/** The e-mail platform whose markup, links and headers a fixture imitates. */
export type NewsletterPlatform = 'mailchimp' | 'apsis' | 'mailerlite';

/** A story of a bundle newsletter: its heading text and its own URL without tracking parameters. */
export interface NewsletterStory {
  title: string;
  url: string;
}

/** One fixture of `newsletters.json`, with `html` and `text` holding the files' contents (decoded text). */
export interface NewsletterFixture {
  name: string;
  platform: NewsletterPlatform;
  language: 'nob' | 'swe' | 'eng';
  /** "Name <address>" */
  from: string;
  subject: string;
  /** The List-Id header value, or null where the platform sends none. */
  listId: string | null;
  /** ISO 8601 with offset. */
  date: string;
  messageId: string;
  /** The charset the message is sent in; the files themselves are UTF-8. */
  charset: 'utf-8' | 'iso-8859-1';
  html: string;
  text: string;
  /** The exact href of the web-version link, entities decoded. */
  webVersionUrl: string;
  /** The exact src of the 1×1 open-tracking image. */
  trackingPixel: string;
  /** Empty for single-story newsletters. */
  stories: NewsletterStory[];
  /** Theme ids (config/themes.yaml) the newsletter is substantially about. */
  themes: string[];
  /** Words in the body text that are not in the subject. */
  wordsOnlyInBody: string[];
  /** Headers the platform sends besides From, To, Subject, Date, Message-ID and List-Id. */
  headers: Record<string, string>;
}

let cache: NewsletterFixture[] | undefined;

/** All fixtures of `newsletters.json`, with their HTML and text files read (synchronously, cached; copies returned). */
export function loadNewsletters(): NewsletterFixture[] {
  cache ??= readRecordedNewsletters<NewsletterFixture>();
  return cache.map((f) => structuredClone(f));
}

/** The fixture called `name`; throws naming it (and the known names) if there is none. */
export function newsletter(name: string): NewsletterFixture {
  const all = loadNewsletters();
  const found = all.find((f) => f.name === name);
  if (!found) throw new Error(`unknown newsletter fixture "${name}"; known: ${all.map((f) => f.name).join(', ')}`);
  return found;
}

/** MIME name of a fixture charset, as it goes into Content-Type and encoded words. */
const MIME_CHARSET = { 'utf-8': 'utf-8', 'iso-8859-1': 'ISO-8859-1' } as const;

/**
 * RFC 2047 Q encoded words in ISO-8859-1 for a header value, split so each fits on a folded line
 * after "Subject: " (adjacent encoded words are joined without the space between them when decoded).
 */
function latin1EncodedWords(value: string): string {
  const prefix = '=?ISO-8859-1?Q?';
  const words: string[] = [];
  let word = '';
  for (const byte of iconv.encode(value, 'latin1')) {
    const c = String.fromCharCode(byte);
    const piece = /[A-Za-z0-9!*+\-/]/.test(c) ? c : byte === 0x20 ? '_' : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (prefix.length + word.length + piece.length + 2 > 66) {
      words.push(word);
      word = '';
    }
    word += piece;
  }
  if (word) words.push(word);
  return words.map((w) => `${prefix}${w}?=`).join(' ');
}

/**
 * Builds the raw RFC 5322 message as the platform would send it, via nodemailer's MailComposer:
 * multipart/alternative (text, then html), both parts quoted-printable in the fixture's charset. For
 * `iso-8859-1` the parts are Latin-1 bytes (iconv-lite) declared `charset=ISO-8859-1` and the Subject
 * is an ISO-8859-1 encoded word; the From display name stays a UTF-8 encoded word (nodemailer's own).
 * Carries the fixture's headers, List-Id (when not null), Date and Message-ID; `opts.messageId` and
 * `opts.from` replace the fixture's, so one fixture can be delivered more than once.
 */
export async function composeNewsletter(
  f: NewsletterFixture,
  opts: { to: string; messageId?: string; from?: string },
): Promise<Buffer> {
  const charset = MIME_CHARSET[f.charset];
  const part = (type: 'plain' | 'html', content: string) => ({
    contentType: `text/${type}; charset=${charset}`,
    content: iconv.encode(content, f.charset),
    contentTransferEncoding: 'quoted-printable',
  });
  const latin1 = f.charset === 'iso-8859-1';
  const composer = new MailComposer({
    from: opts.from ?? f.from,
    to: opts.to,
    // A Latin-1 sender encodes the subject in Latin-1; nodemailer would write UTF-8, so it goes in prepared.
    ...(latin1 ? {} : { subject: f.subject }),
    date: new Date(f.date),
    messageId: opts.messageId ?? f.messageId,
    headers: {
      ...(latin1 ? { Subject: { prepared: true, foldLines: true, value: latin1EncodedWords(f.subject) } } : {}),
      ...(f.listId === null ? {} : { 'List-ID': f.listId }),
      ...f.headers,
    },
    alternatives: [part('plain', f.text), part('html', f.html)],
  });
  return composer.compile().build();
}

/**
 * The web-version URL Regionradar publishes for a fixture: as sent, less the subscriber's own id on
 * Mailchimp's archive (`e=`), which would let any reader of the feeds act as the subscriber.
 */
export function publishedWebVersion(f: Pick<NewsletterFixture, 'webVersionUrl'>): string {
  const url = new URL(f.webVersionUrl);
  if (url.hostname.endsWith('campaign-archive.com')) url.searchParams.delete('e');
  return url.href;
}
