import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { UI_LANGUAGES, UI_LANGUAGE_NAMES } from '../../../i18n/index.js';
import type { Ui } from './ui.js';

/** A feed of the page's view, for `<link rel="alternate">` and the visible links. */
export interface Alternate {
  type: string;
  href: string;
  title: string;
}

/** The address of this page in another interface language (the choice is then remembered in a cookie). */
const switchTo = (here: URL, lang: string) => {
  const u = new URL(here);
  u.searchParams.set('ui', lang);
  return u.pathname + u.search;
};

/**
 * The page shell: one stylesheet from 'self', no script, no web font; landmarks (header with two
 * navs, main, footer), a skip link, and `<html lang>` in the interface language.
 */
export const Layout: FC<{ ui: Ui; title: string; alternates?: Alternate[]; children?: Child }> = ({ ui, title, alternates = [], children }) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang={ui.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Regionradar`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        {alternates.map((a) => (
          <link rel="alternate" type={a.type} href={a.href} title={a.title} />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {ui.t('skip.main')}
        </a>
        <header class="top">
          <p class="brand">
            <a href="/">Regionradar</a> <span>{ui.t('site.tagline')}</span>
          </p>
          <nav aria-label={ui.t('nav.label')}>
            <ul>
              <li>
                <a href="/">{ui.t('nav.stream')}</a>
              </li>
              <li>
                <a href="/search">{ui.t('nav.search')}</a>
              </li>
              <li>
                <a href="/themes">{ui.t('nav.themes')}</a>
              </li>
              <li>
                <a href="/consultations">{ui.t('nav.consultations')}</a>
              </li>
              <li>
                <a href="/sources">{ui.t('nav.sources')}</a>
              </li>
            </ul>
          </nav>
          <nav aria-label={ui.t('ui.label')} class="langs">
            <ul>
              {UI_LANGUAGES.map((l) => (
                <li>
                  <a href={switchTo(ui.here, l)} lang={l} hreflang={l} aria-current={l === ui.lang ? 'true' : undefined}>
                    {UI_LANGUAGE_NAMES[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer>
          <p>{ui.t('footer.text')}</p>
        </footer>
      </body>
    </html>
  </>
);
