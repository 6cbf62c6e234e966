import { createServer, type Server } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/pipeline/fetch/client.js';
import { fetchSource } from '../../src/pipeline/fetch/index.js';
import { FetchError } from '../../src/errors.js';

const FEED = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Høyringar – åtta</title></channel></rss>';
let server: Server;
let base: string;
/** 64 MB of zeros compress to ~64 kB: the cap must apply to the inflated size. Made before any memory is measured. */
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024));

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' });
      return res.end(gzipSync(FEED));
    }
    if (path === '/br') {
      res.writeHead(200, { 'content-encoding': 'br', 'content-type': 'application/rss+xml' });
      return res.end(brotliCompressSync(FEED));
    }
    if (path === '/bomb') {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      return res.end(BOMB);
    }
    if (path === '/huge') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const push = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent < 50) res.once('drain', push);
        else res.end();
      };
      res.on('error', () => {});
      return push();
    }
    if (path === '/slow') return; // never answers
    if (path === '/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      return res.end();
    }
    if (path === '/moved') {
      res.writeHead(301, { location: '/gzip' });
      return res.end();
    }
    if (path === '/conditional') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        return res.end();
      }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Sat, 01 Nov 2026 00:00:00 GMT', 'content-type': 'application/rss+xml' });
      return res.end(FEED);
    }
    if (path === '/busy') {
      res.writeHead(429, { 'retry-after': '120' });
      return res.end();
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const client = (opts: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({ timeoutMs: 2_000, maxBytes: 5 * 1024 * 1024, allowPrivateHosts: ['127.0.0.1'], ...opts });

async function fetchError(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error('expected a FetchError');
}

describe('HTTP client on 127.0.0.1', () => {
  it.each(['/gzip', '/br', '/moved'])('decodes %s', async (path) => {
    const c = client();
    const r = await fetchSource({ sourceId: 's', url: `${base}${path}` }, undefined, c, 'UA');
    expect(r.kind).toBe('fetched');
    if (r.kind === 'fetched') expect(r.text).toBe(FEED);
    await c.close();
  });

  it('sends validators and reports 304 as not-modified', async () => {
    const c = client();
    const first = await fetchSource({ sourceId: 's', url: `${base}/conditional` }, undefined, c, 'UA');
    expect(first.kind === 'fetched' && first.validators.etag).toBe('"v1"');
    const second = await fetchSource({ sourceId: 's', url: `${base}/conditional` }, first.kind === 'fetched' ? first.validators : undefined, c, 'UA');
    expect(second.kind).toBe('not-modified');
    await c.close();
  });

  it('cuts off a body over the cap, and a gzip bomb by its inflated size, without reading it all', async () => {
    const c = client({ maxBytes: 1024 * 1024 });
    const before = process.memoryUsage().rss;
    for (const path of ['/huge', '/bomb']) {
      const err = await fetchError(c.get(`${base}${path}`, {}, { sourceId: 's' }));
      expect(err.message).toContain('body larger than 1048576 bytes');
      expect(err.retryable).toBe(false);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
    await c.close();
  });

  it('times out a server that never answers, as a retryable error', async () => {
    const c = client({ timeoutMs: 300 });
    const err = await fetchError(c.get(`${base}/slow`, {}, { sourceId: 's' }));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/timed out/);
    await c.close();
  });

  it('refuses private and loopback addresses unless allow-listed: directly, by redirect, and after DNS resolution', async () => {
    const strict = client({ allowPrivateHosts: [] });
    expect((await fetchError(strict.get(`${base}/gzip`, {}))).message).toContain('refused private address 127.0.0.1');
    // a host name is checked after resolution, at connect time: "localhost" resolves to loopback
    const port = new URL(base).port;
    expect((await fetchError(strict.get(`http://localhost:${port}/gzip`, {}))).message).toMatch(/refused: localhost resolves to private address/);
    await strict.close();
    // allow-listing 127.0.0.1 does not open other private addresses to a redirect
    const c = client();
    const toMetadata = await fetchError(c.get(`${base}/to-metadata`, {}, { sourceId: 's' }));
    expect(toMetadata.message).toContain('refused private address 169.254.169.254');
    expect(toMetadata.retryable).toBe(false);
    await c.close();
  });

  it('carries Retry-After from a 429', async () => {
    const c = client();
    const err = await fetchError(fetchSource({ sourceId: 's', url: `${base}/busy` }, undefined, c, 'UA'));
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfter: 120 });
    await c.close();
  });
});
