import { z } from 'zod';
import { PayloadError } from '../errors.js';
import { articleDraftSchema } from '../model/article.js';

/** Job data is validated when a job is taken: a job written by an older or foreign producer fails clearly. */
/** `force`: an explicit run (operator's resume or refresh) that skips the failure backoff. */
export const ingestPayloadSchema = z.object({ sourceId: z.string().min(1), force: z.boolean().optional() }).strict();
export type IngestPayload = z.output<typeof ingestPayloadSchema>;

export const enrichPayloadSchema = z.object({ draft: articleDraftSchema }).strict();
export type EnrichPayload = z.output<typeof enrichPayloadSchema>;

export const digestPayloadSchema = z
  .object({ subscriptionId: z.string().min(1), period: z.object({ key: z.string().regex(/^[a-z0-9TZ-]+$/i), at: z.string() }).strict() })
  .strict();
export const confirmationPayloadSchema = z.object({ subscriptionId: z.string().min(1) }).strict();

/** Validates job data, throwing PayloadError (never retried) with the first problem. */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown, jobId?: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PayloadError(`job ${jobId ?? '?'} has invalid data at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
