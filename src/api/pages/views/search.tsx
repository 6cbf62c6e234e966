import type { FC } from 'hono/jsx';
import { SubscribeForm, type SubscribeData } from './subscriptions.js';
import { Layout } from './layout.js';
import { ArticleItem, Pager, type ArticleData, type Highlight } from './partials.js';
import type { Ui } from './ui.js';

/** One facet value as a filter link: what it narrows to, its label and its hit count. */
export interface FacetLink {
  href: string;
  label: string;
  count: number;
  active: boolean;
}

export interface SearchData {
  q: string;
  total: number;
  hits: { a: ArticleData; hl: Highlight }[];
  facets: { heading: 'facets.themes' | 'facets.languages' | 'facets.sources' | 'facets.countries'; links: FacetLink[] }[];
  next?: string;
  first?: string;
  /** The subscribe form (an alert for this search), when subscriptions are on. */
  subscribe?: SubscribeData;
}

/** `/search?q=`: ranked hits with highlights, facet counts as filter links, paging. */
export const SearchPage: FC<{ ui: Ui; data?: SearchData; q?: string }> = ({ ui, data, q }) => (
  <Layout ui={ui} title={q ? `${ui.t('search.heading')}: ${q}` : ui.t('search.heading')}>
    <h1>{ui.t('search.heading')}</h1>
    <search>
      <form method="get" action="/search" class="search">
        <label for="q">{ui.t('search.label')}</label>
        <input id="q" type="search" name="q" value={q ?? ''} required maxlength={200} />
        <button type="submit">{ui.t('search.submit')}</button>
      </form>
    </search>
    {!data ? (
      <p>{ui.t('search.prompt')}</p>
    ) : (
      <div class="columns">
        {data.facets.some((f) => f.links.length) ? (
          <aside class="side facets" aria-labelledby="facets-heading">
            <h2 id="facets-heading">{ui.t('facets.heading')}</h2>
            {data.facets
              .filter((f) => f.links.length)
              .map((f) => (
                <section>
                  <h3>{ui.t(f.heading)}</h3>
                  <ul>
                    {f.links.map((l) => (
                      <li>
                        <a href={l.href} aria-current={l.active ? 'true' : undefined}>
                          {l.label}
                        </a>{' '}
                        <span class="n">{new Intl.NumberFormat(ui.lang).format(l.count)}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
          </aside>
        ) : null}
        <section class="list" aria-labelledby="list-heading">
          <h2 id="list-heading" class="count">
            {data.total ? ui.t('search.results', { count: data.total, q: data.q }) : ui.t('search.empty', { q: data.q })}
          </h2>
          <ol class="items">
            {data.hits.map((h) => (
              <ArticleItem ui={ui} a={h.a} hl={h.hl} />
            ))}
          </ol>
          <Pager ui={ui} next={data.next} first={data.first} nextLabel={ui.t('paging.more')} />
          {data.subscribe ? <SubscribeForm ui={ui} filter={data.subscribe.filter} preview={data.subscribe.preview} /> : null}
        </section>
      </div>
    )}
  </Layout>
);
