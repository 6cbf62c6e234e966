import { attr, escapeHtml, hasElementChildren, serializeChildren, textContent, type XmlElement } from './xml.js';

const TEXT_TYPES = new Set(['text', 'text/plain']);
const XHTML_TYPES = new Set(['xhtml', 'application/xhtml+xml']);

/**
 * An Atom text construct (title, subtitle, summary, content; Atom 0.3 tagline) as HTML.
 * `type` says how to read it (text, html, xhtml, or a media type in Atom 0.3) and Atom 0.3's `mode`
 * how it is carried (xml, escaped, base64). Plain text is escaped so that every field the adapters
 * return is HTML and one plain-text step downstream serves them all.
 */
export function textConstruct(el: XmlElement): string {
  const type = (attr(el, 'type') ?? 'text').trim().toLowerCase();
  const mode = attr(el, 'mode')?.trim().toLowerCase();
  if (mode === 'base64') {
    const decoded = Buffer.from(textContent(el).replace(/\s+/g, ''), 'base64').toString('utf8');
    return TEXT_TYPES.has(type) ? escapeHtml(decoded) : decoded;
  }
  const wrapper = xhtmlWrapper(el);
  if (XHTML_TYPES.has(type)) return serializeChildren(wrapper ? wrapper.children : el.children);
  // Escaped HTML inside an xhtml div (TypePad's habit): the div is packaging, its text is the HTML.
  if (wrapper && !TEXT_TYPES.has(type) && !hasElementChildren(wrapper)) return textContent(wrapper);
  // Markup inside a text construct that does not declare it (naked markup) is meant as HTML.
  if (hasElementChildren(el)) return serializeChildren(el.children);
  if (TEXT_TYPES.has(type) && mode !== 'escaped') return escapeHtml(textContent(el));
  return textContent(el);
}

/** The one xhtml:div the spec wraps xhtml content in, which is not part of the value. */
function xhtmlWrapper(el: XmlElement): XmlElement | undefined {
  const elements = el.children.filter((c): c is XmlElement => typeof c !== 'string');
  const [only] = elements;
  const alone = elements.length === 1 && only?.local === 'div' && el.children.every((c) => typeof c !== 'string' || c.trim() === '');
  return alone ? only : undefined;
}

/** An RSS element's value as HTML: RSS text is HTML by convention; child elements are inline markup. */
export function htmlValue(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  if (el.prefix === 'atom') return textConstruct(el);
  return hasElementChildren(el) ? serializeChildren(el.children) : textContent(el);
}

/** An element's value as plain text (ids, links, dates, names). */
export function plainValue(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const t = textContent(el).trim();
  return t === '' ? undefined : t;
}
