import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { packageRoot } from '../../config/paths.js';

/**
 * `/static/app.css`, the pages' one stylesheet. It stays a source file (src/api/static/, listed in
 * package.json `files`) that tsc does not copy, so it is found from the package root, which is the
 * same from src/ (tests, tsx) and dist/src/ (the built CLI). Read once, when the app is built.
 */
export function staticRoutes() {
  const css = readFileSync(join(packageRoot(), 'src', 'api', 'static', 'app.css'), 'utf8');
  const etag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 16)}"`;
  return new Hono().get('/app.css', (c) => {
    const headers = { etag, 'cache-control': 'public, max-age=3600', 'content-type': 'text/css; charset=utf-8' };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(css, 200, headers);
  });
}
