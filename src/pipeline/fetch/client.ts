import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Readable, type Transform } from 'node:stream';
import { Agent, request } from 'undici';
import { FetchError } from '../../errors.js';
import { isPrivateAddress } from './address.js';

export interface HttpResponse {
  /** URL of the final response, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string | undefined>;
  body: Uint8Array;
}

export interface HttpClient {
  /** `ctx.maxBytes` replaces the client's cap for this request (linked documents have a cap of their own). */
  get(url: string, headers: Record<string, string>, ctx?: { sourceId?: string; maxBytes?: number }): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  timeoutMs: number;
  /** Cap on the decoded body; larger bodies, and decompression bombs, are cut off with an error. */
  maxBytes: number;
  /** Hosts or IPs allowed although they are private or loopback (tests and the demo use 127.0.0.1). */
  allowPrivateHosts: readonly string[];
  /** Redirects followed before giving up; browsers allow 20, feeds never need more than a few. */
  maxRedirects?: number;
}

/**
 * The only network I/O of the pipeline. undici with a timeout, a size cap on the bytes after
 * decompression, redirects followed by hand so that every hop is checked, and an address check at
 * connect time (after DNS resolution), which DNS rebinding cannot get past.
 */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const allowed = new Set(opts.allowPrivateHosts.map((h) => h.toLowerCase()));
  const maxRedirects = opts.maxRedirects ?? 5;

  const checkedLookup = (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = allowed.has(hostname.toLowerCase()) ? undefined : list.find((a) => isPrivateAddress(a.address) && !allowed.has(a.address));
      if (bad) return callback(new PrivateAddressError(hostname, bad.address), []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };

  const agent = new Agent({
    connect: { lookup: checkedLookup as never, timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connections: 8,
  });

  function assertAllowed(url: URL, sourceId?: string) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FetchError(`refused scheme ${url.protocol}`, { sourceId, url: url.href, retryable: false });
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    // Literal IPs never reach the lookup above, so they are checked here.
    if (isIP(host) && isPrivateAddress(host) && !allowed.has(host)) {
      throw new FetchError(`refused private address ${host}`, { sourceId, url: url.href, retryable: false });
    }
  }

  async function get(url: string, headers: Record<string, string>, ctx: { sourceId?: string; maxBytes?: number } = {}): Promise<HttpResponse> {
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      assertAllowed(current, ctx.sourceId);
      const signal = AbortSignal.timeout(opts.timeoutMs);
      let res;
      try {
        res = await request(current, { method: 'GET', headers, dispatcher: agent, signal });
      } catch (err) {
        throw toFetchError(err, current.href, ctx.sourceId);
      }
      const flat = flattenHeaders(res.headers);
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && flat.location) {
        await res.body.dump();
        if (hop >= maxRedirects) throw new FetchError(`more than ${maxRedirects} redirects`, { sourceId: ctx.sourceId, url: current.href, retryable: false });
        current = new URL(flat.location, current);
        continue;
      }
      const cap = ctx.maxBytes ?? opts.maxBytes;
      // A body declared too large is refused unread; one that grows past the cap while read is cut off there.
      const declared = Number(flat['content-length']);
      if (!flat['content-encoding'] && Number.isFinite(declared) && declared > cap) {
        res.body.destroy();
        throw new FetchError(`body larger than ${cap} bytes (Content-Length: ${declared})`, { sourceId: ctx.sourceId, url: current.href, retryable: false });
      }
      const body = await readCapped(res.body, flat['content-encoding'], cap, { sourceId: ctx.sourceId, url: current.href }, signal);
      return { url: current.href, status: res.statusCode, headers: flat, body };
    }
  }

  return { get, close: () => agent.close() };
}

class PrivateAddressError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`${host} resolves to private address ${address}`);
  }
}

function toFetchError(err: unknown, url: string, sourceId?: string): FetchError {
  if (err instanceof FetchError) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (err instanceof PrivateAddressError || cause instanceof PrivateAddressError) {
    const e = (err instanceof PrivateAddressError ? err : cause) as PrivateAddressError;
    return new FetchError(`refused: ${e.message}`, { sourceId, url, retryable: false });
  }
  const name = (err as { name?: string }).name;
  const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : `network error: ${(err as Error).message}`;
  return new FetchError(reason, { sourceId, url, retryable: true, cause: err });
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function decompressor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** Reads the body, decompressing as declared, and stops at maxBytes of output. */
async function readCapped(
  body: Readable,
  encoding: string | undefined,
  maxBytes: number,
  ctx: { sourceId?: string; url: string },
  signal: AbortSignal,
): Promise<Uint8Array> {
  const inflate = decompressor(encoding);
  const stream: Readable = inflate ? body.pipe(inflate) : body;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        throw new FetchError(`body larger than ${maxBytes} bytes`, { ...ctx, retryable: false });
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    body.destroy();
    inflate?.destroy();
    if (err instanceof FetchError) throw err;
    if (signal.aborted) throw new FetchError('timed out reading body', { ...ctx, retryable: true });
    throw new FetchError(`cannot read body: ${(err as Error).message}`, { ...ctx, retryable: true, cause: err });
  }
  return Buffer.concat(chunks, size);
}
