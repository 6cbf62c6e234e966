import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/**
 * Validates query parameters against a schema, throwing ValidationError naming the first parameter
 * at fault. Repeated parameters (?lang=nob&lang=nno) are joined as a comma list.
 */
export function parseQuery<S extends z.ZodType>(schema: S, url: string): z.output<S> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string> = {};
  for (const key of new Set(params.keys())) raw[key] = params.getAll(key).join(',');
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = (issue as { keys: string[] }).keys[0]!;
    throw new ValidationError(key, 'unknown parameter');
  }
  throw new ValidationError(String(issue.path[0] ?? '(query)'), issue.message);
}
