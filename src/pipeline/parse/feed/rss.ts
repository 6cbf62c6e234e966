import type { RawItem } from '../../../model/article.js';
import { atomLinks, categoriesOf, dateOf, firstAuthor, languageTag, linkOf, mediaField, resolveAt, type FeedInfo } from './common.js';
import { htmlValue, plainValue } from './text.js';
import { attr, childrenNamed, firstNamed, type XmlElement } from './xml.js';

/**
 * RSS 0.9x/2.0, RSS 1.0 and 0.90 (RDF: items beside the channel, ids in rdf:about) and Microsoft's
 * CDF (HREF and LASTMOD attributes, ABSTRACT), which share one shape: a channel with items.
 */
const PUBLISHED = ['pubdate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'atom:published', 'atom:issued'];
const UPDATED = ['dcterms:modified', 'atom:updated', 'atom:modified'];
const AUTHORS = ['author', 'dc:creator', 'dc:author', 'itunes:author', 'atom:author'];
const CONTENT = ['content:encoded', 'xhtml:body', 'body', 'fullitem', 'atom:content'];
const URLISH = /^https?:\/\//i;

const first = (el: XmlElement, ...names: string[]) => firstNamed(el, ...names);

export function readRss(root: XmlElement): { feed: FeedInfo; items: RawItem[] } {
  const channel = root.local === 'channel' ? root : (first(root, 'channel') ?? root);
  const feedLang = languageTag(plainValue(first(channel, 'language', 'dc:language')) ?? channel.lang ?? root.lang);
  const itemEls = [...childrenNamed(channel, 'item'), ...(channel === root ? [] : childrenNamed(root, 'item'))];
  const items = itemEls.map((item): RawItem => {
    const guidEl = first(item, 'guid');
    const guid = plainValue(guidEl) ?? attr(item, 'rdf:about') ?? plainValue(first(item, 'atom:id'));
    // RSS 2.0: a guid is a permalink unless isPermaLink="false"; it stands in for a missing <link>.
    const guidIsLink = guidEl && guid && URLISH.test(guid) && attr(guidEl, 'isPermaLink')?.trim().toLowerCase() !== 'false';
    const linkEl = first(item, 'link');
    const content = first(item, ...CONTENT);
    return {
      guid,
      title: htmlValue(first(item, 'title', 'dc:title', 'atom:title')) ?? mediaField(item, 'title'),
      link: linkOf(linkEl) ?? resolveAt(item, attr(item, 'href')) ?? atomLinks(item).alternate ?? (guidIsLink ? linkOf(guidEl) : undefined),
      published: dateOf(item, PUBLISHED),
      updated: dateOf(item, UPDATED) ?? attr(item, 'lastmod'),
      summary:
        htmlValue(first(item, 'description', 'dc:description', 'abstract', 'atom:summary')) ??
        htmlValue(first(item, 'itunes:summary')) ??
        mediaField(item, 'description'),
      contentHtml: htmlValue(content),
      contentBase: (content ?? item).base,
      author: firstAuthor(item, AUTHORS),
      categories: categoriesOf(item),
      enclosure: resolveAt(item, attr(first(item, 'enclosure') ?? item, 'url')) ?? atomLinks(item).enclosure,
      declaredLanguage: languageTag(item.lang) ?? feedLang,
    };
  });
  const info: FeedInfo = {
    title: htmlValue(first(channel, 'title', 'dc:title', 'atom:title')),
    link: linkOf(first(channel, 'link')) ?? resolveAt(channel, attr(channel, 'href')) ?? atomLinks(channel).alternate,
    description: htmlValue(first(channel, 'description', 'dc:description', 'abstract', 'atom:subtitle', 'itunes:subtitle', 'itunes:summary')),
    language: feedLang,
    updated: dateOf(channel, ['lastbuilddate', ...UPDATED]) ?? attr(channel, 'lastmod') ?? plainValue(first(channel, 'dc:date')),
    published: dateOf(channel, ['pubdate', 'dcterms:issued']),
    author: firstAuthor(channel, ['managingeditor', ...AUTHORS, 'webmaster']),
    categories: categoriesOf(channel),
  };
  return { feed: info, items };
}
