import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { bcp47 } from '../../../i18n/index.js';
import { Layout } from './layout.js';
import { MailVerdicts, type ArticleData } from './partials.js';
import type { Ui } from './ui.js';

/**
 * `/articles/:id`: the article with every source that carried it, each theme with the words that
 * triggered it, regions, a consultation's deadline and departments, an e-mailed issue's SPF/DKIM/DMARC
 * verdicts, the documents it links (title, pages), the body and the original link.
 * The body is the HTML the sanitizer left at ingest (src/pipeline/sanitize), the only HTML inserted
 * unescaped; the page's Content-Security-Policy runs no script whatever it holds.
 */
export const ArticlePage: FC<{ ui: Ui; a: ArticleData }> = ({ ui, a }) => {
  const lang = bcp47(a.language);
  const others = a.sources.filter((s) => s !== a.source);
  return (
    <Layout ui={ui} title={a.title}>
      <article class="article">
        <h1 lang={lang}>{a.title}</h1>
        <dl class="facts">
          <dt>{ui.t('article.source')}</dt>
          <dd>
            <a href={`/?source=${encodeURIComponent(a.source)}`}>{ui.source(a.source)}</a>
          </dd>
          {others.length ? (
            <>
              <dt>{ui.t('article.alsoIn')}</dt>
              <dd>
                <ul class="inline">
                  {others.map((s) => (
                    <li>
                      <a href={`/?source=${encodeURIComponent(s)}`}>{ui.source(s)}</a>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          <dt>{ui.t('article.published')}</dt>
          <dd>
            <time datetime={a.publishedAt}>{ui.date(a.publishedAt, true)}</time>
          </dd>
          <dt>{ui.t('article.language')}</dt>
          <dd>{ui.language(a.language)}</dd>
          <MailVerdicts ui={ui} auth={a.mailAuth} />
          {a.documentType === 'consultation' ? (
            <>
              {a.deadline ? (
                <>
                  <dt>{ui.t('article.deadline')}</dt>
                  <dd>
                    <time datetime={a.deadline}>{ui.date(a.deadline)}</time>
                  </dd>
                </>
              ) : null}
              {a.departments.length ? (
                <>
                  <dt>{ui.t('article.departments')}</dt>
                  <dd>{a.departments.join(', ')}</dd>
                </>
              ) : null}
            </>
          ) : null}
          {a.regions.length ? (
            <>
              <dt>{ui.t('article.regions')}</dt>
              <dd>
                <ul class="inline">
                  {a.regions.map((r) => (
                    <li>
                      <a href={`/?region=${encodeURIComponent(r.code)}`}>{r.name}</a>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        {a.themes.length ? (
          <section class="themes" aria-labelledby="themes-heading">
            <h2 id="themes-heading">{ui.t('article.themes')}</h2>
            <ul>
              {a.themes.map((th) => (
                <li>
                  <a href={`/?theme=${encodeURIComponent(th.id)}`}>{ui.theme(th.id)}</a>
                  <span class="why">
                    {' — '}
                    {ui.t('article.why')}:{' '}
                    {th.terms.map((term, i) => (
                      <>
                        {i ? ', ' : ''}
                        <q lang={lang}>{term}</q>
                      </>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {a.alsoReportedBy.length ? (
          <section class="story" aria-labelledby="story-heading">
            <h2 id="story-heading">{ui.t('article.alsoReported')}</h2>
            <ul>
              {a.alsoReportedBy.map((m) => (
                <li>
                  <a href={`/articles/${m.id}`} lang={bcp47(m.language)}>
                    {m.title}
                  </a>{' '}
                  <span class="meta">
                    ({ui.source(m.source)} · {ui.language(m.language)} · <time datetime={m.publishedAt}>{ui.date(m.publishedAt)}</time>
                    {m.duplicate ? <> · {ui.t('article.copy')}</> : null})
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {a.documents.length ? (
          <section class="documents" aria-labelledby="documents-heading">
            <h2 id="documents-heading">{ui.t('article.documents')}</h2>
            <ul>
              {a.documents.map((d) => (
                <li>
                  <a href={d.url} rel="noopener noreferrer" type="application/pdf">
                    {d.title ?? decodeURIComponent(new URL(d.url).pathname.split('/').pop() ?? d.url)}
                  </a>{' '}
                  <span class="meta">(PDF, {ui.t('article.pages', { count: d.pages })})</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section class="body" lang={lang} aria-label={ui.t('article.body')}>
          {a.contentHtml ? raw(a.contentHtml) : <p>{a.summary}</p>}
        </section>
        <p class="original">
          <a href={a.url} rel="noopener noreferrer">
            {ui.t('article.original')}
          </a>
        </p>
      </article>
    </Layout>
  );
};
