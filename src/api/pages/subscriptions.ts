import { Hono, type Context } from 'hono';
import { ValidationError } from '../../errors.js';
import { previewDigest } from '../../digests/service.js';
import { describeFilter } from '../../digests/render/index.js';
import { isUiLanguage } from '../../i18n/index.js';
import { FREQUENCIES, subscriptionFilterSchema, type Frequency, type Subscription } from '../../subscriptions/model.js';
import type { ApiDeps } from '../deps.js';
import { fromToken, parseSubscription, subscribe, validationError } from '../subscribe.js';
import type { SubscriptionDeps } from '../../subscriptions/deps.js';
import { badRequest, page, PAGE_HEADERS, pageUrl, uiFor } from './context.js';
import { ConfirmPage, ManagePage, NoticePage, UnsubscribePage, type SubscribeData } from './views/subscriptions.js';
import type { Ui } from './views/ui.js';
import { feedAlternates } from './views/partials.js';

type Form = Record<string, string | File | (string | File)[]>;

/** Every value of a form field, comma lists split, empty ones dropped. */
function values(form: Form, name: string): string[] {
  const v = form[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.flatMap((x) => (typeof x === 'string' ? x.split(',') : [])).map((x) => x.trim()).filter(Boolean);
}
const one = (form: Form, name: string): string | undefined => values(form, name)[0];
const list = (form: Form, name: string) => {
  const v = values(form, name);
  return v.length ? v : undefined;
};
/** A number field as a number when it is one, else as typed (the schema then names it). */
const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : s);

/** The reader's filter fields (the same names as the web reader's query) as a subscription filter. */
function filterFromForm(form: Form) {
  const q = one(form, 'q');
  return { themes: list(form, 'theme'), languages: list(form, 'lang'), regions: list(form, 'region'), countries: list(form, 'country'), sources: list(form, 'source'), type: list(form, 'type'), ...(q ? { q } : {}) };
}

/** The subscribe form and the manage form as a subscription request. */
function inputFromForm(form: Form, email: string | undefined) {
  const frequency = one(form, 'frequency') ?? 'weekly';
  const drop = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    email,
    filter: drop(filterFromForm(form)),
    frequency,
    sendAt: drop({ weekday: frequency === 'weekly' ? num(one(form, 'weekday')) : undefined, hour: num(one(form, 'hour') ?? '7') }),
    timeZone: one(form, 'timeZone') ?? 'Europe/Oslo',
    locale: one(form, 'locale') ?? 'en',
  };
}

/** The view's filter for the subscribe form and the preview, from the page's query. */
export function viewFilter(url: URL): [string, string][] {
  return ['theme', 'lang', 'region', 'country', 'source', 'type', 'q'].flatMap((name) => {
    const v = url.searchParams.getAll(name).join(',').trim();
    return v ? [[name, v] as [string, string]] : [];
  });
}

/** The subscribe form's data for a page of the reader, or undefined when subscriptions are off. */
export function subscribeData(deps: ApiDeps, url: URL): SubscribeData | undefined {
  if (!deps.subscriptions) return undefined;
  const filter = viewFilter(url);
  const query = new URLSearchParams(filter).toString();
  return { filter, preview: `/digests/preview${query ? `?${query}` : ''}` };
}

/**
 * The subscription pages: subscribe (from any view), confirm, manage, one-click unsubscribe (RFC 8058),
 * and the preview of a digest. Links carry signed tokens; every change is a POST.
 */
export function subscriptionPages(deps: ApiDeps, subs: SubscriptionDeps | undefined) {
  const app = new Hono();
  const themeLabel = (ui: Ui) => (id: string) => ui.theme(id);
  const invalid = (c: Context, ui: Ui) => page(c, NoticePage({ ui, title: ui.t('error.badRequest.title'), text: ui.t('link.invalid') }), 400);
  const manageData = (ui: Ui, sub: Subscription, token: string, saved = false) => ({
    sub,
    token,
    saved,
    describe: describeFilter(ui.lang, sub.filter, themeLabel(ui)),
    themes: deps.taxonomy.themes.map((t) => ({ id: t.id, label: t.labels[ui.lang] })).sort((a, b) => a.label.localeCompare(b.label, ui.lang)),
    feeds: feedAlternates(ui, (format) => subs!.links.feed(sub, format)),
    unsubscribe: subs!.links.unsubscribe(sub),
  });

  // The e-mail a view would give, as HTML: its styles are inline (as mail needs), which this page alone allows.
  app.get('/digests/preview', async (c) => {
    const ui = await uiFor(c, deps);
    const url = pageUrl(c.req.url);
    const form = Object.fromEntries(viewFilter(url));
    const frequency = (url.searchParams.get('frequency') ?? 'weekly') as Frequency;
    const locale = url.searchParams.get('locale') ?? ui.lang;
    try {
      if (!FREQUENCIES.includes(frequency)) throw new ValidationError('frequency', `must be one of ${FREQUENCIES.join(', ')}`);
      if (!isUiLanguage(locale)) throw new ValidationError('locale', 'must be one of nb, nn, sv, da, fi, en');
      const filter = subscriptionFilterSchema.safeParse(filterFromForm(form));
      if (!filter.success) throw validationError(filter.error);
      const mail = await previewDigest(deps, { filter: filter.data, frequency, locale, baseUrl: deps.publicUrl ?? url.origin });
      return c.html(mail.html, 200, { ...PAGE_HEADERS, 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" });
    } catch (err) {
      return badRequest(c, ui, err);
    }
  });
  if (!subs) return app;

  app.post('/subscriptions', async (c) => {
    const ui = await uiFor(c, deps);
    const form = await c.req.parseBody({ all: true });
    try {
      const input = await parseSubscription(deps, inputFromForm(form, one(form, 'email')));
      await subscribe(subs, input);
      return page(c, NoticePage({ ui, title: ui.t('subscribe.sent.title'), text: ui.t('subscribe.sent.text', { email: input.email }) }));
    } catch (err) {
      return badRequest(c, ui, err);
    }
  });

  app.get('/subscriptions/confirm', async (c) => {
    const ui = await uiFor(c, deps);
    const token = c.req.query('token') ?? '';
    const sub = await fromToken(subs, token, 'confirm');
    if (!sub) return invalid(c, ui);
    return page(c, ConfirmPage({ ui, email: sub.email, describe: describeFilter(ui.lang, sub.filter, themeLabel(ui)), token }));
  });
  app.post('/subscriptions/confirm', async (c) => {
    const ui = await uiFor(c, deps);
    const sub = await fromToken(subs, one(await c.req.parseBody(), 'token'), 'confirm');
    if (!sub) return invalid(c, ui);
    await subs.store.confirm(sub.id, new Date().toISOString());
    return page(c, NoticePage({ ui, title: ui.t('confirm.title'), text: ui.t('confirm.done'), link: { href: subs.links.manage(sub), label: ui.t('manage.title') } }));
  });

  app.get('/subscriptions/manage', async (c) => {
    const ui = await uiFor(c, deps);
    const token = c.req.query('token') ?? '';
    const sub = await fromToken(subs, token, 'manage');
    if (!sub) return invalid(c, ui);
    return page(c, ManagePage({ ui, data: manageData(ui, sub, token) }));
  });
  app.post('/subscriptions/manage', async (c) => {
    const ui = await uiFor(c, deps);
    const form = await c.req.parseBody({ all: true });
    const token = one(form, 'token') ?? '';
    const sub = await fromToken(subs, token, 'manage');
    if (!sub) return invalid(c, ui);
    const action = one(form, 'action');
    let after: Subscription | undefined;
    if (action === 'pause' || action === 'resume') after = await subs.store.setPaused(sub.id, action === 'pause');
    else {
      try {
        const { email: _same, ...choices } = await parseSubscription(deps, inputFromForm(form, sub.email));
        after = await subs.store.update(sub.id, choices);
      } catch (err) {
        return badRequest(c, ui, err);
      }
    }
    if (!after) return invalid(c, ui);
    return page(c, ManagePage({ ui, data: manageData(ui, after, token, true) }));
  });

  app.get('/subscriptions/unsubscribe', async (c) => {
    const ui = await uiFor(c, deps);
    const token = c.req.query('token') ?? '';
    const sub = await fromToken(subs, token, 'manage');
    if (!sub) return invalid(c, ui);
    return page(c, UnsubscribePage({ ui, email: sub.email, action: `/subscriptions/unsubscribe?token=${encodeURIComponent(token)}` }));
  });
  // One-click (RFC 8058): the mail client POSTs `List-Unsubscribe=One-Click` to the URL of the header; a browser posts the same form.
  app.post('/subscriptions/unsubscribe', async (c) => {
    const ui = await uiFor(c, deps);
    const sub = await fromToken(subs, c.req.query('token'), 'manage');
    if (!sub) return invalid(c, ui);
    await subs.store.remove(sub.id);
    return page(c, NoticePage({ ui, title: ui.t('unsubscribe.title'), text: ui.t('unsubscribe.done') }));
  });
  return app;
}
