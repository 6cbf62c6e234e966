import { Hono } from 'hono';
import { articleView } from '../view.js';
import type { ApiDeps } from '../deps.js';
import { page, uiFor } from './context.js';
import { ConsultationsPage } from './views/catalogue.js';

/** Consultations per group on the page: a year of a ministry's hearings is well under this. */
const CONSULTATIONS_SHOWN = 50;

/** `/consultations`: open ones first, soonest deadline first; then closed and undated ones, newest first. */
export function consultationsPage(deps: ApiDeps) {
  return new Hono().get('/', async (c) => {
    const ui = await uiFor(c, deps);
    const now = new Date().toISOString();
    const types = ['consultation'];
    const [open, rest] = await Promise.all([
      deps.store.list({ types, deadlineFrom: now }, { limit: CONSULTATIONS_SHOWN, sort: 'deadline' }),
      deps.store.list({ types }, { limit: CONSULTATIONS_SHOWN * 2 }),
    ]);
    const view = (a: Parameters<typeof articleView>[0]) => articleView(a, deps.taxonomy);
    const closed = rest.items.filter((a) => a.deadline && a.deadline < now).slice(0, CONSULTATIONS_SHOWN);
    const undated = rest.items.filter((a) => !a.deadline).slice(0, CONSULTATIONS_SHOWN);
    return page(c, ConsultationsPage({ ui, open: open.items.map(view), closed: closed.map(view), undated: undated.map(view) }));
  });
}
