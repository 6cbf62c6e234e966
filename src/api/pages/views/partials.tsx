import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { bcp47, type MessageKey } from '../../../i18n/index.js';
import type { articleView } from '../../view.js';
import type { Alternate } from './layout.js';
import type { Ui } from './ui.js';

/** An article as the JSON API shows it (src/api/view.ts): the one shape pages render. */
export type ArticleData = ReturnType<typeof articleView>;

/**
 * Pre-rendered highlights of a search hit: HTML that src/search/highlight.ts escaped, with only
 * `<mark>` added, so it is inserted as it is.
 */
export interface Highlight {
  title: string;
  snippet: string;
}

/** One article in a list: title (linked to its page), source, date, language and theme labels; a hit's highlights when given. */
export const ArticleItem: FC<{ ui: Ui; a: ArticleData; hl?: Highlight }> = ({ ui, a, hl }) => (
  <li class="item">
    <article>
      <h3 lang={bcp47(a.language)}>
        <a href={`/articles/${a.id}`}>{hl ? raw(hl.title) : a.title}</a>
      </h3>
      <p class="meta">
        <span>{ui.source(a.source)}</span> · <time datetime={a.publishedAt}>{ui.date(a.publishedAt)}</time> · <span>{ui.language(a.language)}</span>
        {a.documentType === 'consultation' ? (
          <>
            {' · '}
            <span class="badge">{ui.t('type.consultation')}</span>
            {a.deadline ? (
              <>
                {' '}
                {ui.t('article.deadline')}: <time datetime={a.deadline}>{ui.date(a.deadline)}</time>
              </>
            ) : null}
          </>
        ) : null}
      </p>
      {hl ? (
        <p class="summary" lang={bcp47(a.language)}>
          {raw(hl.snippet)}
        </p>
      ) : a.summary ? (
        <p class="summary" lang={bcp47(a.language)}>
          {a.summary}
        </p>
      ) : null}
      {a.alsoReportedBy.length ? (
        <p class="meta story">
          {ui.t('article.alsoReported')}: {[...new Set(a.alsoReportedBy.map((m) => ui.source(m.source)))].join(', ')}
        </p>
      ) : null}
      {a.themes.length ? (
        <ul class="tags" aria-label={ui.t('article.themes')}>
          {a.themes.map((th) => (
            <li>
              <a href={`/?theme=${encodeURIComponent(th.id)}`}>{ui.theme(th.id)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  </li>
);

/** The RSS, Atom and JSON Feed of a view (the stream's public ones, or a subscription's private ones, with a hint). */
export const FeedLinks: FC<{ ui: Ui; feeds: Alternate[]; heading?: MessageKey; hint?: MessageKey }> = ({ ui, feeds, heading = 'feeds.heading', hint }) => (
  <section class="feeds" aria-labelledby="feeds-heading">
    <h2 id="feeds-heading">{ui.t(heading)}</h2>
    <ul>
      {feeds.map((f) => (
        <li>
          <a href={f.href} type={f.type}>
            {f.title}
          </a>
        </li>
      ))}
    </ul>
    {hint ? (
      <p>
        <small>{ui.t(hint)}</small>
      </p>
    ) : null}
  </section>
);

/** The three feed formats of a view as links: `href(format)` gives each one's address. */
export function feedAlternates(ui: Ui, href: (format: 'rss' | 'atom' | 'json') => string): Alternate[] {
  return [
    { type: 'application/rss+xml', href: href('rss'), title: ui.t('feeds.rss') },
    { type: 'application/atom+xml', href: href('atom'), title: ui.t('feeds.atom') },
    { type: 'application/feed+json', href: href('json'), title: ui.t('feeds.json') },
  ];
}

/** Forward paging through a cursor; "back to the start" once past the first page. */
export const Pager: FC<{ ui: Ui; next?: string; first?: string; nextLabel: string }> = ({ ui, next, first, nextLabel }) =>
  next || first ? (
    <nav class="pager" aria-label={ui.t('paging.label')}>
      {first ? <a href={first}>{ui.t('paging.first')}</a> : null}
      {next ? (
        <a href={next} rel="next">
          {nextLabel}
        </a>
      ) : null}
    </nav>
  ) : null;

/** An e-mailed issue's SPF, DKIM and DMARC verdicts, as a term and its description (article and inbox pages). */
export const MailVerdicts: FC<{ ui: Ui; auth: { spf: string; dkim: string; dmarc: string } | null | undefined }> = ({ ui, auth }) =>
  auth ? (
    <>
      <dt>{ui.t('article.mail')}</dt>
      <dd>
        SPF {auth.spf} · DKIM {auth.dkim} · DMARC {auth.dmarc}
      </dd>
    </>
  ) : null;
