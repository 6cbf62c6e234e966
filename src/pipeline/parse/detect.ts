import { looksLikeJsonFeed } from './feed/json.js';

export type DocumentKind = 'feed' | 'html' | 'unknown';

/**
 * Feed or HTML page, from the first tokens of the text; the Content-Type is only a hint because
 * servers label feeds text/html and pages text/xml often enough.
 */
export function detectDocumentKind(text: string, contentType?: string): DocumentKind {
  const start = text.slice(0, 2048).replace(/^\uFEFF/, '').replace(/<!--[\s\S]*?-->/g, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!DOCTYPE\s+(rss|feed)[^>]*>\s*)?(<\?xml-stylesheet[^>]*>\s*)*<(rss|feed|rdf:RDF)\b/i.test(start)) return 'feed';
  if (/^(<!DOCTYPE\s+html|<html\b|<head\b|<body\b)/i.test(start)) return 'html';
  if (/^<\?xml/i.test(start)) return /<(rss|feed|rdf:RDF)\b/i.test(start) ? 'feed' : 'unknown';
  // JSON Feed: the version names it wherever it sits among the first keys; a JSON body served as a feed is tried as one.
  if (looksLikeJsonFeed(start)) return 'feed';
  if (start.startsWith('{') && contentType && /(feed\+json|application\/json)/i.test(contentType)) return 'feed';
  if (contentType && /(rss|atom|xml)/i.test(contentType)) return 'feed';
  if (contentType && /html/i.test(contentType)) return 'html';
  return 'unknown';
}
