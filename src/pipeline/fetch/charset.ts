/**
 * Bytes → text. Order of trust, after Miniflux's reader/encoding and CommaFeed:
 * 1. a byte-order mark, or the zero-byte pattern of UTF-16/32 around the first "<";
 * 2. bytes that are valid UTF-8 stay UTF-8 whatever the declarations say (servers and feeds lie,
 *    and valid UTF-8 is vanishingly unlikely to be anything else);
 * 3. the charset of the Content-Type header, then the XML declaration, then <meta charset> in the
 *    first 1,024 bytes (where HTML 5 says a page must declare it);
 * 4. windows-1252 as the last resort (ISO-8859-1 is read as windows-1252 too).
 */
import iconv from 'iconv-lite';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Labels read as windows-1252, as WHATWG mandates: real "Latin-1" text carries 0x80–0x9F quotes and
 * dashes. (Node 20's own TextDecoder decodes windows-1252 as Latin-1, hence iconv-lite.)
 */
const AS_WINDOWS_1252 = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'ascii', 'us-ascii', 'cp1252', 'cp819', 'ibm819', 'iso_8859-1', 'x-cp1252']);

/** Characters XML 1.0 forbids (C0 controls except tab, LF, CR; U+FFFE/FFFF); parsers choke on them. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export interface Decoded {
  text: string;
  /** The encoding that was used, as a WHATWG label. */
  encoding: string;
}

export function decodeBody(bytes: Uint8Array, contentType?: string): Decoded {
  const bom = bomEncoding(bytes) ?? wideEncoding(bytes);
  if (bom) return finish(iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bom), bom);
  try {
    return finish(UTF8.decode(bytes), 'utf-8');
  } catch {
    // not UTF-8: fall through to the declarations
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const label of [headerCharset(contentType), xmlDeclarationCharset(bytes), metaCharset(bytes)]) {
    const encoding = label ? supportedEncoding(label) : undefined;
    // A declared UTF-8 that failed to decode above is wrong; the next declaration or the fallback decides.
    if (encoding && encoding !== 'utf-8') return finish(iconv.decode(buf, encoding), encoding);
  }
  return finish(iconv.decode(buf, 'windows-1252'), 'windows-1252');
}

/**
 * C1 control characters (U+0080–U+009F) never mean themselves in a feed: they are windows-1252
 * quotes and dashes that went through a Latin-1 conversion ("don\u0092t"). Undefined slots stay.
 */
const C1_AS_WINDOWS_1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
export const windows1252C1 = (code: number): string => C1_AS_WINDOWS_1252[code - 0x80] ?? String.fromCharCode(code);

function finish(text: string, encoding: string): Decoded {
  return { text: text.replace(XML_FORBIDDEN, '').replace(/[\u0080-\u009f]/g, (c) => windows1252C1(c.charCodeAt(0))), encoding };
}

function bomEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'utf-32be';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'utf-32le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/**
 * UTF-16/32 without a byte-order mark, from the zero bytes around the first "<" (XML 1.0 Appendix F).
 * These encodings cannot be read from a declaration, which is itself in them.
 */
function wideEncoding(b: Uint8Array): string | undefined {
  if (b.length < 4) return undefined;
  const [b0, b1, b2, b3] = b;
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'utf-32be';
  if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'utf-16be';
  if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'utf-16le';
  return undefined;
}

/** Labels feeds declare that iconv-lite knows under another name. */
const ALIASES: Record<string, string> = { maccentraleurope: 'maccenteuro', maclatin2: 'maccenteuro', cp_is: 'cp861', utf_16: 'utf-16', u16: 'utf-16', utf16: 'utf-16', utf_32: 'utf-32', u32: 'utf-32', utf32: 'utf-32' };

function supportedEncoding(label: string): string | undefined {
  const l = ALIASES[label.trim().toLowerCase()] ?? label.trim().toLowerCase();
  if (AS_WINDOWS_1252.has(l)) return 'windows-1252';
  if (l === 'utf8' || l === 'utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : undefined;
}

export function headerCharset(contentType: string | undefined): string | undefined {
  return contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] : undefined;
}

/** The first 1,024 bytes as Latin-1: enough to read an ASCII declaration whatever the encoding. */
function head(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
}

function xmlDeclarationCharset(bytes: Uint8Array): string | undefined {
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head(bytes))?.[1];
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const h = head(bytes);
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(h)?.[1];
}
