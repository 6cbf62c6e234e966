import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import { createStaticCatalogue } from '../../../src/sources/catalogue.js';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import { createSqliteSubscriptionStore } from '../../../src/subscriptions/sqlite.js';
import { subscriptionLinks } from '../../../src/subscriptions/links.js';
import { MAX_PENDING_PER_ADDRESS } from '../../../src/api/subscribe.js';
import { createLogger } from '../../../src/observability/log.js';
import { shippedConfig } from '../../helpers/config.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';

const config = shippedConfig();
const SECRET = 's'.repeat(40);

function instance() {
  const subscriptions = createSqliteSubscriptionStore(':memory:');
  const confirmations: string[] = [];
  const app = createApp({
    store: createSqliteStore(':memory:'),
    state: createMemoryFetchState(),
    catalogue: createStaticCatalogue(config.sources),
    taxonomy: config.taxonomy,
    gazetteer: config.gazetteer,
    redisReady: async () => true,
    log: createLogger('silent'),
    subscriptions: { store: subscriptions, secret: SECRET, links: subscriptionLinks('https://radar.example', SECRET), requestConfirmation: async (id) => void confirmations.push(id) },
  });
  const post = (body: unknown) => app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { app, post, subscriptions, confirmations };
}

describe('POST /api/subscriptions', () => {
  it('answers 202 with nothing that identifies the subscription, stores it pending and asks for its confirmation', async () => {
    const { post, subscriptions, confirmations } = instance();
    const res = await post({ email: 'Radgiver@Nfk.no', filter: { themes: ['smart-specialisation', 'bioeconomy'], regions: ['NO-18', 'SE-AC'] }, frequency: 'weekly', sendAt: { weekday: 1, hour: 7 }, locale: 'nn' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['detail', 'status']);
    const [sub] = await subscriptions.findByEmail('radgiver@nfk.no');
    expect(sub).toMatchObject({ status: 'pending', locale: 'nn', timeZone: 'Europe/Oslo', filter: { themes: ['smart-specialisation', 'bioeconomy'], regions: ['NO-18', 'SE-AC'] } });
    expect(JSON.stringify(body)).not.toContain(sub!.id);
    expect(confirmations).toEqual([sub!.id]);
  });

  it('names the field at fault: malformed, unknown, or naming a theme, region or source nobody configured', async () => {
    const { post, subscriptions } = instance();
    const cases: Array<[unknown, string]> = [
      [{ email: 'not-an-address' }, 'email'],
      [{ email: 'a@b.no', filter: { themes: ['smart-spesialisation'] } }, 'filter.themes'],
      [{ email: 'a@b.no', filter: { regions: ['NO-99'] } }, 'filter.regions'],
      [{ email: 'a@b.no', filter: { sources: ['no-such-source'] } }, 'filter.sources'],
      [{ email: 'a@b.no', sendAt: { hour: 24 } }, 'sendAt.hour'],
      [{ email: 'a@b.no', timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [{ email: 'a@b.no', frequency: 'hourly' }, 'frequency'],
      [{ email: 'a@b.no', admin: true }, 'admin'],
      ['{not json', '(body)'],
    ];
    for (const [body, parameter] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { parameter: string }).parameter).toBe(parameter);
    }
    expect(await subscriptions.findByEmail('a@b.no')).toEqual([]);
  });

  it('makes one record of the same request, sends nothing to an active twin, and caps unconfirmed subscriptions per address', async () => {
    const { post, subscriptions, confirmations } = instance();
    const body = { email: 'x@example.no', filter: { themes: ['bioeconomy'] } };
    await post(body);
    await post(body);
    const [sub] = await subscriptions.findByEmail('x@example.no');
    expect(await subscriptions.findByEmail('x@example.no')).toHaveLength(1);
    expect(confirmations).toEqual([sub!.id, sub!.id]);
    await subscriptions.confirm(sub!.id, new Date().toISOString());
    expect((await post(body)).status).toBe(202);
    expect(confirmations).toHaveLength(2);
    const themes = config.taxonomy.themes.map((t) => t.id);
    for (const theme of themes.slice(1, MAX_PENDING_PER_ADDRESS + 3)) expect((await post({ email: 'x@example.no', filter: { themes: [theme] } })).status).toBe(202);
    expect((await subscriptions.findByEmail('x@example.no')).filter((s) => s.status === 'pending')).toHaveLength(MAX_PENDING_PER_ADDRESS);
  });

  it('is absent when subscriptions are off', async () => {
    const app = createApp({ store: createSqliteStore(':memory:'), state: createMemoryFetchState(), catalogue: createStaticCatalogue(config.sources), taxonomy: config.taxonomy, redisReady: async () => true, log: createLogger('silent') });
    expect((await app.request('/api/subscriptions', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await app.request('/subscriptions/manage?token=x')).status).toBe(404);
  });
});
