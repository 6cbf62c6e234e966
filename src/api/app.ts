import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiDeps } from './deps.js';
import { pageRoutes } from './pages/index.js';
import { problemResponse, toProblem } from './problem.js';
import { adminRoutes } from './routes/admin.js';
import { articleRoutes } from './routes/articles.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { openapiRoutes } from './routes/openapi.js';
import { storyRoutes } from './routes/stories.js';
import { searchRoutes } from './routes/search.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { subscriptionPages } from './pages/subscriptions.js';
import { inboxPages } from './pages/inbox.js';
import { requireAdminPage } from './routes/admin.js';
import { metrics, registry, since } from '../observability/metrics.js';

/** The HTTP app: middleware in reading order, then the routes, then the error mapping. */
export function createApp(deps: ApiDeps) {
  const app = new Hono();
  // Stored content came from other people's sites: nothing served here may run script. This is also
  // the pages' policy (no script-src at all, styles only from /static, forms only to this site):
  // default-src 'none'; style-src 'self'; img-src https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'.
  app.use(
    secureHeaders({
      // A route that sets its own policy keeps it (the digest preview allows the inline styles of e-mail).
      overwrite: false,
      contentSecurityPolicy: { defaultSrc: ["'none'"], imgSrc: ['https:', 'http:'], styleSrc: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"] },
    }),
  );
  // Request latency by route pattern (never the raw path: ids and queries would make a series each).
  app.use(async (c, next) => {
    const start = performance.now();
    await next();
    metrics.httpSeconds.observe({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) }, since(start));
  });
  app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }));
  if (deps.admin?.queueBoard) {
    const board = deps.admin.queueBoard;
    // The dashboard is a script application: its own scripts and styles may run here, nothing from elsewhere.
    app.use(`${board.path}/*`, requireAdminPage(deps.admin.token), async (c, next) => {
      await next();
      c.res.headers.set('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    });
    app.use(board.path, requireAdminPage(deps.admin.token));
    app.route(board.path, board.app);
  }
  app.route('/', healthRoutes(deps));
  app.route('/api/articles', articleRoutes(deps));
  app.route('/api/search', searchRoutes(deps));
  app.route('/api/stories', storyRoutes(deps));
  app.route('/api', catalogueRoutes(deps));
  app.route('/api', openapiRoutes());
  app.route('/feeds', feedRoutes(deps));
  if (deps.subscriptions) app.route('/api/subscriptions', subscriptionRoutes(deps, deps.subscriptions));
  if (deps.admin) app.route('/api/admin', adminRoutes(deps.admin));
  if (deps.admin?.inbox) app.route('/admin/inbox', inboxPages({ ...deps, admin: deps.admin }));
  app.route('/', subscriptionPages(deps, deps.subscriptions));
  // The web reader (/, /articles/:id, /search, /static/app.css), after the API so /api/* stays JSON.
  app.route('/', pageRoutes(deps));
  app.notFound((c) => problemResponse(c, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }));
  app.onError((err, c) => {
    const problem = toProblem(err);
    // Through pino, so the stack stays inside one JSON line.
    if (problem.status >= 500) deps.log.error({ err, method: c.req.method, path: c.req.path }, 'request failed');
    return problemResponse(c, problem);
  });
  return app;
}
