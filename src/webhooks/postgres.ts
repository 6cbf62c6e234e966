import type { PoolOptions } from '../store/postgres/open.js';
import { openAdapterPool } from '../store/postgres/adapter.js';
import { newWebhookId, newWebhookSecret, type Webhook, type WebhookInput } from './model.js';
import { iso, toWebhook, type Row } from './rows.js';
import type { WebhookStore, WindowClaim } from './port.js';

/** Advisory-lock key of the webhook store's migrations; spells "rrhook" in ASCII. */
const WEBHOOK_LOCK = 0x7272686f6f6b;

/**
 * The SQLite adapter's table, column for column: the ledger lives in the webhook's own row, one pending
 * window at most (`claim_to`), held by one owner until `lease_until`. Timestamps are ISO-8601 text in
 * UTC, compared bytewise (COLLATE "C") as SQLite compares them.
 */
const MIGRATIONS = [
  `CREATE TABLE webhooks (
    id text COLLATE "C" PRIMARY KEY,
    url text NOT NULL,
    filter_json text NOT NULL,
    format text NOT NULL,
    description text,
    secret text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    last_delivered_until text COLLATE "C",
    failures integer NOT NULL DEFAULT 0,
    last_error text,
    last_failure_at text COLLATE "C",
    last_delivery_at text COLLATE "C",
    claim_to text COLLATE "C",
    claim_owner text,
    lease_until text COLLATE "C"
  )`,
];

const values = (input: WebhookInput) => [input.url, JSON.stringify(input.filter), input.format, input.description ?? null];

/**
 * Webhooks and their delivery ledger in PostgreSQL (DATABASE_URL), for API and worker processes on
 * several hosts: the SQLite adapter's behaviour. A claim reads the webhook's row `FOR UPDATE` in a
 * transaction, so concurrent claimants are served one after the other and each finds the one before
 * it; finishing and failing are single UPDATEs conditional on the holder (and the window), atomic on
 * their own. Opening it applies pending migrations (`webhook_migrations`).
 *
 * @example const webhooks = await createPostgresWebhookStore({ connectionString: env.DATABASE_URL });
 */
export async function createPostgresWebhookStore(opts: PoolOptions): Promise<WebhookStore> {
  const db = await openAdapterPool(opts, { what: 'the webhook store', lock: WEBHOOK_LOCK, table: 'webhook_migrations', migrations: MIGRATIONS });

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
      await db.execute(
        'create',
        'INSERT INTO webhooks (id, url, filter_json, format, description, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [webhook.id, ...values(input), webhook.secret, webhook.createdAt],
      );
      return webhook;
    },
    async get(id) {
      const [row] = await db.query<Row>('get', 'SELECT * FROM webhooks WHERE id = $1', [id]);
      return row && toWebhook(row);
    },
    async list() {
      return (await db.query<Row>('list', 'SELECT * FROM webhooks ORDER BY created_at, id')).map(toWebhook);
    },
    async update(id, input) {
      const [row] = await db.query<Row>(
        'update',
        `UPDATE webhooks SET url = $2, filter_json = $3, format = $4, description = $5, failures = 0, last_error = NULL, last_failure_at = NULL
         WHERE id = $1 RETURNING *`,
        [id, ...values(input)],
      );
      return row && toWebhook(row);
    },
    async remove(id) {
      return (await db.execute('remove', 'DELETE FROM webhooks WHERE id = $1', [id])) > 0;
    },
    async claimWindow(id, req) {
      return db.transaction('claim', async (c): Promise<WindowClaim> => {
        const row = (await c.query<Row>('SELECT * FROM webhooks WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!row) return { kind: 'gone' };
        const now = iso(req.now);
        if (row.claim_owner !== null && row.claim_owner !== req.owner && row.lease_until !== null && row.lease_until > now) return { kind: 'busy' };
        const from = row.last_delivered_until ?? row.created_at;
        const to = row.claim_to ?? iso(req.to);
        if (to <= from) return { kind: 'idle' };
        await c.query('UPDATE webhooks SET claim_to = $2, claim_owner = $3, lease_until = $4 WHERE id = $1', [
          id,
          to,
          req.owner,
          new Date(Date.parse(now) + req.leaseMs).toISOString(),
        ]);
        return { kind: 'claimed', from, to };
      });
    },
    async finishWindow(id, owner, to, deliveredAt) {
      const changed = await db.execute(
        'finish',
        `UPDATE webhooks SET last_delivered_until = $3, failures = 0, last_error = NULL, last_failure_at = NULL,
           last_delivery_at = COALESCE($4, last_delivery_at), claim_to = NULL, claim_owner = NULL, lease_until = NULL
         WHERE id = $1 AND claim_owner = $2 AND claim_to = $3`,
        [id, owner, iso(to), deliveredAt === undefined ? null : iso(deliveredAt)],
      );
      return changed > 0;
    },
    async failWindow(id, owner, error, now = new Date().toISOString()) {
      // Bounded, so a receiver answering a page of HTML cannot grow the row; without NUL, which PostgreSQL
      // text cannot hold (the failure to record would otherwise keep the claim until its lease ran out).
      const changed = await db.execute(
        'fail',
        `UPDATE webhooks SET failures = failures + 1, last_error = $3, last_failure_at = $4, claim_owner = NULL, lease_until = NULL
         WHERE id = $1 AND claim_owner = $2`,
        [id, owner, error.slice(0, 1000).replaceAll('\u0000', ''), iso(now)],
      );
      return changed > 0;
    },
    close: () => db.close(),
  };
}
