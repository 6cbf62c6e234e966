import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { getCookie, setCookie } from 'hono/cookie';
import { ValidationError } from '../../errors.js';
import { chooseUiLanguage, isUiLanguage, UI_COOKIE } from '../../i18n/index.js';
import type { ApiDeps } from '../deps.js';
import { ErrorPage } from './views/error.js';
import { makeUi, type Ui } from './views/ui.js';

/** A year: the choice of interface language is a setting, not a session. */
const UI_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The request's URL without `ui` (the language choice, not a filter) and without empty parameters (a
 * GET form submits its unset fields as `theme=`), so the filter schemas read what the reader chose.
 */
export function pageUrl(requestUrl: string): URL {
  const url = new URL(requestUrl);
  for (const [k, v] of [...url.searchParams]) if (k === 'ui' || !v.trim()) url.searchParams.delete(k, v);
  return url;
}

/**
 * The reader's interface language and text functions for this request. A `?ui=` choice is
 * remembered in the `ui` cookie, so the next page, with no `?ui=`, keeps it.
 */
export async function uiFor(c: Context, deps: ApiDeps): Promise<Ui> {
  const query = c.req.query('ui');
  const lang = chooseUiLanguage({ query, cookie: getCookie(c, UI_COOKIE), acceptLanguage: c.req.header('accept-language') });
  if (isUiLanguage(query)) setCookie(c, UI_COOKIE, query, { path: '/', maxAge: UI_COOKIE_MAX_AGE_S, sameSite: 'Lax', httpOnly: true });
  const sources = new Map((await deps.catalogue.list()).map((s) => [s.id, s.name]));
  const themes = new Map(deps.taxonomy.themes.map((t) => [t.id, t.labels]));
  return makeUi(lang, pageUrl(c.req.url), {
    theme: (id, l) => themes.get(id)?.[l] ?? id,
    source: (id) => sources.get(id) ?? id,
  });
}

/** Pages vary by the language headers and cookie; a shared cache must not serve one reader's language to another. */
export const PAGE_HEADERS = { vary: 'Accept-Language, Cookie', 'cache-control': 'private, no-cache' } as const;

/** A 400 page naming the parameter, for a filter or query the schemas refuse; other errors go to the app's handler. */
export function badRequest(c: Context, ui: Ui, err: unknown) {
  if (!(err instanceof ValidationError)) throw err;
  return page(c, ErrorPage({ ui, status: 400, parameter: err.parameter, reason: err.message }), 400);
}

/**
 * Answers with a rendered view. A component called as a function returns its JSX node, whose
 * `toString()` renders the HTML (a promise only if a component is async; none is).
 */
export async function page(c: Context, view: ReturnType<FC>, status: 200 | 400 | 404 = 200) {
  const node = await view;
  const html = node === null || node === undefined ? '' : await (node as { toString(): string | Promise<string> }).toString();
  return c.html(html, status, PAGE_HEADERS);
}

/** Path and query of a URL, for links within the site. */
export const local = (u: URL) => u.pathname + u.search;
