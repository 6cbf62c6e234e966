import type { RawItem } from '../../../model/article.js';
import { resolveUrl } from '../../normalize/url.js';
import { atomLinks, categoriesOf, dateOf, firstAuthor, languageTag, mediaField, type FeedInfo } from './common.js';
import { htmlValue, plainValue, textConstruct } from './text.js';
import { childrenNamed, firstNamed, type XmlElement } from './xml.js';

/** Atom 1.0 and its predecessor 0.3 (tagline, issued, modified, mode="escaped|base64"). */
const a = (el: XmlElement, local: string) => firstNamed(el, `atom:${local}`, local);
const construct = (el: XmlElement | undefined) => (el ? textConstruct(el) : undefined);

const PUBLISHED = ['atom:published', 'atom:issued', 'atom:created', 'dcterms:issued', 'dcterms:created', 'published', 'issued', 'created'];
const UPDATED = ['atom:updated', 'atom:modified', 'dcterms:modified', 'updated', 'modified'];
const AUTHORS = ['atom:author', 'author', 'dc:creator', 'dc:author', 'itunes:author'];

export function readAtom(feed: XmlElement): { feed: FeedInfo; items: RawItem[] } {
  const feedLang = languageTag(feed.lang ?? plainValue(firstNamed(feed, 'dc:language')));
  const entries = childrenNamed(feed, 'atom:entry', 'entry');
  const items = entries.map((entry): RawItem => {
    const links = atomLinks(entry);
    const content = a(entry, 'content');
    const summary = a(entry, 'summary');
    const rawId = plainValue(a(entry, 'id'));
    // An Atom id is an IRI; a relative one is resolved like any other reference in the document.
    const id = rawId && !/^[a-z][a-z0-9+.-]*:/i.test(rawId) ? (resolveUrl(rawId, entry.base) ?? rawId) : rawId;
    return {
      guid: id,
      title: construct(a(entry, 'title')) ?? mediaField(entry, 'title'),
      link: links.alternate,
      published: dateOf(entry, PUBLISHED) ?? plainValue(firstNamed(entry, 'dc:date')),
      updated: dateOf(entry, UPDATED),
      summary: construct(summary) ?? htmlValue(firstNamed(entry, 'itunes:summary')) ?? mediaField(entry, 'description'),
      contentHtml: construct(content) ?? htmlValue(firstNamed(entry, 'content:encoded')),
      contentBase: (content ?? summary ?? entry).base,
      author: firstAuthor(entry, AUTHORS),
      categories: categoriesOf(entry),
      enclosure: links.enclosure,
      declaredLanguage: languageTag(entry.lang) ?? feedLang,
    };
  });
  const info: FeedInfo = {
    title: construct(a(feed, 'title')),
    link: atomLinks(feed).alternate,
    description:
      construct(a(feed, 'subtitle') ?? a(feed, 'tagline')) ?? htmlValue(firstNamed(feed, 'itunes:subtitle', 'itunes:summary')),
    language: feedLang,
    updated: dateOf(feed, UPDATED) ?? plainValue(firstNamed(feed, 'dc:date')),
    published: dateOf(feed, PUBLISHED),
    author: firstAuthor(feed, AUTHORS),
    categories: categoriesOf(feed),
  };
  return { feed: info, items };
}
