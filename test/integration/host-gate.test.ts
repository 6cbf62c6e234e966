import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createHostGate, gatedHttpClient, type HostLimits } from '../../src/pipeline/fetch/host-gate.js';
import { createHttpClient } from '../../src/pipeline/fetch/client.js';
import { createRedisHostSlots } from '../../src/state/redis-host-slots.js';
import { HostBusyError } from '../../src/errors.js';
import { REDIS_URL, clearPrefix, uniquePrefix } from '../helpers/redis.js';

/** A server that records when each request started and how many were in flight at once. */
let server: Server;
let port: number;
const starts: number[] = [];
let inFlight = 0;
let maxInFlight = 0;
const prefix = uniquePrefix('hostgate');
const redis = [new Redis(REDIS_URL), new Redis(REDIS_URL)];

beforeAll(async () => {
  server = createServer((_req, res) => {
    starts.push(Date.now());
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end('<rss/>');
    }, 60);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  redis.forEach((r) => r.disconnect());
  await clearPrefix(prefix);
});

/** Two workers (two Redis connections, two gates) sharing one host's limits. */
function workers(limits: HostLimits) {
  return redis.map((r) => {
    const slots = createRedisHostSlots(r, prefix);
    return gatedHttpClient(createHttpClient({ timeoutMs: 5_000, maxBytes: 1_000_000, allowPrivateHosts: ['127.0.0.1', 'localhost'] }), createHostGate(slots.trySlot, slots.releaseSlot, limits));
  });
}

describe('per-host gate shared through Redis', () => {
  it('keeps requests to one host within its concurrency and spacing, across workers', async () => {
    starts.length = 0;
    maxInFlight = 0;
    const [a, b] = workers({ concurrency: 1, intervalMs: 150, leaseMs: 10_000, maxWaitMs: 20_000 });
    const url = `http://127.0.0.1:${port}/feed.xml`;
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? a! : b!).get(url, {})));
    expect(starts).toHaveLength(6);
    expect(maxInFlight).toBe(1);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Redis's clock and ours may differ by a millisecond or two in rounding.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(145);
  });

  it('lets another host through while one is busy, and gives up on a host that stays busy', async () => {
    const [a] = workers({ concurrency: 1, intervalMs: 5_000, leaseMs: 10_000, maxWaitMs: 300 });
    await a!.get(`http://127.0.0.1:${port}/one`, {});
    // same server, different host name: its own gate
    await expect(a!.get(`http://localhost:${port}/two`, {})).resolves.toMatchObject({ status: 200 });
    const err = await a!.get(`http://127.0.0.1:${port}/three`, {}).catch((e) => e);
    // our own gate's verdict, not the site's: a class of its own
    expect(err).toBeInstanceOf(HostBusyError);
    expect(err.retryable).toBe(true);
  });
});
