import { parseDocument } from 'htmlparser2';
import type { ChildNode } from 'domhandler';
import { decodeHTML } from 'entities';
import { resolveUrl } from '../../normalize/url.js';
import { windows1252C1 } from '../../fetch/charset.js';

/**
 * A feed document as a namespace-resolved element tree. Feeds are read with htmlparser2's lenient
 * XML mode rather than a validating parser: real feeds carry bare ampersands, undeclared prefixes
 * and broken nesting, and a reader that gives up on the first error loses every item after it.
 */
export interface XmlElement {
  /** `prefix:local` with the prefix canonical for known namespaces (`dc`, `atom`, `itunes` …), '' for RSS core. Lower case. */
  name: string;
  /** Local name in lower case. */
  local: string;
  /** Canonical prefix ('' for no namespace / RSS core). */
  prefix: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Effective xml:base (resolved against the parent's and the document URL). */
  base?: string;
  /** Effective xml:lang. */
  lang?: string;
}
export type XmlNode = XmlElement | string;

/** Namespace URIs (lower-cased) → the prefix the adapters look for, whatever prefix a feed declares. */
const NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
};

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Internal entities a DOCTYPE declares with a literal value (`<!ENTITY id "tag:example.com,">`).
 * External entities (SYSTEM/PUBLIC) and values holding markup or further references are never
 * expanded: that is what makes XXE and "billion laughs" documents harmless here.
 */
function declaredEntities(xml: string): Map<string, string> {
  const entities = new Map<string, string>();
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/i.exec(xml.slice(0, 65_536));
  if (!doctype) return entities;
  for (const [, name, , value] of (doctype[1] ?? '').matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(["'])([^"'&<%]*)\2\s*>/g)) {
    if (name && value !== undefined) entities.set(name, value);
  }
  return entities;
}

/**
 * RSS feeds use HTML's named entities (&aring;, &oslash;, &nbsp;, &hellip;) without declaring them;
 * XML knows only five. Each known HTML entity (or one the DOCTYPE declares literally) is rewritten
 * as the numeric reference XML accepts; unknown names are escaped so they show as text.
 */
function htmlEntitiesToXml(xml: string): string {
  const declared = declaredEntities(xml);
  const withoutDoctype = declared.size ? xml.replace(/<!DOCTYPE[^[>]*\[[\s\S]*?\]\s*>/i, '') : xml;
  return withoutDoctype.replace(/&([A-Za-z][A-Za-z0-9._-]{0,31});/g, (match, name: string) => {
    if (XML_ENTITIES.has(name)) return match;
    const value = declared.get(name) ?? HTML4_OVERRIDES[name] ?? decodeHTML(match);
    if (value === match) return `&amp;${name};`;
    return [...value].map((ch) => `&#${ch.codePointAt(0)};`).join('');
  });
}

/** HTML 4's angle brackets, which feeds written against HTML 4 mean; HTML 5 changed them to the mathematical ones. */
const HTML4_OVERRIDES: Record<string, string> = { lang: '\u2329', rang: '\u232A' };

/** Character references to C1 controls (&#150;) mean the windows-1252 characters in the wild. */
function repairC1References(xml: string): string {
  return xml.replace(/&#(?:(1[2-5]\d)|x([89][0-9a-f]));/gi, (match, dec: string | undefined, hex: string | undefined) => {
    const code = dec ? Number(dec) : parseInt(hex!, 16);
    if (code < 0x80 || code > 0x9f) return match;
    return `&#${windows1252C1(code).codePointAt(0)};`;
  });
}

/** Parses feed text into the element tree; `url` is the document's address (the outermost base). */
export function readXml(text: string, url?: string): XmlElement | undefined {
  const dom = parseDocument(repairC1References(htmlEntitiesToXml(text)), { xmlMode: true, decodeEntities: true });
  const root = dom.children.find((n) => n.type === 'tag');
  if (!root) return undefined;
  return convert(root, new Map(), url, undefined);
}

function convert(node: ChildNode, scope: Map<string, string>, parentBase: string | undefined, parentLang: string | undefined): XmlElement {
  const el = node as unknown as { name: string; attribs: Record<string, string>; children: ChildNode[] };
  let ns = scope;
  for (const [k, v] of Object.entries(el.attribs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (ns === scope) ns = new Map(scope);
      ns.set(k === 'xmlns' ? '' : k.slice(6), v.trim().toLowerCase());
    }
  }
  const colon = el.name.indexOf(':');
  const rawPrefix = colon > 0 ? el.name.slice(0, colon) : '';
  const local = (colon > 0 ? el.name.slice(colon + 1) : el.name).toLowerCase();
  const uri = ns.get(rawPrefix);
  // A known namespace gets its canonical prefix; an unknown one keeps what the feed wrote; an undeclared prefix (dc: without xmlns:dc) is taken at its word.
  const prefix = uri !== undefined ? (NAMESPACES[uri] ?? rawPrefix.toLowerCase()) : rawPrefix.toLowerCase();
  const xmlBase = el.attribs['xml:base'];
  const base = xmlBase !== undefined ? (resolveUrl(xmlBase, parentBase) ?? parentBase) : parentBase;
  const lang = el.attribs['xml:lang'] ?? parentLang;
  const children: XmlNode[] = [];
  for (const child of el.children) {
    if (child.type === 'tag') children.push(convert(child, ns, base, lang));
    else if (child.type === 'text') children.push((child as unknown as { data: string }).data);
    else if (child.type === 'cdata') {
      for (const c of (child as unknown as { children: ChildNode[] }).children) if (c.type === 'text') children.push((c as unknown as { data: string }).data);
    }
  }
  return { name: prefix ? `${prefix}:${local}` : local, local, prefix, attrs: el.attribs, children, base, lang };
}

/** Child elements of `el` with one of the given names (`title`, `dc:creator`, …). */
export function childrenNamed(el: XmlElement, ...names: string[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && names.includes(c.name)) out.push(c);
  return out;
}

/** The first child element with one of the names, in the order the names are given (their precedence). */
export function firstNamed(el: XmlElement, ...names: string[]): XmlElement | undefined {
  for (const name of names) {
    for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  }
  return undefined;
}

export function textContent(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textContent(c);
  return out;
}

export function hasElementChildren(el: XmlElement): boolean {
  return el.children.some((c) => typeof c !== 'string');
}

/** Case-insensitive attribute lookup (CDF writes HREF and LASTMOD). */
export function attr(el: XmlElement, name: string): string | undefined {
  if (name in el.attrs) return el.attrs[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attrs)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
export const escapeHtml = escapeText;

/** Inline markup (Atom xhtml, naked elements in RSS) serialized back to HTML, namespace prefixes dropped. */
export function serializeChildren(nodes: XmlNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') {
      out += escapeText(n);
      continue;
    }
    const attrs = Object.entries(n.attrs)
      .filter(([k]) => k !== 'xmlns' && !k.startsWith('xmlns:') && !k.startsWith('xml:'))
      .map(([k, v]) => ` ${k.includes(':') ? k.slice(k.indexOf(':') + 1) : k}="${escapeAttr(v)}"`)
      .join('');
    out += `<${n.local}${attrs}>${serializeChildren(n.children)}</${n.local}>`;
  }
  return out;
}
