import { z } from 'zod';
import { PayloadError } from '../errors.js';

/** Job data is validated when a job is taken: a job written by an older or foreign producer fails clearly. */
/** `force`: an explicit run (operator's resume or refresh) that skips the failure backoff. */
export const ingestPayloadSchema = z.object({ sourceId: z.string().min(1), force: z.boolean().optional() }).strict();
export type IngestPayload = z.output<typeof ingestPayloadSchema>;

export const articleDraftSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  sourceId: z.string().min(1),
  url: z.string().url(),
  title: z.string(),
  summary: z.string(),
  contentHtml: z.string(),
  contentText: z.string(),
  author: z.string().optional(),
  publishedAt: z.string(),
  fetchedAt: z.string(),
  declaredLanguage: z.string().optional(),
  documentType: z.literal('consultation').optional(),
  deadline: z.string().optional(),
  departments: z.array(z.string()).optional(),
  contentHash: z.string().min(1),
  country: z.string().optional(),
  regionHint: z.string().optional(),
});
export const enrichPayloadSchema = z.object({ draft: articleDraftSchema }).strict();
export type EnrichPayload = z.output<typeof enrichPayloadSchema>;

/** Validates job data, throwing PayloadError (never retried) with the first problem. */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown, jobId?: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PayloadError(`job ${jobId ?? '?'} has invalid data at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
