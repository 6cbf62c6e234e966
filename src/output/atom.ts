import { bcp47, xmlEscape as x } from './xml.js';
import { alsoReportedHtml, feedUpdated, sourcesOf, type FeedRenderer } from './types.js';

/** Article[] → Atom 1.0 (RFC 4287): feed id, title, updated, author; per entry id, title, updated, link. Pure. */
export const renderAtom: FeedRenderer = (articles, meta) => {
  const entries = articles
    .map((a) => {
      const lang = bcp47(a.language);
      return (
        `<entry${lang ? ` xml:lang="${lang}"` : ''}><id>urn:regionradar:article:${a.id}</id><title type="text">${x(a.title)}</title>` +
        `<link rel="alternate" type="text/html" href="${x(a.url)}"/>` +
        // The story's other reports as related links (RFC 4287 §4.2.7.2).
        (meta.mates?.get(a.id) ?? []).map((m) => `<link rel="related" type="text/html" href="${x(m.url)}" hreflang="${x(m.language)}" title="${x(m.title)}"/>`).join('') +
        `<published>${a.publishedAt}</published><updated>${a.publishedAt}</updated>` +
        (a.author ? `<author><name>${x(a.author)}</name></author>` : '') +
        `<source><title>${x(meta.source(a.sourceId).name)}</title></source>` +
        a.themes.map((t) => `<category term="${x(t.id)}" label="${x(meta.themeLabel(t.id))}"/>`).join('') +
        sourcesOf(a).slice(1).map((id) => `<category scheme="regionradar:also-in" term="${x(id)}" label="${x(meta.source(id).name)}"/>`).join('') +
        (a.summary ? `<summary type="text">${x(a.summary)}</summary>` : '') +
        (a.contentHtml ? `<content type="html">${x(a.contentHtml + alsoReportedHtml(a, meta))}</content>` : '') +
        `</entry>`
      );
    })
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">` +
    `<id>${x(meta.selfUrl)}</id><title type="text">${x(meta.title)}</title><subtitle type="text">${x(meta.description)}</subtitle>` +
    `<updated>${feedUpdated(articles)}</updated><author><name>Regionradar</name></author><generator>Regionradar</generator>` +
    `<link rel="self" type="application/atom+xml" href="${x(meta.selfUrl)}"/><link rel="alternate" type="text/html" href="${x(meta.homeUrl)}"/>\n` +
    `${entries}\n</feed>\n`
  );
};
