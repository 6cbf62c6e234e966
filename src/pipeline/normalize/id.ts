import { createHash } from 'node:crypto';

/**
 * Stable article id: the first 128 bits of SHA-256 over the canonical URL, base64url (22 characters
 * of [A-Za-z0-9_-]), which is also a valid Meilisearch primary key and safe in URLs and job ids.
 */
export function articleId(canonical: string): string {
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** Hash of what a reader sees; a different hash means the article changed and is enriched again. */
export function contentHash(parts: readonly string[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url').slice(0, 16);
}
