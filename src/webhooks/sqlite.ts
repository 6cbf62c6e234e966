import { openSqlite, sqliteGuard } from '../store/sqlite/open.js';
import { newWebhookId, newWebhookSecret, type Webhook, type WebhookInput } from './model.js';
import { iso, toWebhook, type Row } from './rows.js';
import type { WebhookStore, WindowClaim, WindowClaimRequest } from './port.js';


// The ledger lives in the webhook's own row: one pending window at most per webhook (`claim_to`),
// held by one owner until `lease_until`. CREATE IF NOT EXISTS, no user_version: the file may be
// shared with other stores that number their own migrations.
const SCHEMA = `CREATE TABLE IF NOT EXISTS webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  filter_json TEXT NOT NULL,
  format TEXT NOT NULL,
  description TEXT,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_delivered_until TEXT,   -- end of the last finished window
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_failure_at TEXT,
  last_delivery_at TEXT,
  claim_to TEXT,               -- end of the pending window: fixed at its first claim, kept when it fails
  claim_owner TEXT,            -- NULL: nobody holds the pending window
  lease_until TEXT
)`;

/**
 * Webhooks in SQLite (`webhooks.sqlite` in DATA_DIR, or a file shared with other stores), read by the
 * API and every worker. Claims run in an IMMEDIATE transaction, which takes the database's write lock
 * before reading, so two processes claiming one window cannot both win. ':memory:' is the test store.
 *
 * @example
 *   const webhooks = createSqliteWebhookStore(join(env.DATA_DIR, 'webhooks.sqlite'));
 *   const hook = await webhooks.create({ url: 'https://hooks.slack.com/services/…', filter: {}, format: 'slack' }, new Date().toISOString());
 */
export function createSqliteWebhookStore(file: string): WebhookStore {
  const db = openSqlite(file, 'the webhook store', (d) => d.exec(SCHEMA));

  const selectOne = db.prepare<[string], Row>('SELECT * FROM webhooks WHERE id = ?');
  const selectAll = db.prepare<[], Row>('SELECT * FROM webhooks ORDER BY created_at, id');
  const insert = db.prepare(
    `INSERT INTO webhooks (id, url, filter_json, format, description, secret, created_at)
     VALUES (@id, @url, @filter, @format, @description, @secret, @createdAt)`,
  );
  const change = db.prepare(
    `UPDATE webhooks SET url = @url, filter_json = @filter, format = @format, description = @description,
       failures = 0, last_error = NULL, last_failure_at = NULL
     WHERE id = @id`,
  );
  const del = db.prepare<[string]>('DELETE FROM webhooks WHERE id = ?');
  const take = db.prepare(
    'UPDATE webhooks SET claim_to = @to, claim_owner = @owner, lease_until = @leaseUntil WHERE id = @id',
  );
  const finish = db.prepare(
    `UPDATE webhooks SET last_delivered_until = @to, failures = 0, last_error = NULL, last_failure_at = NULL,
       last_delivery_at = COALESCE(@deliveredAt, last_delivery_at),
       claim_to = NULL, claim_owner = NULL, lease_until = NULL
     WHERE id = @id AND claim_owner = @owner AND claim_to = @to`,
  );
  const fail = db.prepare(
    `UPDATE webhooks SET failures = failures + 1, last_error = @error, last_failure_at = @now, claim_owner = NULL, lease_until = NULL
     WHERE id = @id AND claim_owner = @owner`,
  );

  /** Runs one statement group, turning SQLite's errors (a lock held past busy_timeout, a full disk) into StoreError. */
  const guard = sqliteGuard('the webhook store');

  const values = (input: WebhookInput) => ({
    url: input.url,
    filter: JSON.stringify(input.filter),
    format: input.format,
    description: input.description ?? null,
  });

  const claim = db.transaction((id: string, req: WindowClaimRequest): WindowClaim => {
    const row = selectOne.get(id);
    if (!row) return { kind: 'gone' };
    const now = iso(req.now);
    if (row.claim_owner !== null && row.claim_owner !== req.owner && row.lease_until !== null && row.lease_until > now) return { kind: 'busy' };
    const from = row.last_delivered_until ?? row.created_at;
    const to = row.claim_to ?? iso(req.to);
    if (to <= from) return { kind: 'idle' };
    take.run({ id, to, owner: req.owner, leaseUntil: new Date(Date.parse(now) + req.leaseMs).toISOString() });
    return { kind: 'claimed', from, to };
  });

  return {
    async create(input, now) {
      const webhook: Webhook = {
        id: newWebhookId(),
        url: input.url,
        filter: input.filter,
        format: input.format,
        ...(input.description !== undefined ? { description: input.description } : {}),
        secret: newWebhookSecret(),
        createdAt: iso(now),
        failures: 0,
      };
      guard('create', () => insert.run({ id: webhook.id, ...values(input), secret: webhook.secret, createdAt: webhook.createdAt }));
      return webhook;
    },
    async get(id) {
      const row = guard('get', () => selectOne.get(id));
      return row && toWebhook(row);
    },
    async list() {
      return guard('list', () => selectAll.all()).map(toWebhook);
    },
    async update(id, input) {
      const changed = guard('update', () => change.run({ id, ...values(input) }).changes);
      if (!changed) return undefined;
      return toWebhook(guard('update', () => selectOne.get(id))!);
    },
    async remove(id) {
      return guard('remove', () => del.run(id).changes) > 0;
    },
    async claimWindow(id, req) {
      return guard('claim', () => claim.immediate(id, req));
    },
    async finishWindow(id, owner, to, deliveredAt) {
      return guard('finish', () => finish.run({ id, owner, to: iso(to), deliveredAt: deliveredAt === undefined ? null : iso(deliveredAt) }).changes) > 0;
    },
    async failWindow(id, owner, error, now = new Date().toISOString()) {
      // Bounded, so a receiver answering a page of HTML cannot grow the row.
      return guard('fail', () => fail.run({ id, owner, error: error.slice(0, 1000), now: iso(now) }).changes) > 0;
    },
    async close() {
      db.close();
    },
  };
}
