import { Hono } from 'hono';
import { articlePage, newsletterIssuePage } from './article.js';
import { consultationsPage } from './consultations.js';
import type { ApiDeps } from '../deps.js';
import { searchPage } from './search.js';
import { sourcesPage } from './sources.js';
import { staticRoutes } from './static.js';
import { streamPage } from './stream.js';
import { themesPage } from './themes.js';

/** The web reader: one route file per page over the same ports and `articleView` as the JSON API. */
export function pageRoutes(deps: ApiDeps) {
  return new Hono()
    .route('/static', staticRoutes())
    .route('/articles', articlePage(deps))
    .route('/newsletters', newsletterIssuePage(deps))
    .route('/search', searchPage(deps))
    .route('/themes', themesPage(deps))
    .route('/consultations', consultationsPage(deps))
    .route('/sources', sourcesPage(deps))
    .route('/', streamPage(deps));
}
