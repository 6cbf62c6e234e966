import type { FC } from 'hono/jsx';
import { Layout } from './layout.js';
import type { Ui } from './ui.js';

/** 404 and 400 pages: what went wrong in the reader's language (a 400's technical reason as the API gives it, in English), and a way back. */
export const ErrorPage: FC<{ ui: Ui; status: 404 | 400; parameter?: string; reason?: string }> = ({ ui, status, parameter, reason }) => {
  const title = status === 404 ? ui.t('error.notFound.title') : ui.t('error.badRequest.title');
  return (
    <Layout ui={ui} title={title}>
      <h1>{title}</h1>
      <p>{status === 404 ? ui.t('error.notFound.text') : ui.t('error.badRequest.text', { parameter: parameter ?? '' })}</p>
      {reason ? (
        <p class="detail">
          <code>{reason}</code>
        </p>
      ) : null}
      <p>
        <a href="/">{ui.t('error.back')}</a>
      </p>
    </Layout>
  );
};
