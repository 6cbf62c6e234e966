import { stemmerFor } from '../pipeline/themes/stem.js';
import { fold, type AnalyzedQuery } from './analyze.js';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Words of the text that the query matched: a folded prefix of a query word, or its stem in the
 * article's language. The theme terms a query expands to are not marked: they find the article, but
 * marking their words one by one lit up "for", "för" and "strategier", which the reader never typed.
 */
function matcher(q: AnalyzedQuery, lang: string): (word: string) => boolean {
  const stem = stemmerFor(lang);
  const stems = new Set(q.words.flatMap((w) => w.stems));
  return (word) => {
    const f = fold(word);
    return q.words.some((w) => f.startsWith(w.folded)) || stems.has(fold(stem(word.toLowerCase())));
  };
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}&+\-]*/gu;

/** The text, HTML-escaped, with every matched word in <mark>. */
export function highlight(text: string, q: AnalyzedQuery, lang: string): string {
  const hit = matcher(q, lang);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (!hit(m[0])) continue;
    out += `${escapeHtml(text.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** About `size` characters of the text around its first matched word, highlighted; the text's start when nothing matched. */
export function snippet(text: string, q: AnalyzedQuery, lang: string, size = 200): string {
  const hit = matcher(q, lang);
  let first = -1;
  for (const m of text.matchAll(WORD)) {
    if (hit(m[0])) {
      first = m.index;
      break;
    }
  }
  if (text.length <= size) return highlight(text, q, lang);
  const start = first < 0 ? 0 : Math.max(0, text.lastIndexOf(' ', Math.max(0, first - size / 3)) + 1);
  const cut = text.slice(start, start + size);
  const end = start + size < text.length ? cut.lastIndexOf(' ') : cut.length;
  return `${start > 0 ? '… ' : ''}${highlight(cut.slice(0, end > size / 2 ? end : cut.length), q, lang)}${start + size < text.length ? ' …' : ''}`;
}
