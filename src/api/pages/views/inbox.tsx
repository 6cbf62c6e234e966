import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { InboxMessage } from '../../../newsletters/inbox/port.js';
import { Layout } from './layout.js';
import { MailVerdicts } from './partials.js';
import type { Ui } from './ui.js';

/** The sender as a mail client shows it: "Name <address>". */
const sender = (m: Pick<InboxMessage, 'from' | 'fromName'>) => (m.fromName ? `${m.fromName} <${m.from}>` : m.from);

/** `/admin/inbox`: newsletter mail no source took, newest first. */
export const InboxPage: FC<{ ui: Ui; messages: InboxMessage[] }> = ({ ui, messages }) => (
  <Layout ui={ui} title={ui.t('inbox.heading')}>
    <h1>{ui.t('inbox.heading')}</h1>
    <p>{ui.t('inbox.intro')}</p>
    {messages.length ? (
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{ui.t('inbox.subject')}</th>
              <th scope="col">{ui.t('inbox.from')}</th>
              <th scope="col">{ui.t('inbox.received')}</th>
              <th scope="col">{ui.t('inbox.status')}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/inbox/${encodeURIComponent(m.id)}`}>{m.subject || m.messageId}</a>
                </th>
                <td>{sender(m)}</td>
                <td>
                  <time datetime={m.receivedAt}>{ui.date(m.receivedAt, true)}</time>
                </td>
                <td>{ui.t(`inbox.status.${m.status}`, { source: m.sourceId ?? '' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    ) : (
      <p role="status">{ui.t('inbox.empty')}</p>
    )}
  </Layout>
);

/** One message: why it is here, its verdicts and links (a list's confirmation link among them), its body, and the actions. */
export const InboxMessagePage: FC<{
  ui: Ui;
  m: InboxMessage & { html: string; links: Array<{ text: string; url: string }> };
  sources: Array<{ id: string; name: string }>;
}> = ({ ui, m, sources }) => (
  <Layout ui={ui} title={m.subject || ui.t('inbox.heading')}>
    <p>
      <a href="/admin/inbox">{ui.t('inbox.back')}</a>
    </p>
    <h1>{m.subject || m.messageId}</h1>
    <dl class="facts">
      <dt>{ui.t('inbox.from')}</dt>
      <dd>{sender(m)}</dd>
      <dt>{ui.t('inbox.received')}</dt>
      <dd>
        <time datetime={m.receivedAt}>{ui.date(m.receivedAt, true)}</time>
      </dd>
      <dt>{ui.t('inbox.reason')}</dt>
      <dd>{m.reason}</dd>
      <MailVerdicts ui={ui} auth={m.mailAuth} />
      <dt>{ui.t('inbox.status')}</dt>
      <dd>{ui.t(`inbox.status.${m.status}`, { source: m.sourceId ?? '' })}</dd>
    </dl>
    {m.status !== 'assigned' ? (
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{ui.t('inbox.actions')}</h2>
        {sources.length ? (
          <form method="post" action={`/admin/inbox/${encodeURIComponent(m.id)}/assign`}>
            <label for="source">{ui.t('inbox.assign')}</label>{' '}
            <select id="source" name="sourceId">
              {sources.map((s) => (
                <option value={s.id}>{s.name}</option>
              ))}
            </select>{' '}
            <button type="submit">{ui.t('inbox.publish')}</button>
          </form>
        ) : (
          <p>{ui.t('inbox.noSources')}</p>
        )}
        {m.status === 'new' ? (
          <form method="post" action={`/admin/inbox/${encodeURIComponent(m.id)}/dismiss`}>
            <button type="submit">{ui.t('inbox.dismiss')}</button>
          </form>
        ) : null}
      </section>
    ) : null}
    {m.links.length ? (
      <section aria-labelledby="links-heading">
        <h2 id="links-heading">{ui.t('inbox.links')}</h2>
        <ul>
          {m.links.map((l) => (
            <li>
              <a href={l.url} rel="noopener noreferrer">
                {l.text || l.url}
              </a>
            </li>
          ))}
        </ul>
      </section>
    ) : null}
    <section class="body" aria-label={ui.t('article.body')}>
      {raw(m.html)}
    </section>
  </Layout>
);
