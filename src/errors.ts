/**
 * Typed errors. Workers decide retry or give-up from the class and its `retryable` flag, the API maps
 * classes to HTTP statuses; nobody reads `message`. Every error that concerns a source carries its id
 * and the URL involved, so that logs and /api/sources say where the trouble is.
 */
export interface ErrorContext {
  sourceId?: string;
  url?: string;
  cause?: unknown;
}

export abstract class RegionradarError extends Error {
  abstract readonly retryable: boolean;
  readonly sourceId?: string;
  readonly url?: string;

  constructor(message: string, ctx: ErrorContext = {}) {
    const where = [ctx.sourceId && `source ${ctx.sourceId}`, ctx.url && `url ${ctx.url}`].filter(Boolean).join(', ');
    super(where ? `${message} (${where})` : message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = new.target.name;
    this.sourceId = ctx.sourceId;
    this.url = ctx.url;
  }
}

/** A fetch that failed: network error, timeout, refused address, bad status. */
export class FetchError extends RegionradarError {
  readonly retryable: boolean;
  readonly status?: number;
  /** Seconds the server asked us to wait (Retry-After), when it said so. */
  readonly retryAfter?: number;
  constructor(message: string, ctx: ErrorContext & { status?: number; retryable: boolean; retryAfter?: number }) {
    super(message, ctx);
    this.status = ctx.status;
    this.retryable = ctx.retryable;
    this.retryAfter = ctx.retryAfter;
  }
}

/**
 * Our own per-host gate had no request slot in time. Its own class, not a FetchError, because it says
 * nothing about the site: callers must not conclude anything about the host (robots.txt) from it.
 */
export class HostBusyError extends RegionradarError {
  readonly retryable = true;
}

/** robots.txt forbids the fetch, or could not be read (then `retryable`: it may come back). */
export class RobotsError extends RegionradarError {
  readonly retryable: boolean;
  constructor(message: string, ctx: ErrorContext & { retryable: boolean }) {
    super(message, ctx);
    this.retryable = ctx.retryable;
  }
}

/** The body could not be read as a feed or listing. Retrying the same bytes cannot help. */
export class ParseError extends RegionradarError {
  readonly retryable = false;
}

/** A configuration file or environment variable is invalid; start-up stops. */
export class ConfigError extends RegionradarError {
  readonly retryable = false;
  readonly file: string;
  readonly path: string;
  readonly reason: string;
  constructor(file: string, path: string, reason: string) {
    super(`${file}: ${path || '(root)'}: ${reason}`);
    this.file = file;
    this.path = path;
    this.reason = reason;
  }
}

/**
 * The store could not read or write. Usually transient (disk, lock, search engine unreachable);
 * `retryable: false` when the engine refused the data itself and the same write would fail again.
 */
export class StoreError extends RegionradarError {
  readonly retryable: boolean;
  constructor(message: string, ctx: ErrorContext & { retryable?: boolean } = {}) {
    super(message, ctx);
    this.retryable = ctx.retryable ?? true;
  }
}

/** A request named something that does not exist. */
export class NotFoundError extends RegionradarError {
  readonly retryable = false;
}

/** A request would overwrite something that exists (a source id taken). */
export class ConflictError extends RegionradarError {
  readonly retryable = false;
}

/** A request lacks valid credentials for the admin API. */
export class AuthError extends RegionradarError {
  readonly retryable = false;
}

/** A request carried an invalid parameter; `parameter` names it. */
export class ValidationError extends RegionradarError {
  readonly retryable = false;
  readonly parameter: string;
  constructor(parameter: string, reason: string) {
    super(`invalid parameter '${parameter}': ${reason}`);
    this.parameter = parameter;
  }
}

/** A queued job's data does not match its schema (an older or foreign producer). Retrying cannot help. */
export class PayloadError extends RegionradarError {
  readonly retryable = false;
}

/**
 * Our own infrastructure did not answer (Redis, the job queue). Never the source's fault: it does not
 * count toward a source's backoff, and the work is retried soon.
 */
export class UnavailableError extends RegionradarError {
  readonly retryable = true;
  readonly component: string;
  constructor(component: string, message: string, ctx: ErrorContext = {}) {
    super(`${component} unavailable: ${message}`, ctx);
    this.component = component;
  }
}

/**
 * Mail could not be handed to the SMTP relay. `kind` decides what follows, in one place
 * (mail/smtp.ts classifies nodemailer's errors): `temporary` (4xx, connection, timeout) is retried
 * with backoff; `bounce` (the relay refused the recipient or the message with 5xx) is recorded
 * against the subscriber and not retried; `relay` (5xx on authentication or the sender: our
 * configuration) is retried with backoff and never counted against a subscriber.
 */
export class MailError extends RegionradarError {
  readonly kind: 'temporary' | 'bounce' | 'relay';
  readonly retryable: boolean;
  /** The SMTP reply code, when the relay answered. */
  readonly responseCode?: number;
  constructor(message: string, ctx: ErrorContext & { kind: 'temporary' | 'bounce' | 'relay'; responseCode?: number }) {
    super(message, ctx);
    this.kind = ctx.kind;
    this.retryable = ctx.kind !== 'bounce';
    this.responseCode = ctx.responseCode;
  }
}

/**
 * A linked document (a PDF) could not be read: `reason` says why. Never retried for the same bytes:
 * the article is stored without the document's text, and the reason is logged with source and URL.
 */
export class DocumentError extends RegionradarError {
  readonly retryable = false;
  readonly reason: 'too-large' | 'malformed' | 'memory' | 'timeout' | 'not-pdf';
  constructor(message: string, ctx: ErrorContext & { reason: DocumentError['reason'] }) {
    super(message, ctx);
    this.reason = ctx.reason;
  }
}

/**
 * An inbound e-mail (SMTP or IMAP) was refused: `reason` decides the SMTP reply and what is kept.
 * `malformed`: the MIME could not be read as a newsletter issue; `unauthenticated`: the source
 * requires an SPF/DKIM/DMARC pass the message did not have. Nothing of such a message is published.
 */
export class InboundMailError extends RegionradarError {
  readonly retryable = false;
  readonly reason: 'malformed' | 'unauthenticated';
  constructor(message: string, ctx: ErrorContext & { reason: InboundMailError['reason'] }) {
    super(message, ctx);
    this.reason = ctx.reason;
  }
}
