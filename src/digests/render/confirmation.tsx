import { t, type UiLanguage } from '../../i18n/index.js';
import type { Frequency } from '../../subscriptions/model.js';
import type { RenderedMail } from '../content.js';
import { Button, MailDocument, textBlocks, toHtml, underline, wrap } from './layout.js';

/** What the double opt-in mail needs; `describe` is what is followed, already in `locale` (see describeFilter). */
export interface ConfirmationInput {
  locale: UiLanguage;
  email: string;
  confirmUrl: string;
  frequency: Frequency;
  describe: string;
  expiresHours: number;
}

/**
 * The double opt-in mail: who asked for what, one confirm link drawn as a button (and written out for
 * clients that do not show it), that nothing is sent before confirming, and when the link expires.
 */
export function renderConfirmationEmail(input: ConfirmationInput): RenderedMail {
  const lang = input.locale;
  const subject = t(lang, 'mail.confirm.subject');
  const heading = t(lang, 'mail.confirm.heading');
  const intro = t(lang, `mail.confirm.intro.${input.frequency}`, { email: input.email });
  const follows = t(lang, 'mail.follows');
  const button = t(lang, 'mail.confirm.button');
  const nothing = t(lang, 'mail.confirm.nothing');
  const expires = t(lang, 'mail.confirm.expires', { count: input.expiresHours });
  const fallback = t(lang, 'mail.confirm.fallback');
  const why = t(lang, 'mail.confirm.why', { email: input.email });

  const html = toHtml(
    <MailDocument lang={lang} title={subject} footer={<p>{why}</p>}>
      <h1>{heading}</h1>
      <p>{intro}</p>
      <p class="follows">
        <span class="label">{follows}:</span> {input.describe}
      </p>
      <Button href={input.confirmUrl}>{button}</Button>
      <p>
        {nothing} {expires}
      </p>
      <p class="fallback">
        {fallback}
        <br />
        <a href={input.confirmUrl}>{input.confirmUrl}</a>
      </p>
    </MailDocument>,
  );

  const text = textBlocks([
    `Regionradar · ${t(lang, 'site.tagline')}`,
    underline(heading.toLocaleUpperCase(lang), '='),
    wrap(intro),
    `${follows}:\n${wrap(input.describe)}`,
    `${button}:\n${input.confirmUrl}`,
    wrap(`${nothing} ${expires}`),
    `-- \n${wrap(why)}`,
  ]);
  return { subject, html, text };
}
