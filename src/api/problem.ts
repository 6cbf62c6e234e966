import type { Context } from 'hono';
import { AuthError, ConflictError, NotFoundError, ParseError, RegionradarError, StoreError, UnavailableError, ValidationError } from '../errors.js';

/** RFC 9457 problem details; the one mapping from typed errors to HTTP. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The query or path parameter at fault, for 400s. */
  parameter?: string;
}

export function toProblem(err: unknown): Problem {
  if (err instanceof ValidationError) {
    return { type: 'about:blank', title: 'Bad Request', status: 400, detail: err.message, parameter: err.parameter };
  }
  if (err instanceof AuthError) return { type: 'about:blank', title: 'Unauthorized', status: 401, detail: err.message };
  if (err instanceof ConflictError) return { type: 'about:blank', title: 'Conflict', status: 409, detail: err.message };
  if (err instanceof ParseError) return { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: err.message };
  if (err instanceof NotFoundError) return { type: 'about:blank', title: 'Not Found', status: 404, detail: err.message };
  if (err instanceof StoreError) return { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the article store is not answering' };
  if (err instanceof UnavailableError) return { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: `${err.component} is not answering` };
  if (err instanceof RegionradarError) return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: err.message };
  return { type: 'about:blank', title: 'Internal Server Error', status: 500 };
}

export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as 400, { 'content-type': 'application/problem+json; charset=utf-8' });
}
