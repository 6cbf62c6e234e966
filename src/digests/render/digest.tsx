import type { FC } from 'hono/jsx';
import { bcp47, countryName, formatDate, languageName, t, type MessageKey, type UiLanguage } from '../../i18n/index.js';
import type { SubscriptionFilter } from '../../subscriptions/model.js';
import type { DigestContent, DigestItem, RenderedMail } from '../content.js';
import { MailDocument, textBlocks, toHtml, underline, wrap } from './layout.js';

/**
 * A digest or alert as an e-mail in the subscriber's language: subject, HTML (table layout, CSS
 * inlined) and a plain-text part with the same content. Reads nothing but `content`.
 */
export function renderDigestEmail(content: DigestContent): RenderedMail {
  const v = digestView(content);
  return { subject: v.subject, html: toHtml(<DigestHtml v={v} />), text: digestText(v) };
}

/**
 * What is followed, as one line of labelled parts ("Themes: Smart specialisation · Languages:
 * Swedish"), in `lang`; `themeLabel` names a theme id (the content carries labels only for themes that
 * have articles). The confirmation mail's `describe` can be made with it too.
 */
export function describeFilter(lang: UiLanguage, filter: SubscriptionFilter, themeLabel: (id: string) => string = (id) => id): string {
  const parts: [MessageKey, string[] | undefined][] = [
    ['mail.label.themes', filter.themes?.map(themeLabel)],
    ['mail.label.languages', filter.languages?.map((code) => languageName(lang, code))],
    ['mail.label.countries', filter.countries?.map((code) => countryName(lang, code))],
    ['mail.label.regions', filter.regions],
    ['mail.label.sources', filter.sources],
    ['mail.label.types', filter.type?.map((type) => t(lang, `type.${type}`))],
    ['mail.label.q', filter.q ? [filter.q] : undefined],
  ];
  const described = parts.filter(([, values]) => values?.length).map(([label, values]) => `${t(lang, label)}: ${values!.join(', ')}`);
  return described.length ? described.join(' · ') : t(lang, 'mail.filter.all');
}

/** Everything both parts show, worked out once so HTML and text cannot disagree. */
interface DigestView {
  c: DigestContent;
  lang: UiLanguage;
  subject: string;
  heading: string;
  window: string;
  follows: string;
  more?: string;
  why: string;
  items: Map<DigestItem, ItemView>;
}

/** One item's lines, in the subscriber's language. */
interface ItemView {
  /** Source names, date and article language, joined by " · ". */
  meta: string;
  /** "Themes: Label (term, term); Label" or undefined. */
  themes?: string;
  regions?: string;
  /** "Also reported by", in the subscriber's language. */
  also: string;
  /** BCP 47 tag of the article's language, for `lang` on its title and summary. */
  tag?: string;
}

function digestView(c: DigestContent): DigestView {
  const lang = c.locale;
  // Matching articles, including those beyond what this e-mail shows (counted in `more`, linked to the web reader).
  const count = c.total + c.more;
  const withTime = c.frequency === 'instant';
  const labels = new Map<string, string>();
  for (const g of c.groups) {
    if (g.themeId) labels.set(g.themeId, g.label);
    for (const item of g.items) for (const th of item.themes) if (!labels.has(th.id)) labels.set(th.id, th.label);
  }
  const items = new Map<DigestItem, ItemView>();
  for (const item of c.groups.flatMap((g) => g.items)) items.set(item, itemView(lang, item));
  return {
    c,
    lang,
    subject: t(lang, `mail.subject.${c.frequency}`, { count }),
    heading: t(lang, `mail.heading.${c.frequency}`),
    window: t(lang, 'mail.window', { count, from: formatDate(lang, c.from, withTime), to: formatDate(lang, c.to, withTime) }),
    follows: describeFilter(lang, c.filter, (id) => labels.get(id) ?? id),
    more: c.more > 0 ? t(lang, 'mail.more', { count: c.more }) : undefined,
    why: t(lang, `mail.why.${c.frequency}`, { email: c.email }),
    items,
  };
}

function itemView(lang: UiLanguage, item: DigestItem): ItemView {
  const tag = bcp47(item.language);
  const meta = [item.sources.map((s) => s.name).join(', '), formatDate(lang, item.publishedAt), tag ? languageName(lang, item.language) : undefined];
  const themes = item.themes.map((th) => (th.terms.length ? `${th.label} (${th.terms.join(', ')})` : th.label)).join('; ');
  return {
    meta: meta.filter(Boolean).join(' · '),
    themes: themes ? `${t(lang, 'mail.label.themes')}: ${themes}` : undefined,
    regions: item.regions.length ? `${t(lang, 'mail.label.regions')}: ${item.regions.join(', ')}` : undefined,
    also: t(lang, 'mail.label.also'),
    tag,
  };
}

/** The links at the foot of every digest, in the order both parts list them. */
const footerLinks = (v: DigestView): [string, string][] => [
  [t(v.lang, 'mail.manage'), v.c.links.manage],
  [t(v.lang, 'mail.unsubscribe'), v.c.links.unsubscribe],
  [t(v.lang, 'mail.web'), v.c.links.web],
  [t(v.lang, 'mail.feed'), v.c.links.feed],
];

const DigestHtml: FC<{ v: DigestView }> = ({ v }) => (
  <MailDocument
    lang={v.lang}
    title={v.subject}
    footer={
      <>
        <p>{v.why}</p>
        <p>
          {footerLinks(v).map(([label, href], i) => (
            <>
              {i > 0 ? ' · ' : null}
              <a href={href}>{label}</a>
            </>
          ))}
        </p>
      </>
    }
  >
    <h1>{v.heading}</h1>
    <p class="window">{v.window}</p>
    <p class="follows">
      <span class="label">{t(v.lang, 'mail.follows')}:</span> {v.follows}
    </p>
    {v.c.groups.map((g) => (
      <>
        <h2>{g.label}</h2>
        {g.items.map((item) => (
          <Item item={item} view={v.items.get(item)!} />
        ))}
      </>
    ))}
    {v.more ? (
      <p class="more">
        <a href={v.c.links.web}>… {v.more}</a>
      </p>
    ) : null}
  </MailDocument>
);

const Item: FC<{ item: DigestItem; view: ItemView }> = ({ item, view }) => (
  <>
    <h3 lang={view.tag}>
      <a href={item.url}>{item.title}</a>
    </h3>
    <p class="meta">{view.meta}</p>
    {view.themes ? <p class="tags">{view.themes}</p> : null}
    {view.regions ? <p class="tags">{view.regions}</p> : null}
    {item.also.length ? (
      <p class="tags">
        {view.also}:{' '}
        {item.also.map((m, i) => (
          <>
            {i ? '; ' : ''}
            <a href={m.url} lang={bcp47(m.language)}>
              {m.source}
            </a>
          </>
        ))}
      </p>
    ) : null}
    {item.summary ? (
      <p class="summary" lang={view.tag}>
        {item.summary}
      </p>
    ) : null}
  </>
);

/** The plain-text part: headings underlined (the top one in capitals), URLs on lines of their own. */
function digestText(v: DigestView): string {
  const item = (it: DigestItem) => {
    const iv = v.items.get(it)!;
    const lines = [wrap(`* ${it.title}`), `  ${it.url}`, wrap(iv.meta, '  ')];
    if (iv.themes) lines.push(wrap(iv.themes, '  '));
    if (iv.regions) lines.push(wrap(iv.regions, '  '));
    if (it.also.length) lines.push(wrap(`${iv.also}:`, '  '), ...it.also.map((m) => `  - ${m.source}: ${m.url}`));
    if (it.summary) lines.push(wrap(it.summary, '  '));
    return lines.join('\n');
  };
  return textBlocks([
    `Regionradar · ${t(v.lang, 'site.tagline')}`,
    `${underline(v.heading.toLocaleUpperCase(v.lang), '=')}\n${v.window}`,
    `${t(v.lang, 'mail.follows')}:\n${wrap(v.follows)}`,
    ...v.c.groups.flatMap((g) => [underline(g.label, '-'), ...g.items.map(item)]),
    v.more && `… ${v.more}:\n${v.c.links.web}`,
    `-- \n${wrap(v.why)}`,
    footerLinks(v)
      .map(([label, href]) => `${label}:\n${href}`)
      .join('\n\n'),
  ]);
}
