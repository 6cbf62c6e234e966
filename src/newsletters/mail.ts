import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import { InboundMailError } from '../errors.js';

/** What the rest of the newsletter stage needs of one e-mail, read from its MIME. */
export interface MailMessage {
  /** The Message-ID without angle brackets; a digest of sender, subject and date when the message has none. */
  messageId: string;
  from: { address: string; name?: string };
  subject: string;
  /** ISO-8601, from the Date header; undefined when it is missing or unreadable. */
  date?: string;
  html?: string;
  text?: string;
  /** The List-Id header's id (inside the angle brackets), lower-case. */
  listId?: string;
  /** The List-Id header as sent, lower-case ("Nordregio <abc.list-id.mcsv.net>"). */
  listIdHeader?: string;
  /** Content-Language, or the HTML's lang attribute. */
  language?: string;
  size: number;
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

/**
 * Raw RFC 5322 bytes → MailMessage. mailparser reads the MIME tree, charsets (ISO-8859-1, Windows-1252,
 * …) and transfer encodings. A message counts as malformed, and nothing of it is kept, when it has no
 * sender address or no text or HTML part could be read from it.
 */
export async function readMail(raw: Buffer, ctx: { sourceId?: string } = {}): Promise<MailMessage> {
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: 5_000_000 });
  } catch (err) {
    throw new InboundMailError(`malformed message: ${(err as Error).message}`, { ...ctx, reason: 'malformed', cause: err });
  }
  const from = firstAddress(parsed.from);
  if (!from?.address) throw new InboundMailError('malformed message: no From address could be read', { ...ctx, reason: 'malformed' });
  const html = typeof parsed.html === 'string' && parsed.html.trim() ? parsed.html : undefined;
  const text = parsed.text?.trim() ? parsed.text : undefined;
  if (!html && !text) {
    throw new InboundMailError('malformed message: no text or HTML part could be read (a broken multipart boundary or transfer encoding?)', { ...ctx, reason: 'malformed' });
  }
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim();
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined;
  const listIdHeader = rawHeader(parsed.headerLines, 'list-id')?.toLowerCase();
  const listId = listIdHeader ? (/<([^>]+)>/.exec(listIdHeader)?.[1] ?? listIdHeader).trim() : undefined;
  const language = rawHeader(parsed.headerLines, 'content-language')?.split(',')[0]?.trim() || (html ? /<html[^>]*\slang=["']?([A-Za-z-]+)/i.exec(html)?.[1] : undefined);
  const messageId =
    parsed.messageId?.replace(/^<|>$/g, '').trim() ||
    `sha256-${createHash('sha256').update(`${from.address}\n${subject}\n${date ?? ''}\n${html ?? text}`).digest('hex').slice(0, 32)}`;
  return {
    messageId,
    from: { address: from.address.toLowerCase(), ...(from.name ? { name: from.name } : {}) },
    subject,
    ...(date ? { date } : {}),
    ...(html ? { html } : {}),
    ...(text ? { text } : {}),
    ...(listId ? { listId, listIdHeader } : {}),
    ...(language ? { language } : {}),
    size: raw.length,
  };
}

/** A header's unfolded value as sent (mailparser structures some headers, such as List-*, beyond use). */
function rawHeader(lines: ReadonlyArray<{ key: string; line: string }>, key: string): string | undefined {
  const line = lines.find((l) => l.key === key)?.line;
  if (!line) return undefined;
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim() || undefined;
}
