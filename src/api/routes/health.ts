import { Hono } from 'hono';
import { DEPENDENCY_TIMEOUT_MS, withTimeout, type ApiDeps, type Dependency } from '../deps.js';

/**
 * /healthz: the process answers. /readyz: it can serve, i.e. store and Redis answer, each within
 * DEPENDENCY_TIMEOUT_MS, so a dead dependency gives a 503 naming it at once, not when a client gives up.
 */
export function healthRoutes(deps: ApiDeps) {
  const answers = (check: () => Promise<boolean>, dependency: Dependency) =>
    withTimeout(Promise.resolve().then(check), DEPENDENCY_TIMEOUT_MS, dependency).catch(() => false);
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const [store, redis] = await Promise.all([answers(() => deps.store.ping(), 'store'), answers(() => deps.redisReady(), 'redis')]);
      const unavailable: Dependency[] = [...(store ? [] : ['store' as const]), ...(redis ? [] : ['redis' as const])];
      const ready = unavailable.length === 0;
      return c.json({ status: ready ? 'ready' : 'not-ready', store, redis, unavailable }, ready ? 200 : 503);
    });
}
