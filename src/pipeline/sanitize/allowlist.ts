import type { IOptions } from 'sanitize-html';

/**
 * What stored and served article HTML may contain. Anything not listed is unwrapped (its text kept);
 * script, style and similar lose their content too. Each entry is here because readers need it.
 */
export const ALLOWED_TAGS = [
  // text structure
  'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
  // emphasis
  'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q',
  // lists
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  // links and figures
  'a', 'img', 'figure', 'figcaption',
  // tables of figures, common in regional statistics
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

export const ALLOWED_ATTRIBUTES: IOptions['allowedAttributes'] = {
  // rel and loading are set by the sanitizer itself (noopener links, lazy images), never taken from input.
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
  abbr: ['title'],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  ol: ['start'],
};

/** javascript:, data: and vbscript: are how script gets into a link. */
export const ALLOWED_SCHEMES = ['http', 'https', 'mailto'];

/** Elements whose content is dropped with them: code or markup, never article text. */
export const DROPPED_WITH_CONTENT = ['script', 'style', 'noscript', 'template', 'textarea', 'option', 'select', 'iframe', 'object', 'embed', 'svg', 'math', 'title', 'head'];
