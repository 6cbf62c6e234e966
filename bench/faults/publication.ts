import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A rolling-publication proxy in front of the standard workload server, so that ingestion is going on
 * while faults hit. Feed i shows its items progressively: the first `initialShare` of them from the
 * start, the rest one by one over `durationMs` of publication time (each feed at its own phase), and
 * some items are revised after publication (a new title, twice for some). Publication time can be
 * paused (while the benchmark audits the store) and finished (everything out).
 *
 * Every answer is honest HTTP: a strong ETag over the bytes served, a Last-Modified that moves only
 * when the document changes, and 304 to If-None-Match (or, without it, If-Modified-Since).
 *
 * A second listener on another loopback address (127.0.0.2) is a cross-posting aggregator: one RSS
 * feed relaying about a sixth of every feed's items as soon as they are published, under the same
 * links plus tracking parameters, with its own title and no body.
 */
export interface PublicationOptions {
  /** Base URL of the workload server, e.g. http://127.0.0.1:8765 */
  upstream: string;
  feeds: number;
  items: number;
  /** Publication time over which the items not out at the start appear. */
  durationMs: number;
  /** Share of each feed's items out from the start (0..1); default 0.5. */
  initialShare?: number;
  /** Address of the aggregator's listener; default 127.0.0.2. Undefined disables it with `aggregator: false`. */
  aggregatorAddress?: string;
  aggregator?: boolean;
}

export interface FeedRequest {
  /** Wall-clock time of the request (ms). */
  at: number;
  /** Feed index, or -1 for the aggregator. */
  feed: number;
  status: 200 | 304;
  /** Publication time the answer stood for. */
  pubTime: number;
}

export interface Publication {
  /** http://127.0.0.1:<port>; feeds, articles and robots.txt are served here. */
  origin: string;
  feedUrl(i: number): string;
  /** The aggregator's feed URL, when it runs. */
  aggregatorUrl?: string;
  /** Current publication time (ms, 0..durationMs). */
  pubTime(): number;
  pause(): void;
  resume(): void;
  /** Publishes everything at once; publication time is durationMs from then on. */
  finish(): void;
  readonly finished: boolean;
  /** Every feed request so far, in order. */
  readonly requests: readonly FeedRequest[];
  /** Publication time of a feed's latest request (the state its fetcher has seen), or undefined. */
  lastServed(feed: number): number | undefined;
  /** The feed's document as served at publication time `t`. */
  render(feed: number, t: number): string;
  renderAggregator(t: number): string;
  /** Items out at `t` over all feeds (the aggregator's copies not counted). */
  published(t: number): number;
  /** Feed requests (aggregator included) started at or after wall-clock `since`. */
  requestsSince(since: number): FeedRequest[];
  close(): Promise<void>;
}

interface FeedParts {
  head: string;
  items: string[];
  tail: string;
  atom: boolean;
  contentType: string;
}

/** The first part of each feed's items is there from the start; revisions apply to these j. */
const revisions = (j: number): number => (j % 5 === 2 ? (j % 10 === 2 ? 2 : 1) : 0);
/** Items the aggregator relays. */
export const crossposted = (i: number, j: number): boolean => (i * 31 + j) % 6 === 0;

function splitFeed(xml: string): FeedParts {
  const atom = xml.includes('<feed');
  const tag = atom ? 'entry' : 'item';
  const re = new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, 'g');
  const items = xml.match(re) ?? [];
  const first = xml.indexOf(`<${tag}>`);
  const lastEnd = xml.lastIndexOf(`</${tag}>`) + tag.length + 3;
  return {
    head: xml.slice(0, first),
    items,
    tail: xml.slice(lastEnd),
    atom,
    contentType: atom ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8',
  };
}

const firstText = (chunk: string, tag: string): string | undefined => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(chunk)?.[1];

export async function startPublication(opts: PublicationOptions): Promise<Publication> {
  const { feeds, items, durationMs } = opts;
  const initial = Math.min(items, Math.max(1, Math.ceil(items * (opts.initialShare ?? 0.5))));
  const server = http.createServer();
  let aggregatorServer: http.Server | undefined;
  let aggregatorOrigin: string | undefined;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Load every feed once; article links (and ids) are moved to the proxy's origin so that each feed is
  // its articles' publisher (same host) and the aggregator is not.
  const parts: FeedParts[] = [];
  for (let i = 0; i < feeds; i++) {
    const r = await fetch(`${opts.upstream}/feed/${i}.xml`);
    if (!r.ok) throw new Error(`workload server answered ${r.status} for feed ${i}`);
    const xml = (await r.text()).split(opts.upstream).join(origin);
    const p = splitFeed(xml);
    if (p.items.length !== items) throw new Error(`feed ${i} has ${p.items.length} items, expected ${items}`);
    parts.push(p);
  }

  // When item j of feed i comes out (publication time), and when its revisions do.
  const phase = (i: number) => (i * 0.6180339887) % 1;
  const pubAt = (i: number, j: number) => (j < initial ? 0 : Math.min(durationMs, ((j - initial + phase(i)) / (items - initial)) * durationMs));
  const revAt = (i: number, j: number, r: number) => Math.min(durationMs, pubAt(i, j) + (r * durationMs) / 4);
  const revisionOf = (i: number, j: number, t: number) => {
    let r = 0;
    for (let k = 1; k <= revisions(j); k++) if (revAt(i, j, k) <= t) r = k;
    return r;
  };
  const itemChunk = (i: number, j: number, t: number) => {
    const chunk = parts[i]!.items[j]!;
    const r = revisionOf(i, j, t);
    return r === 0 ? chunk : chunk.replace(/<title>([\s\S]*?)<\/title>/, (_m, title: string) => `<title>${title} [rev ${r}]</title>`);
  };

  const render = (i: number, t: number) => {
    const p = parts[i]!;
    const shown: string[] = [];
    for (let j = 0; j < items; j++) if (pubAt(i, j) <= t) shown.push(itemChunk(i, j, t));
    let head = p.head;
    if (p.atom) {
      // The feed's <updated> is its newest visible entry's.
      const newest = shown.length ? firstText(shown[shown.length - 1]!, 'updated') : undefined;
      if (newest) head = head.replace(/<updated>[^<]*<\/updated>/, `<updated>${newest}</updated>`);
    }
    return head + shown.join('') + p.tail;
  };

  const aggregatorItem = (i: number, j: number) => {
    const chunk = parts[i]!.items[j]!;
    const title = firstText(chunk, 'title') ?? '';
    const link = parts[i]!.atom ? /<link href="([^"]+)"/.exec(chunk)?.[1] : firstText(chunk, 'link');
    const description = (parts[i]!.atom ? firstText(chunk, 'summary') : firstText(chunk, 'description')) ?? '';
    const date = parts[i]!.atom ? new Date(firstText(chunk, 'updated')!).toUTCString() : firstText(chunk, 'pubDate')!;
    const relayed = `${link}?utm_source=aggregator&amp;utm_medium=rss`;
    return `<item><title>Via the aggregator: ${title}</title><link>${relayed}</link><guid isPermaLink="true">${relayed}</guid><pubDate>${date}</pubDate><description>${description}</description></item>`;
  };
  const renderAggregator = (t: number) => {
    const out: Array<{ at: number; xml: string }> = [];
    for (let i = 0; i < feeds; i++) for (let j = 0; j < items; j++) if (crossposted(i, j) && pubAt(i, j) <= t) out.push({ at: pubAt(i, j), xml: aggregatorItem(i, j) });
    out.sort((a, b) => a.at - b.at);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Nordic regional news, relayed</title><link>${aggregatorOrigin ?? origin}/</link><description>Items relayed from the workload feeds</description>${out.map((o) => o.xml).join('')}</channel></rss>`;
  };

  // Publication clock: runs except while paused; finish() ends it.
  let accumulated = 0;
  let runningSince: number | undefined = Date.now();
  let finished = false;
  const pubTime = () => (finished ? durationMs : Math.min(durationMs, accumulated + (runningSince === undefined ? 0 : Date.now() - runningSince)));

  const requests: FeedRequest[] = [];
  const last = new Map<number, number>();
  // Per document: the ETag served last and the Last-Modified that goes with it (moved only on a change).
  const validators = new Map<number, { etag: string; lastModified: number }>();

  const answer = (req: http.IncomingMessage, res: http.ServerResponse, feed: number, body: string, contentType: string, t: number) => {
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
    let v = validators.get(feed);
    if (!v || v.etag !== etag) {
      // Second resolution; strictly later than the previous version's, so If-Modified-Since never hides a change.
      const now = Math.floor(Date.now() / 1000) * 1000;
      v = { etag, lastModified: Math.max(now, (v?.lastModified ?? 0) + 1000) };
      validators.set(feed, v);
    }
    const headers = { ETag: etag, 'Last-Modified': new Date(v.lastModified).toUTCString(), 'Cache-Control': 'no-cache' };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    // RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it.
    const notModified = inm !== undefined ? inm.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag) : ims !== undefined && Date.parse(ims) >= v.lastModified;
    requests.push({ at: Date.now(), feed, status: notModified ? 304 : 200, pubTime: t });
    last.set(feed, t);
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': contentType });
    res.end(body);
  };

  const serveCommon = (url: URL, res: http.ServerResponse): boolean => {
    if (url.pathname === '/robots.txt') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('User-agent: *\nAllow: /\n');
      return true;
    }
    if (url.pathname.startsWith('/article/') || url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>article</title><p>Article page.</p>');
      return true;
    }
    return false;
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const m = /^\/feed\/(\d+)\.xml$/.exec(url.pathname);
    if (m && Number(m[1]) < feeds) {
      const i = Number(m[1]);
      const t = pubTime();
      return answer(req, res, i, render(i, t), parts[i]!.contentType, t);
    }
    if (serveCommon(url, res)) return;
    res.writeHead(404);
    res.end();
  });

  if (opts.aggregator !== false) {
    const agg = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://aggregator');
      if (url.pathname === '/feed.xml') {
        const t = pubTime();
        return answer(req, res, -1, renderAggregator(t), 'application/rss+xml; charset=utf-8', t);
      }
      if (serveCommon(url, res)) return;
      res.writeHead(404);
      res.end();
    });
    const address = opts.aggregatorAddress ?? '127.0.0.2';
    await new Promise<void>((resolve, reject) => {
      agg.once('error', reject);
      agg.listen(0, address, resolve);
    });
    aggregatorServer = agg;
    aggregatorOrigin = `http://${address}:${(agg.address() as AddressInfo).port}`;
  }

  return {
    origin,
    feedUrl: (i) => `${origin}/feed/${i}.xml`,
    aggregatorUrl: aggregatorOrigin ? `${aggregatorOrigin}/feed.xml` : undefined,
    pubTime,
    pause() {
      if (runningSince !== undefined) accumulated += Date.now() - runningSince;
      runningSince = undefined;
    },
    resume() {
      if (runningSince === undefined) runningSince = Date.now();
    },
    finish() {
      finished = true;
    },
    get finished() {
      return finished || pubTime() >= durationMs;
    },
    requests,
    lastServed: (feed) => last.get(feed),
    render,
    renderAggregator,
    published(t) {
      let n = 0;
      for (let i = 0; i < feeds; i++) for (let j = 0; j < items; j++) if (pubAt(i, j) <= t) n++;
      return n;
    },
    requestsSince(since) {
      const out: FeedRequest[] = [];
      for (let k = requests.length - 1; k >= 0 && requests[k]!.at >= since; k--) out.push(requests[k]!);
      return out.reverse();
    },
    async close() {
      server.closeAllConnections();
      aggregatorServer?.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), aggregatorServer ? new Promise((r) => aggregatorServer!.close(r)) : undefined]);
    },
  };
}
