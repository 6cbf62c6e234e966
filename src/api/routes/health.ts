import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';

/** /healthz: the process answers. /readyz: it can serve, i.e. store and Redis answer. */
export function healthRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const [store, redis] = await Promise.all([deps.store.ping(), deps.redisReady().catch(() => false)]);
      const ready = store && redis;
      return c.json({ status: ready ? 'ready' : 'not-ready', store, redis }, ready ? 200 : 503);
    });
}
