import { readXml, type XmlElement } from '../pipeline/parse/feed/xml.js';
import { ParseError } from '../errors.js';
import { parseSourceInput, sourceToInput } from './catalogue.js';
import type { Source } from './schema.js';

/**
 * OPML 2.0 import and export of the catalogue. Feed readers understand the standard attributes
 * (text, title, type="rss", xmlUrl, htmlUrl, language); what only Regionradar needs — id, kind,
 * country, schedule, listing selectors, a newsletter's address and senders — travels in attributes of its own namespace, so that an
 * export imported into an empty instance reproduces the catalogue exactly.
 */
const NS = 'https://regionradar.example/ns/opml/1';
const P = 'regionradar';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;');

/** ISO 639-3 codes of the catalogue → the BCP 47 tags feed readers expect in `language`. */
const BCP47: Record<string, string> = { nob: 'nb', nno: 'nn', swe: 'sv', dan: 'da', fin: 'fi', isl: 'is', eng: 'en', sme: 'se', fao: 'fo' };

export function exportOpml(sources: readonly Source[], title = 'Regionradar sources', now = new Date()): string {
  const lines = sources.map((s) => {
    const input = sourceToInput(s) as Source & { schedule: { every: string; jitter: number } };
    const attrs: Array<[string, string | undefined]> = [
      ['text', s.name],
      ['title', s.name],
      ['type', s.kind === 'feed' ? 'rss' : 'link'],
      [s.kind === 'feed' ? 'xmlUrl' : 'url', s.url],
      ['htmlUrl', s.homepage],
      ['language', s.language ? BCP47[s.language] : undefined],
      [`${P}:id`, s.id],
      [`${P}:kind`, s.kind],
      [`${P}:language`, s.language],
      [`${P}:country`, s.country],
      [`${P}:region`, s.region],
      [`${P}:every`, input.schedule.every],
      [`${P}:jitter`, String(s.schedule.jitter)],
      [`${P}:enabled`, String(s.enabled)],
      [`${P}:example`, s.example],
      [`${P}:listing`, s.listing ? JSON.stringify(s.listing) : undefined],
      [`${P}:fullText`, s.fullText ? JSON.stringify(s.fullText) : undefined],
      [`${P}:newsletter`, s.newsletter ? JSON.stringify(s.newsletter) : undefined],
      [`${P}:documents`, s.documents ? JSON.stringify(s.documents) : undefined],
    ];
    const text = attrs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}="${escapeAttr(v!)}"`).join(' ');
    return `    <outline ${text}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0" xmlns:${P}="${NS}">
  <head>
    <title>${escapeAttr(title)}</title>
    <dateCreated>${now.toUTCString()}</dateCreated>
  </head>
  <body>
${lines.join('\n')}
  </body>
</opml>
`;
}

export interface OpmlImport {
  sources: Source[];
  /** Outlines that could not become a source, with the reason. */
  rejected: Array<{ outline: string; reason: string }>;
}

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[æ]/g, 'ae')
    .replace(/[ø]/g, 'o')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'source';

const FROM_BCP47 = Object.fromEntries(Object.entries(BCP47).map(([k, v]) => [v, k]));

/**
 * OPML → sources. Outlines from other readers (only xmlUrl and a title) become feed sources with an
 * id made from the title; country comes from the outline or `defaults.country`. Folders are walked.
 */
export function importOpml(text: string, defaults: { country?: string } = {}): OpmlImport {
  const root = readXml(text);
  if (!root || root.local !== 'opml') throw new ParseError('not an OPML document: the root element must be <opml>');
  const body = root.children.find((c): c is XmlElement => typeof c !== 'string' && c.local === 'body');
  const out: OpmlImport = { sources: [], rejected: [] };
  const ids = new Set<string>();
  const walk = (el: XmlElement) => {
    for (const child of el.children) {
      if (typeof child === 'string' || child.local !== 'outline') continue;
      const a = child.attrs;
      const url = a.xmlUrl ?? a.xmlurl ?? a.url;
      if (!url) {
        walk(child);
        continue;
      }
      const name = a.title ?? a.text ?? url;
      try {
        const language = a[`${P}:language`] ?? (a.language ? FROM_BCP47[a.language.toLowerCase().slice(0, 2)] : undefined);
        let id = a[`${P}:id`] ?? slug(name);
        for (let n = 2; !a[`${P}:id`] && ids.has(id); n++) id = `${slug(name)}-${n}`;
        const listing = a[`${P}:listing`];
        const fullText = a[`${P}:fullText`];
        const newsletter = a[`${P}:newsletter`];
        const documents = a[`${P}:documents`];
        const source = parseSourceInput(
          {
            id,
            name,
            url,
            kind: a[`${P}:kind`] ?? 'feed',
            country: a[`${P}:country`] ?? defaults.country,
            ...(a.htmlUrl ? { homepage: a.htmlUrl } : {}),
            ...(language ? { language } : {}),
            ...(a[`${P}:region`] ? { region: a[`${P}:region`] } : {}),
            ...(a[`${P}:every`] ? { schedule: { every: a[`${P}:every`], jitter: Number(a[`${P}:jitter`] ?? 0.1) } } : {}),
            ...(a[`${P}:enabled`] ? { enabled: a[`${P}:enabled`] === 'true' } : {}),
            ...(a[`${P}:example`] ? { example: a[`${P}:example`] } : {}),
            ...(listing ? { listing: JSON.parse(listing) } : {}),
            ...(fullText ? { fullText: JSON.parse(fullText) } : {}),
            ...(newsletter ? { newsletter: JSON.parse(newsletter) } : {}),
            ...(documents ? { documents: JSON.parse(documents) } : {}),
          },
          `OPML outline "${name}"`,
        );
        if (ids.has(source.id)) throw new Error(`duplicate id "${source.id}"`);
        ids.add(source.id);
        out.sources.push(source);
      } catch (err) {
        out.rejected.push({ outline: name, reason: (err as Error).message });
      }
    }
  };
  if (body) walk(body);
  return out;
}
