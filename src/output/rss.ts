import { xmlEscape as x } from './xml.js';
import { alsoReportedHtml, feedUpdated, sourcesOf, type FeedRenderer } from './types.js';

/** Article[] → RSS 2.0 (with atom:link rel=self, as the RSS Advisory Board recommends). Pure. */
export const renderRss: FeedRenderer = (articles, meta) => {
  const items = articles
    .map(
      (a) =>
        `<item><title>${x(a.title)}</title><link>${x(a.url)}</link><guid isPermaLink="true">${x(a.url)}</guid>` +
        `<pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate>` +
        `<source url="${x(meta.source(a.sourceId).url)}">${x(meta.source(a.sourceId).name)}</source>` +
        a.themes.map((t) => `<category domain="regionradar:theme">${x(meta.themeLabel(t.id))}</category>`).join('') +
        // RSS has one <source>; the other sources that carried the article are categories of their own domain.
        sourcesOf(a).slice(1).map((id) => `<category domain="regionradar:also-in">${x(meta.source(id).name)}</category>`).join('') +
        (a.author ? `<dc:creator>${x(a.author)}</dc:creator>` : '') +
        `<description>${x((a.contentHtml || a.summary) + alsoReportedHtml(a, meta))}</description></item>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>` +
    `<title>${x(meta.title)}</title><link>${x(meta.homeUrl)}</link><description>${x(meta.description)}</description>` +
    `<atom:link href="${x(meta.selfUrl)}" rel="self" type="application/rss+xml"/>` +
    `<lastBuildDate>${new Date(feedUpdated(articles)).toUTCString()}</lastBuildDate><generator>Regionradar</generator>\n` +
    `${items}\n</channel></rss>\n`
  );
};
