import type { FC } from 'hono/jsx';
import { SubscribeForm, type SubscribeData } from './subscriptions.js';
import { Layout, type Alternate } from './layout.js';
import { ArticleItem, FeedLinks, Pager, type ArticleData } from './partials.js';
import type { Ui } from './ui.js';

/** The filter form's current values (the first of each list) and its choices. */
export interface FilterForm {
  values: Partial<Record<'theme' | 'lang' | 'country' | 'region' | 'source' | 'type' | 'since' | 'until', string>>;
  themes: { id: string; label: string }[];
  languages: string[];
  countries: string[];
  /** Regions from the gazetteer; without it the region is typed as a code. */
  regions?: { code: string; name: string }[];
  sources: { id: string; name: string }[];
  types: string[];
}

export interface StreamData {
  form: FilterForm;
  items: ArticleData[];
  next?: string;
  first?: string;
  feeds: Alternate[];
  /** The subscribe form, when subscriptions are on. */
  subscribe?: SubscribeData;
}

const Select: FC<{ name: string; label: string; any: string; value?: string; options: [string, string][] }> = ({ name, label, any, value, options }) => (
  <p class="field">
    <label for={`f-${name}`}>{label}</label>
    <select id={`f-${name}`} name={name}>
      <option value="">{any}</option>
      {options.map(([v, text]) => (
        <option value={v} selected={v === value}>
          {text}
        </option>
      ))}
    </select>
  </p>
);

/** The GET filter form: its result is a bookmarkable URL of this page. */
export const Filters: FC<{ ui: Ui; form: FilterForm }> = ({ ui, form }) => {
  const v = form.values;
  const any = ui.t('filter.any');
  return (
    <form method="get" action="/" class="filters">
      <fieldset>
        <legend>{ui.t('filter.legend')}</legend>
        <Select name="theme" label={ui.t('filter.theme')} any={any} value={v.theme} options={form.themes.map((t) => [t.id, t.label])} />
        <Select name="lang" label={ui.t('filter.language')} any={any} value={v.lang} options={form.languages.map((l) => [l, ui.language(l)])} />
        <Select name="country" label={ui.t('filter.country')} any={any} value={v.country} options={form.countries.map((c) => [c, ui.country(c)])} />
        {form.regions ? (
          <Select name="region" label={ui.t('filter.region')} any={any} value={v.region} options={form.regions.map((r) => [r.code, r.name])} />
        ) : (
          <p class="field">
            <label for="f-region">{ui.t('filter.region')}</label>
            <input id="f-region" name="region" value={v.region ?? ''} pattern="[A-Z]{2}-[A-Z0-9]{1,3}" aria-describedby="f-region-hint" />
            <small id="f-region-hint">{ui.t('filter.regionHint')}</small>
          </p>
        )}
        <Select name="source" label={ui.t('filter.source')} any={any} value={v.source} options={form.sources.map((s) => [s.id, s.name])} />
        <Select name="type" label={ui.t('filter.type')} any={any} value={v.type} options={form.types.map((t) => [t, ui.t('type.consultation')])} />
        <p class="field">
          <label for="f-since">{ui.t('filter.since')}</label>
          <input id="f-since" type="date" name="since" value={v.since ?? ''} />
        </p>
        <p class="field">
          <label for="f-until">{ui.t('filter.until')}</label>
          <input id="f-until" type="date" name="until" value={v.until ?? ''} />
        </p>
        <p class="actions">
          <button type="submit">{ui.t('filter.apply')}</button> <a href="/">{ui.t('filter.reset')}</a>
        </p>
      </fieldset>
    </form>
  );
};

/** `/`: the combined stream, newest first. */
export const StreamPage: FC<{ ui: Ui; data: StreamData }> = ({ ui, data }) => (
  <Layout ui={ui} title={ui.t('stream.heading')} alternates={data.feeds}>
    <h1>{ui.t('stream.heading')}</h1>
    <div class="columns">
      <div class="side">
        <Filters ui={ui} form={data.form} />
        <FeedLinks ui={ui} feeds={data.feeds} />
        {data.subscribe ? <SubscribeForm ui={ui} filter={data.subscribe.filter} preview={data.subscribe.preview} /> : null}
      </div>
      <section class="list" aria-labelledby="list-heading">
        <h2 id="list-heading" class="count">
          {data.items.length ? ui.t('stream.count', { count: data.items.length }) : ui.t('stream.empty')}
        </h2>
        <ol class="items">
          {data.items.map((a) => (
            <ArticleItem ui={ui} a={a} />
          ))}
        </ol>
        <Pager ui={ui} next={data.next} first={data.first} nextLabel={ui.t('paging.next')} />
      </section>
    </div>
  </Layout>
);
