import { resolveUrl } from '../../normalize/url.js';
import { htmlValue, plainValue } from './text.js';
import { attr, childrenNamed, firstNamed, type XmlElement } from './xml.js';

/** Channel-level facts of a feed. Title and description are HTML, like the items' fields. */
export interface FeedInfo {
  title?: string;
  link?: string;
  description?: string;
  language?: string;
  updated?: string;
  published?: string;
  author?: string;
  categories: string[];
}

/** An author's name from the forms feeds use: "Jane Doe", "jane@x.no (Jane Doe)", "Jane Doe (jane@x.no)", "Jane <jane@x.no>". */
export function authorName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const inParens = /^\S+@\S+\s*\((.+)\)$/.exec(v)?.[1];
  if (inParens) return inParens.trim();
  const stripped = v.replace(/\s*\(\S+@\S+\)$/, '').replace(/\s*<\S+@\S+>$/, '').trim();
  return stripped || v;
}

/** The first author's name: Atom person constructs (name, else the text), RSS/Dublin Core/iTunes strings. */
export function firstAuthor(el: XmlElement, names: string[]): string | undefined {
  for (const name of names) {
    for (const a of childrenNamed(el, name)) {
      const person = firstNamed(a, 'atom:name', 'name');
      const value = person ? plainValue(person) : plainValue(a);
      if (value) return authorName(value);
    }
  }
  return undefined;
}

/** Category terms from every vocabulary feeds use, in document order, without repeats. */
export function categoriesOf(el: XmlElement): string[] {
  const out: string[] = [];
  const add = (t: string | undefined) => {
    const v = t?.trim();
    if (v && !out.includes(v)) out.push(v);
  };
  const itunes = (parent: XmlElement) => {
    for (const c of childrenNamed(parent, 'itunes:category')) {
      add(attr(c, 'text'));
      itunes(c);
    }
  };
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    switch (c.name) {
      case 'category':
      case 'dc:subject':
      case 'media:category':
        add(plainValue(c));
        break;
      case 'atom:category':
        add(attr(c, 'term') ?? plainValue(c));
        break;
      case 'itunes:keywords':
        for (const k of (plainValue(c) ?? '').split(',')) add(k);
        break;
    }
  }
  itunes(el);
  return out;
}

/** Alternate and enclosure links of an Atom link list (rel absent means alternate), resolved against their xml:base. */
export function atomLinks(el: XmlElement): { alternate?: string; enclosure?: string } {
  let alternate: string | undefined;
  let alternateType: string | undefined;
  let enclosure: string | undefined;
  for (const link of childrenNamed(el, 'atom:link', ...(el.prefix === 'atom' ? ['link'] : []))) {
    const href = attr(link, 'href');
    if (!href) continue;
    const rel = (attr(link, 'rel') ?? 'alternate').trim().toLowerCase();
    const url = resolveUrl(href, link.base) ?? href.trim();
    const type = attr(link, 'type')?.toLowerCase();
    if (rel === 'alternate' && (alternate === undefined || (!/html/.test(alternateType ?? 'html') && /html/.test(type ?? 'html')))) {
      alternate = url;
      alternateType = type;
    } else if (rel === 'enclosure' && enclosure === undefined) enclosure = url;
  }
  return { alternate, enclosure };
}

/** A link against its element's xml:base (or the document URL); kept as written when it is not a URL. */
export function resolveAt(el: XmlElement, value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  return resolveUrl(v, el.base) ?? v;
}

/** An element whose text is a link (RSS link, guid). */
export function linkOf(el: XmlElement | undefined): string | undefined {
  return el ? resolveAt(el, plainValue(el)) : undefined;
}

/** The Media RSS description/title, directly on the item or inside a media:group. */
export function mediaField(el: XmlElement, local: 'description' | 'title'): string | undefined {
  const direct = firstNamed(el, `media:${local}`);
  if (direct) return htmlValue(direct);
  for (const group of childrenNamed(el, 'media:group')) {
    const inner = firstNamed(group, `media:${local}`);
    if (inner) return htmlValue(inner);
  }
  return undefined;
}

/**
 * Dates as written; Atom 0.3 names (issued, modified, created) and Dublin Core terms included.
 * Of repeated elements the last counts, as in feedparser: a later value overwrites an earlier one.
 */
export function dateOf(el: XmlElement, names: string[]): string | undefined {
  for (const name of names) {
    const value = plainValue(childrenNamed(el, name).at(-1));
    if (value) return value;
  }
  return undefined;
}

/** A language tag in its standard form: `en_US` → `en-US`. */
export function languageTag(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v.replace(/_/g, '-') : undefined;
}
