import { dateBounds, type ArticleFilter, type DateField, type PageRequest } from '../filter.js';
import { idKey } from './document.js';

const DATE_ATTRIBUTES: Record<DateField, string> = { published: 'publishedTs', deadline: 'deadlineTs', stored: 'storedTs' };

/** A string in a Meilisearch filter: double-quoted, with " and \ escaped. */
const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const oneOf = (field: string, values: readonly string[]) => `${field} IN [${values.map(quote).join(', ')}]`;

/** An ArticleFilter (without its full-text query) as Meilisearch filter expressions, all of which must hold. */
export function toMeiliFilter(filter: ArticleFilter): string[] {
  const out: string[] = [];
  const lists: Array<[string, string[] | undefined]> = [
    ['themeIds', filter.themes],
    ['language', filter.languages],
    ['sourceIds', filter.sources],
    ['countries', filter.countries],
    ['regionCodes', filter.regions],
    ['documentType', filter.types],
    ['story', filter.stories],
  ];
  for (const [field, values] of lists) if (values?.length) out.push(oneOf(field, values));
  if (!filter.withDuplicates) out.push('duplicateOf NOT EXISTS');
  // A document without a deadline has no deadlineTs and never matches a deadline bound (nor status=open).
  for (const [field, op, value] of dateBounds(filter)) out.push(`${DATE_ATTRIBUTES[field]} ${op} ${Date.parse(value)}`);
  return out;
}

/** The list order as a Meilisearch sort, and the page's position as a filter (keyset pagination). */
export function toMeiliPage(page: PageRequest): { sort: string[]; filter: string[] } {
  if (page.sort === 'deadline') {
    const filter = ['deadlineTs EXISTS'];
    if (page.cursor) {
      const ts = Date.parse(page.cursor.key);
      filter.push(`(deadlineTs > ${ts} OR (deadlineTs = ${ts} AND key > ${quote(idKey(page.cursor.id))}))`);
    }
    return { sort: ['deadlineTs:asc', 'key:asc'], filter };
  }
  const filter: string[] = [];
  if (page.cursor) {
    const ts = Date.parse(page.cursor.key);
    filter.push(`(publishedTs < ${ts} OR (publishedTs = ${ts} AND key < ${quote(idKey(page.cursor.id))}))`);
  }
  return { sort: ['publishedTs:desc', 'key:desc'], filter };
}

/** Articles by id, through the hex key (Meilisearch string equality ignores case; ids do not). */
export const idsFilter = (ids: readonly string[]): string => oneOf('key', ids.map(idKey));

/** Articles after an id in id order, through the hex key. */
export const afterIdFilter = (id: string): string => `key > ${quote(idKey(id))}`;
