import type { FC } from 'hono/jsx';
import { Layout, type Alternate } from './layout.js';
import { ArticleItem, FeedLinks, type ArticleData } from './partials.js';
import type { Ui } from './ui.js';

/** One source's row on /sources: the fields /api/sources gives, null where a dependency did not answer. */
export interface SourceRow {
  id: string;
  name: string;
  url: string;
  status: 'ok' | 'not-modified' | 'error' | 'gone' | 'paused' | 'never-fetched' | 'unknown';
  lastFetchAt: string | null;
  lastError: string | null;
  itemCount: number | null;
}

/** `/sources`: each source's health. */
export const SourcesPage: FC<{ ui: Ui; rows: SourceRow[]; unavailable: string[] }> = ({ ui, rows, unavailable }) => (
  <Layout ui={ui} title={ui.t('sources.heading')}>
    <h1>{ui.t('sources.heading')}</h1>
    {unavailable.length ? <p role="status">{ui.t('sources.unavailable', { what: unavailable.join(', ') })}</p> : null}
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">{ui.t('sources.name')}</th>
            <th scope="col">{ui.t('sources.status')}</th>
            <th scope="col">{ui.t('sources.lastFetch')}</th>
            <th scope="col">{ui.t('sources.articles')}</th>
            <th scope="col">{ui.t('sources.lastError')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr>
              <th scope="row">
                <a href={`/?source=${encodeURIComponent(s.id)}`}>{s.name}</a>
              </th>
              <td class={`status ${s.status}`}>{ui.t(`status.${s.status}`)}</td>
              <td>{s.lastFetchAt ? <time datetime={s.lastFetchAt}>{ui.date(s.lastFetchAt, true)}</time> : s.status === 'unknown' ? '–' : ui.t('sources.never')}</td>
              <td class="n">{s.itemCount === null ? '–' : new Intl.NumberFormat(ui.lang).format(s.itemCount)}</td>
              <td class="error">{s.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </Layout>
);

/** `/themes`: the taxonomy in the reader's language with article counts. */
export const ThemesPage: FC<{ ui: Ui; themes: { id: string; label: string; count: number }[] }> = ({ ui, themes }) => (
  <Layout ui={ui} title={ui.t('themes.heading')}>
    <h1>{ui.t('themes.heading')}</h1>
    <ul class="themes-list">
      {themes.map((th) => (
        <li>
          <a href={`/themes/${th.id}`}>{th.label}</a> <span class="n">{ui.t('themes.count', { count: th.count })}</span>
        </li>
      ))}
    </ul>
  </Layout>
);

/** `/themes/:id`: what the theme covers (its terms in the reader's language), recent articles, its feeds. */
export const ThemePage: FC<{ ui: Ui; label: string; terms: string[]; items: ArticleData[]; feeds: Alternate[]; more: string }> = ({ ui, label, terms, items, feeds, more }) => (
  <Layout ui={ui} title={label} alternates={feeds}>
    <h1>{label}</h1>
    <section aria-labelledby="terms-heading">
      <h2 id="terms-heading">{ui.t('themes.terms')}</h2>
      <ul class="inline">
        {terms.map((term) => (
          <li>
            <q>{term.replace(/\*/g, '…')}</q>
          </li>
        ))}
      </ul>
    </section>
    <section class="list" aria-labelledby="recent-heading">
      <h2 id="recent-heading">{ui.t('themes.recent')}</h2>
      <ol class="items">
        {items.map((a) => (
          <ArticleItem ui={ui} a={a} />
        ))}
      </ol>
      <p>
        <a href={more}>{ui.t('paging.next')}</a>
      </p>
    </section>
    <FeedLinks ui={ui} feeds={feeds} />
  </Layout>
);

/** `/consultations`: open ones first, soonest deadline first; then closed ones; then those without a stated deadline. */
export const ConsultationsPage: FC<{ ui: Ui; open: ArticleData[]; closed: ArticleData[]; undated: ArticleData[] }> = ({ ui, open, closed, undated }) => {
  const group = (id: string, heading: string, items: ArticleData[]) => (
    <section class="list" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {items.length ? (
        <ol class="items">
          {items.map((a) => (
            <ArticleItem ui={ui} a={a} />
          ))}
        </ol>
      ) : (
        <p>{ui.t('consultations.none')}</p>
      )}
    </section>
  );
  return (
    <Layout ui={ui} title={ui.t('consultations.heading')}>
      <h1>{ui.t('consultations.heading')}</h1>
      {group('open-heading', ui.t('consultations.open'), open)}
      {group('closed-heading', ui.t('consultations.closed'), closed)}
      {undated.length ? group('undated-heading', ui.t('consultations.noDeadline'), undated) : null}
    </Layout>
  );
};
