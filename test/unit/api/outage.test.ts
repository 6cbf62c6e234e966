import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import { withTimeout, type ApiDeps } from '../../../src/api/deps.js';
import { UnavailableError } from '../../../src/errors.js';
import { createLogger } from '../../../src/observability/log.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import type { ArticleStore } from '../../../src/store/port.js';
import { makeArticle } from '../../helpers/factories.js';
import { shippedConfig } from '../../helpers/config.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';

const config = shippedConfig();
const never = <T>() => new Promise<T>(() => {});

/** A logger whose lines the test reads back. */
function capturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
}

async function app(overrides: { store?: Partial<ArticleStore>; state?: Partial<ApiDeps['state']>; redisReady?: () => Promise<boolean> } = {}) {
  const store = createSqliteStore(':memory:');
  await store.upsertBatch([makeArticle({ sourceId: 'regjeringen-kdd' })]);
  const state = createMemoryFetchState();
  await state.recordFetch('regjeringen-kdd', { at: '2026-11-22T10:00:00.000Z', status: 'ok', itemCount: 1 });
  const captured = capturedLog();
  const a = createApp({
    store: { ...store, ...overrides.store },
    state: { ...state, ...overrides.state },
    catalogue: createStaticCatalogue(config.sources),
    taxonomy: config.taxonomy,
    redisReady: overrides.redisReady ?? (async () => true),
    log: captured.log,
  });
  return { app: a, lines: captured.lines };
}

afterEach(() => vi.restoreAllMocks());

describe('withTimeout', () => {
  it('passes the value through, or fails with a typed error naming the dependency', async () => {
    expect(await withTimeout(Promise.resolve(7), 50, 'redis')).toBe(7);
    const err = await withTimeout(never(), 20, 'store').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({ component: 'store', retryable: true, message: 'store unavailable: no answer within 20 ms' });
  });

  it('absorbs a rejection that comes after the timeout', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 30));
      await expect(withTimeout(late, 5, 'redis')).rejects.toBeInstanceOf(UnavailableError);
      await new Promise((r) => setTimeout(r, 60));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('/readyz while a dependency is down', () => {
  it('names Redis when it does not answer at all', async () => {
    const { app: a } = await app({ redisReady: never });
    const res = await a.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not-ready', store: true, redis: false, unavailable: ['redis'] });
  });

  it('names the store when its ping fails, and both when both are down', async () => {
    const storeDown = await app({ store: { ping: async () => Promise.reject(new Error('ECONNREFUSED')) } });
    expect(await (await storeDown.app.request('/readyz')).json()).toEqual({ status: 'not-ready', store: false, redis: true, unavailable: ['store'] });
    const both = await app({ store: { ping: never }, redisReady: async () => Promise.reject(new Error('down')) });
    expect(await (await both.app.request('/readyz')).json()).toMatchObject({ unavailable: ['store', 'redis'] });
  });
});

describe('/api/sources while a dependency is down', () => {
  it('says the fetch state is unknown, not never-fetched, when Redis fails; counts still come from the store', async () => {
    const { app: a, lines } = await app({ state: { getHealth: async () => Promise.reject(new Error("Stream isn't writeable")) } });
    const res = await a.request('/api/sources');
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.unavailable).toEqual(['redis']);
    expect(body.items).toHaveLength(config.sources.length);
    for (const s of body.items) expect(s.status).toBe('unknown');
    expect(body.items.find((s: any) => s.id === 'regjeringen-kdd')).toMatchObject({
      lastFetchAt: null,
      status: 'unknown',
      pausedReason: null,
      lastError: null,
      consecutiveFailures: null,
      notBefore: null,
      itemsInLastFetch: null,
      itemCount: 1,
    });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 40, dependency: 'redis', err: { message: "Stream isn't writeable" } });
  });

  it('answers without the health when Redis hangs', async () => {
    const { app: a } = await app({ state: { getHealth: never } });
    const body = (await (await a.request('/api/sources')).json()) as any;
    expect(body.unavailable).toEqual(['redis']);
    expect(body.items.every((s: any) => s.status === 'unknown')).toBe(true);
  });

  it('gives null counts, not 0, when the store does not answer, and still the health', async () => {
    const { app: a } = await app({ store: { countBySource: never } });
    const body = (await (await a.request('/api/sources')).json()) as any;
    expect(body.unavailable).toEqual(['store']);
    expect(body.items.find((s: any) => s.id === 'regjeringen-kdd')).toMatchObject({ status: 'ok', itemCount: null });
  });
});

describe('errors are logged as JSON', () => {
  it('logs a failed request through the logger with its stack inside one JSON line, not on the console', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app: a, lines } = await app({
      store: {
        countByTheme: async () => {
          throw new TypeError('boom');
        },
      },
    });
    const res = await a.request('/api/themes');
    expect(res.status).toBe(500);
    expect(consoleError).not.toHaveBeenCalled();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 50, msg: 'request failed', method: 'GET', path: '/api/themes', err: { type: 'TypeError', message: 'boom' } });
    expect(line.err.stack).toMatch(/TypeError: boom\n\s+at /);
  });
});
