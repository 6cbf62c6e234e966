import type { FC } from 'hono/jsx';
import { UI_LANGUAGES, UI_LANGUAGE_NAMES } from '../../../i18n/index.js';
import { LANGUAGE_CODES } from '../../../model/source.js';
import { FREQUENCIES, type Frequency, type SendAt, type Subscription } from '../../../subscriptions/model.js';
import { Layout, type Alternate } from './layout.js';
import { FeedLinks } from './partials.js';
import type { Ui } from './ui.js';

/** Weekday names 1 (Monday) … 7 (Sunday) in the interface language, from Intl (2024-01-01 was a Monday). */
const weekdays = (ui: Ui) => [1, 2, 3, 4, 5, 6, 7].map((d) => [d, new Intl.DateTimeFormat(ui.lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)))] as const);
const hours = Array.from({ length: 24 }, (_, h) => h);
/** The time zone a new subscription starts in, by the reader's language; the manage page changes it. */
const ZONE_OF_LANGUAGE: Record<Ui['lang'], string> = { nb: 'Europe/Oslo', nn: 'Europe/Oslo', sv: 'Europe/Stockholm', da: 'Europe/Copenhagen', fi: 'Europe/Helsinki', en: 'Europe/Oslo' };

/** How often, on which day and at which hour: shared by the subscribe form and the manage page. */
const WhenFields: FC<{ ui: Ui; id: string; frequency: Frequency; sendAt: SendAt; locale: string; timeZone?: string }> = ({ ui, id, frequency, sendAt, locale, timeZone }) => (
  <>
    <fieldset>
      <legend>{ui.t('subscribe.frequency')}</legend>
      {FREQUENCIES.map((f) => (
        <label class="choice">
          <input type="radio" name="frequency" value={f} checked={f === frequency} /> {ui.t(`subscribe.freq.${f}`)}
        </label>
      ))}
    </fieldset>
    <p class="field">
      <label for={`${id}-weekday`}>{ui.t('subscribe.weekday')}</label>
      <select id={`${id}-weekday`} name="weekday">
        {weekdays(ui).map(([d, name]) => (
          <option value={String(d)} selected={d === (sendAt.weekday ?? 1)}>
            {name}
          </option>
        ))}
      </select>
    </p>
    <p class="field">
      <label for={`${id}-hour`}>{ui.t('subscribe.hour')}</label>
      <select id={`${id}-hour`} name="hour">
        {hours.map((h) => (
          <option value={String(h)} selected={h === sendAt.hour}>{`${String(h).padStart(2, '0')}:00`}</option>
        ))}
      </select>
    </p>
    {timeZone === undefined ? (
      <input type="hidden" name="timeZone" value={ZONE_OF_LANGUAGE[ui.lang]} />
    ) : (
      <p class="field">
        <label for={`${id}-tz`}>{ui.t('subscribe.timeZone')}</label>
        <input id={`${id}-tz`} name="timeZone" value={timeZone} autocomplete="off" />
      </p>
    )}
    <p class="field">
      <label for={`${id}-locale`}>{ui.t('subscribe.language')}</label>
      <select id={`${id}-locale`} name="locale">
        {UI_LANGUAGES.map((l) => (
          <option value={l} selected={l === locale} lang={l}>
            {UI_LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </p>
  </>
);

/** The view's filter as hidden fields, and the address of its digest preview. */
export interface SubscribeData {
  filter: [string, string][];
  preview: string;
}

/**
 * "Subscribe by e-mail" for the view on screen: the view's filters travel as hidden fields, so what is
 * subscribed to is what the reader sees.
 */
export const SubscribeForm: FC<{ ui: Ui; filter: [string, string][]; preview: string }> = ({ ui, filter, preview }) => (
  <form method="post" action="/subscriptions" class="subscribe" aria-labelledby="subscribe-heading">
    <h2 id="subscribe-heading">{ui.t('subscribe.heading')}</h2>
    {filter.map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <p class="field">
      <label for="s-email">{ui.t('subscribe.email')}</label>
      <input id="s-email" type="email" name="email" required autocomplete="email" />
    </p>
    <WhenFields ui={ui} id="s" frequency="weekly" sendAt={{ weekday: 1, hour: 7 }} locale={ui.lang} />
    <p>
      <button type="submit">{ui.t('subscribe.submit')}</button>
    </p>
    <p>
      <small>{ui.t('subscribe.privacy')}</small>
    </p>
    <p>
      <a href={preview}>{ui.t('subscribe.preview')}</a>
    </p>
  </form>
);

/** A page that says one thing (sent, confirmed, unsubscribed, invalid link), with an optional link on. */
export const NoticePage: FC<{ ui: Ui; title: string; text: string; link?: { href: string; label: string } }> = ({ ui, title, text, link }) => (
  <Layout ui={ui} title={title}>
    <h1>{title}</h1>
    <p role="status">{text}</p>
    <p>{link ? <a href={link.href}>{link.label}</a> : <a href="/">{ui.t('error.back')}</a>}</p>
  </Layout>
);

/** The confirmation link's page: confirming is a button (a POST), so link scanners that fetch URLs in mail confirm nothing. */
export const ConfirmPage: FC<{ ui: Ui; email: string; describe: string; token: string }> = ({ ui, email, describe, token }) => (
  <Layout ui={ui} title={ui.t('confirm.title')}>
    <h1>{ui.t('confirm.title')}</h1>
    <p>{ui.t('confirm.text', { email })}</p>
    <p>
      <strong>{describe}</strong>
    </p>
    <form method="post" action="/subscriptions/confirm">
      <input type="hidden" name="token" value={token} />
      <button type="submit">{ui.t('confirm.button')}</button>
    </form>
  </Layout>
);

/** The unsubscribe link's page for a browser (a mail client's one-click POST goes straight to the same URL). */
export const UnsubscribePage: FC<{ ui: Ui; email: string; action: string }> = ({ ui, email, action }) => (
  <Layout ui={ui} title={ui.t('unsubscribe.title')}>
    <h1>{ui.t('unsubscribe.title')}</h1>
    <p>{ui.t('unsubscribe.text', { email })}</p>
    <form method="post" action={action}>
      <input type="hidden" name="List-Unsubscribe" value="One-Click" />
      <button type="submit">{ui.t('unsubscribe.button')}</button>
    </form>
  </Layout>
);

export interface ManageData {
  sub: Subscription;
  token: string;
  describe: string;
  themes: { id: string; label: string }[];
  feeds: Alternate[];
  unsubscribe: string;
  saved?: boolean;
}

const Checkboxes: FC<{ legend: string; name: string; options: [string, string][]; checked: readonly string[] | undefined }> = ({ legend, name, options, checked }) => (
  <fieldset>
    <legend>{legend}</legend>
    {options.map(([value, label]) => (
      <label class="choice">
        <input type="checkbox" name={name} value={value} checked={!!checked?.includes(value)} /> {label}
      </label>
    ))}
  </fieldset>
);

const TextList: FC<{ id: string; name: string; label: string; values: readonly string[] | undefined; hint?: string }> = ({ id, name, label, values, hint }) => (
  <p class="field">
    <label for={id}>{label}</label>
    <input id={id} name={name} value={(values ?? []).join(', ')} aria-describedby={hint ? `${id}-hint` : undefined} />
    {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
  </p>
);

/** The manage page: what is followed, when, in which language; pause or resume; unsubscribe; the private feeds. */
export const ManagePage: FC<{ ui: Ui; data: ManageData }> = ({ ui, data }) => {
  const { sub } = data;
  const status = ui.t(`manage.status.${sub.status}`);
  return (
    <Layout ui={ui} title={ui.t('manage.title')}>
      <h1>{ui.t('manage.title')}</h1>
      {data.saved ? <p role="status">{ui.t('manage.saved')}</p> : null}
      <dl class="facts">
        <dt>{ui.t('subscribe.email')}</dt>
        <dd>{sub.email}</dd>
        <dt>{ui.t('manage.status')}</dt>
        <dd>{sub.status === 'paused' && sub.pausedReason ? ui.t('manage.pausedBecause', { reason: sub.pausedReason }) : status}</dd>
        <dt>{ui.t('manage.filter')}</dt>
        <dd>{data.describe}</dd>
      </dl>
      <form method="post" action="/subscriptions/manage" class="manage">
        <input type="hidden" name="token" value={data.token} />
        <input type="hidden" name="action" value="save" />
        <h2>{ui.t('manage.filter')}</h2>
        <Checkboxes legend={ui.t('filter.theme')} name="theme" options={data.themes.map((t) => [t.id, t.label])} checked={sub.filter.themes} />
        <Checkboxes legend={ui.t('filter.language')} name="lang" options={LANGUAGE_CODES.map((l) => [l, ui.language(l)])} checked={sub.filter.languages} />
        <TextList id="m-region" name="region" label={ui.t('filter.region')} values={sub.filter.regions} hint={ui.t('filter.regionHint')} />
        <TextList id="m-country" name="country" label={ui.t('filter.country')} values={sub.filter.countries} />
        <TextList id="m-source" name="source" label={ui.t('filter.source')} values={sub.filter.sources} />
        <Checkboxes legend={ui.t('filter.type')} name="type" options={[['consultation', ui.t('type.consultation')]]} checked={sub.filter.type} />
        <p class="field">
          <label for="m-q">{ui.t('mail.label.q')}</label>
          <input id="m-q" name="q" value={sub.filter.q ?? ''} />
        </p>
        <WhenFields ui={ui} id="m" frequency={sub.frequency} sendAt={sub.sendAt} locale={sub.locale} timeZone={sub.timeZone} />
        <p>
          <button type="submit">{ui.t('manage.save')}</button>
        </p>
      </form>
      {sub.status === 'pending' ? null : (
        <form method="post" action="/subscriptions/manage">
          <input type="hidden" name="token" value={data.token} />
          <input type="hidden" name="action" value={sub.status === 'paused' ? 'resume' : 'pause'} />
          <button type="submit">{ui.t(sub.status === 'paused' ? 'manage.resume' : 'manage.pause')}</button>
        </form>
      )}
      <p>
        <a href={data.unsubscribe}>{ui.t('unsubscribe.title')}</a>
      </p>
      <FeedLinks ui={ui} feeds={data.feeds} heading="manage.feeds" hint="manage.feedsHint" />
    </Layout>
  );
};
