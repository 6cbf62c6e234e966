import sanitizeHtml from 'sanitize-html';
import { decodeHTML } from 'entities';
import { resolveUrl } from '../normalize/url.js';
import { ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, DROPPED_WITH_CONTENT } from './allowlist.js';

function options(baseUrl: string | undefined): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ALLOWED_SCHEMES,
    allowProtocolRelative: false,
    nonTextTags: DROPPED_WITH_CONTENT,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (_tag, attribs) => {
        const href = resolveUrl(attribs.href, baseUrl);
        return { tagName: 'a', attribs: { ...(href ? { href } : {}), ...(attribs.title ? { title: attribs.title } : {}), rel: 'noopener noreferrer nofollow' } };
      },
      img: (_tag, attribs) => {
        const src = resolveUrl(attribs.src, baseUrl);
        const { src: _raw, loading: _l, ...rest } = attribs;
        return { tagName: 'img', attribs: { ...rest, ...(src ? { src } : {}), loading: 'lazy' } };
      },
    },
  };
}

/** Block-level ends that become line breaks in the plain text. */
const BLOCK_END = /<\/(p|div|li|h[1-6]|blockquote|tr|td|th|dt|dd|caption|pre|figure|figcaption|table)>|<(br|hr)\s*\/?>/gi;

/**
 * Block elements the allowlist unwraps (their text kept, their tags dropped). Without a break where
 * they were, neighbouring blocks run together once the tags are gone: "<div>håndtrykk.</div><div>Tettere"
 * became "håndtrykk.Tettere". Matched on the raw input, where a newline before a tag is inert white space.
 */
const UNWRAPPED_BLOCK = /<\/?(?:address|article|aside|center|details|div|fieldset|footer|form|h1|header|main|nav|section|summary)\b/gi;
/** Every block element, for plain text, where the sanitizer keeps no tag at all. */
const ANY_BLOCK =
  /<\/?(?:address|article|aside|blockquote|br|caption|center|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|td|th|tr|ul)\b/gi;
const breakBefore = (html: string, tags: RegExp) => html.replace(tags, '\n$&');

/** Plain text of sanitized HTML: tags dropped, entities decoded, white space folded. */
export function htmlToText(safeHtml: string): string {
  return decodeHTML(safeHtml.replace(BLOCK_END, '\n').replace(/<[^>]*>/g, ' '))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/**
 * Untrusted feed or page HTML → HTML that is safe to store and serve (allowlisted tags, attributes
 * and URL schemes; relative URLs made absolute against `baseUrl`) and its plain text.
 */
export function sanitizeContent(html: string, baseUrl?: string): { html: string; text: string } {
  const safe = sanitizeHtml(breakBefore(html, UNWRAPPED_BLOCK), options(baseUrl)).trim();
  return { html: safe, text: htmlToText(safe) };
}

/** Untrusted HTML or text → one line of plain text (titles, summaries). */
/** Folds ASCII white space only: a no-break or thin space in a title is the author's choice. */
const foldSpace = (s: string) => s.replace(/[ \t\n\r\f]+/g, ' ').trim();

export function toPlainText(htmlOrText: string): string {
  // Most titles are plain text already; the parser is only needed where markup or entities are.
  if (!/[<&]/.test(htmlOrText)) return foldSpace(htmlOrText);
  return foldSpace(decodeHTML(sanitizeHtml(breakBefore(htmlOrText, ANY_BLOCK), { allowedTags: [], allowedAttributes: {}, nonTextTags: DROPPED_WITH_CONTENT })));
}
