import { createHash } from 'node:crypto';

/** The inbox id of a message: stable per Message-ID, so a message delivered twice is one entry. */
export const inboxId = (messageId: string): string => createHash('sha256').update(messageId).digest('base64url').slice(0, 22);

/** The URL of an issue that has no web version: under PUBLIC_URL, stable per source and Message-ID (its `key` is inboxId's). */
export const issueUrl = (baseUrl: string, sourceId: string, key: string): string =>
  `${baseUrl.replace(/\/+$/, '')}/newsletters/${encodeURIComponent(sourceId)}/${key}`;
