import http from 'node:http';
import https from 'node:https';

/** A non-2xx answer from Meilisearch, with its error code (`index_not_found`, `invalid_search_filter` …). */
export class MeiliResponseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MeiliResponseError';
  }
}

/**
 * The HTTP client handed to the meilisearch package in place of its global fetch. Node's fetch with
 * keep-alive added about 40 ms to every search response on this stack; node:http with a keep-alive
 * agent answers in 1–4 ms, so the API's latency is the engine's and not the client's.
 */
export function createMeiliHttpClient(opts: { maxSockets?: number } = {}) {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 32 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 32 }),
  };
  const client = (input: string | URL | Request, init: RequestInit = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const protocol = url.protocol as keyof typeof agents;
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      const body = typeof init.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = (protocol === 'https:' ? https : http).request(
        url,
        { method: init.method ?? 'GET', headers, agent: agents[protocol], signal: init.signal ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: { code?: string; message?: string } | undefined;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              reject(new MeiliResponseError(res.statusCode ?? 0, undefined, `Meilisearch answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`));
              return;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(json);
            else reject(new MeiliResponseError(status, json?.code, json?.message ?? `HTTP ${status}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return Object.assign(client, {
    close() {
      for (const a of Object.values(agents)) a.destroy();
    },
  });
}

/** The engine's answer behind an error, if there was one: the client wraps what the HTTP client throws. */
export function responseError(err: unknown): MeiliResponseError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof MeiliResponseError) return e;
  }
  return undefined;
}
