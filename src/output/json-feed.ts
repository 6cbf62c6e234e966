import { bcp47 } from './xml.js';
import { alsoReportedHtml, sourcesOf, type FeedRenderer } from './types.js';

/** Article[] → JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Pure. */
export const renderJsonFeed: FeedRenderer = (articles, meta) =>
  JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    description: meta.description,
    home_page_url: meta.homeUrl,
    feed_url: meta.selfUrl,
    items: articles.map((a) => ({
      id: a.id,
      url: a.url,
      title: a.title,
      ...(a.contentHtml ? { content_html: a.contentHtml + alsoReportedHtml(a, meta) } : { content_text: a.summary }),
      summary: a.summary,
      date_published: a.publishedAt,
      ...(a.author ? { authors: [{ name: a.author }] } : {}),
      ...(bcp47(a.language) ? { language: bcp47(a.language) } : {}),
      tags: a.themes.map((t) => meta.themeLabel(t.id)),
      _regionradar: { source: a.sourceId, sources: sourcesOf(a), language: a.language, themes: a.themes.map((t) => t.id), countries: a.countries,
        story: a.story ?? a.id,
        also_reported_by: (meta.mates?.get(a.id) ?? []).map((m) => ({ id: m.id, url: m.url, title: m.title, source: m.sourceId, language: m.language, duplicate: m.duplicate })),
      },
    })),
  });
