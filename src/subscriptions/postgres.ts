import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { PoolOptions } from '../store/postgres/open.js';
import { openAdapterPool } from '../store/postgres/adapter.js';
import { MAX_BOUNCES, type SubscriptionInput } from './model.js';
import type { ClaimRequest, ClaimResult, Finish, SubscriptionStore } from './port.js';
import { FINISHED, toClaim, toSubscription, type LedgerRow, type SubscriptionRow } from './rows.js';

/** Advisory-lock key of the subscribers' migrations; spells "rrsubs" in ASCII. */
const SUBSCRIBER_LOCK = 0x727273756273;

/**
 * The SQLite adapter's tables, column for column. Timestamps stay ISO-8601 text as the port passes
 * them (fixed width in UTC, so text order is time order); ids, periods and timestamps compare bytewise
 * (COLLATE "C"), as SQLite compares them, whatever the database's locale: `listActive` pages by id.
 */
const MIGRATIONS = [
  `CREATE TABLE subscriptions (
    id text COLLATE "C" PRIMARY KEY,
    email text NOT NULL,
    filter_json text NOT NULL,
    frequency text NOT NULL,
    send_weekday integer,
    send_hour integer NOT NULL,
    time_zone text NOT NULL,
    locale text NOT NULL,
    status text NOT NULL,
    paused_reason text,
    bounces integer NOT NULL DEFAULT 0,
    feed_token text NOT NULL UNIQUE,
    created_at text COLLATE "C" NOT NULL,
    confirmed_at text COLLATE "C",
    last_digest_until text COLLATE "C",
    last_period_at text COLLATE "C"
  );
  CREATE INDEX subscriptions_email ON subscriptions (email);
  CREATE INDEX subscriptions_active ON subscriptions (status, frequency, id);
  CREATE INDEX subscriptions_pending ON subscriptions (status, created_at);
  CREATE TABLE digest_ledger (
    subscription_id text COLLATE "C" NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    period text COLLATE "C" NOT NULL,
    period_at text COLLATE "C" NOT NULL,
    window_from text COLLATE "C" NOT NULL,
    window_to text COLLATE "C" NOT NULL,
    state text NOT NULL,
    owner text NOT NULL,
    lease_until text COLLATE "C" NOT NULL,
    articles integer,
    detail text,
    PRIMARY KEY (subscription_id, period)
  );
  CREATE INDEX digest_ledger_period_at ON digest_ledger (period_at);`,
];


const FINISHED_SQL = `('sent', 'empty', 'bounced', 'uncertain')`;

const SET_STATE = 'UPDATE digest_ledger SET state = $3, articles = $4, detail = $5 WHERE subscription_id = $1 AND period = $2';
const MOVE_WINDOW = 'UPDATE subscriptions SET last_digest_until = $2, last_period_at = $3, bounces = CASE WHEN $4::boolean THEN 0 ELSE bounces END WHERE id = $1';

/**
 * Subscribers and their digest ledger in PostgreSQL (DATABASE_URL), for digest workers and API
 * processes on several hosts: the SQLite adapter's behaviour, with its IMMEDIATE transactions made
 * row locks. A claim or a finish locks the subscription's row and then the period's ledger row
 * (`FOR UPDATE`, always in that order, so they cannot deadlock), so two claimants of one period are
 * served one after the other and the second finds the first's claim; `markSending` and `release` are
 * single conditional statements on the ledger row, which wait for a claim holding it and then re-check
 * its owner and state. Opening it applies pending migrations (`subscriber_migrations`).
 *
 * @example const subscriptions = await createPostgresSubscriptionStore({ connectionString: env.DATABASE_URL });
 */
export async function createPostgresSubscriptionStore(opts: PoolOptions): Promise<SubscriptionStore> {
  const db = await openAdapterPool(opts, { what: "the subscribers' database", lock: SUBSCRIBER_LOCK, table: 'subscriber_migrations', migrations: MIGRATIONS });

  const get = async (id: string) => {
    const [r] = await db.query<SubscriptionRow>('get', 'SELECT * FROM subscriptions WHERE id = $1', [id]);
    return r ? toSubscription(r) : undefined;
  };
  const getIn = async (c: pg.PoolClient, id: string, lock: boolean) => {
    const { rows } = await c.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toSubscription(rows[0]) : undefined;
  };
  const lockLedgerRow = async (c: pg.PoolClient, id: string, period: string) =>
    (await c.query<LedgerRow>('SELECT * FROM digest_ledger WHERE subscription_id = $1 AND period = $2 FOR UPDATE', [id, period])).rows[0];
  const leaseEnd = (now: string, ms: number) => new Date(Date.parse(now) + ms).toISOString();
  const choices = (c: Omit<SubscriptionInput, 'email'>) => [JSON.stringify(c.filter), c.frequency, c.sendAt.weekday ?? null, c.sendAt.hour, c.timeZone, c.locale];

  return {
    async create(input, now) {
      const id = randomBytes(16).toString('base64url').slice(0, 22);
      const [r] = await db.query<SubscriptionRow>(
        'create',
        `INSERT INTO subscriptions (id, email, filter_json, frequency, send_weekday, send_hour, time_zone, locale, status, bounces, feed_token, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10) RETURNING *`,
        [id, input.email, ...choices(input), randomBytes(24).toString('base64url'), now],
      );
      return toSubscription(r!);
    },
    get,
    async getByFeedToken(token) {
      const [r] = await db.query<SubscriptionRow>('get', 'SELECT * FROM subscriptions WHERE feed_token = $1', [token]);
      return r ? toSubscription(r) : undefined;
    },
    async findByEmail(email) {
      return (await db.query<SubscriptionRow>('find', 'SELECT * FROM subscriptions WHERE email = $1 ORDER BY created_at, id', [email.trim().toLowerCase()])).map(toSubscription);
    },
    async listActive(frequency, afterId, limit) {
      const rows = await db.query<SubscriptionRow>(
        'list',
        "SELECT * FROM subscriptions WHERE status = 'active' AND frequency = $1 AND id > $2 ORDER BY id LIMIT $3",
        [frequency, afterId ?? '', limit],
      );
      return rows.map(toSubscription);
    },
    async confirm(id, now) {
      await db.execute('confirm', "UPDATE subscriptions SET status = 'active', confirmed_at = $2 WHERE id = $1 AND status = 'pending'", [id, now]);
      return get(id);
    },
    async update(id, c) {
      const [r] = await db.query<SubscriptionRow>(
        'update',
        'UPDATE subscriptions SET filter_json = $2, frequency = $3, send_weekday = $4, send_hour = $5, time_zone = $6, locale = $7 WHERE id = $1 RETURNING *',
        [id, ...choices(c)],
      );
      return r ? toSubscription(r) : undefined;
    },
    async setPaused(id, paused, reason) {
      if (paused) await db.execute('pause', "UPDATE subscriptions SET status = 'paused', paused_reason = $2 WHERE id = $1 AND status <> 'pending'", [id, reason ?? null]);
      else await db.execute('pause', "UPDATE subscriptions SET status = 'active', paused_reason = NULL, bounces = 0 WHERE id = $1 AND status = 'paused'", [id]);
      return get(id);
    },
    async remove(id) {
      return (await db.execute('delete', 'DELETE FROM subscriptions WHERE id = $1', [id])) > 0;
    },
    async removeByEmail(email) {
      return db.execute('delete', 'DELETE FROM subscriptions WHERE email = $1', [email.trim().toLowerCase()]);
    },
    async claimPeriod(req: ClaimRequest) {
      return db.transaction('claim', async (c): Promise<ClaimResult> => {
        const sub = await getIn(c, req.subscriptionId, true);
        if (!sub || sub.status !== 'active') return { kind: 'inactive' };
        const row = await lockLedgerRow(c, req.subscriptionId, req.period);
        if (!row) {
          const from = sub.lastDigestUntil ?? sub.confirmedAt ?? sub.createdAt;
          const to = req.to > from ? req.to : from;
          const { rows } = await c.query<LedgerRow>(
            `INSERT INTO digest_ledger (subscription_id, period, period_at, window_from, window_to, state, owner, lease_until)
             VALUES ($1, $2, $3, $4, $5, 'claimed', $6, $7) RETURNING *`,
            [req.subscriptionId, req.period, req.periodAt, from, to, req.owner, leaseEnd(req.now, req.leaseMs)],
          );
          return { kind: 'claimed', claim: toClaim(rows[0]!) };
        }
        const claim = toClaim(row);
        if (FINISHED.includes(claim.state)) return { kind: 'done', claim };
        if (claim.owner !== req.owner && claim.leaseUntil > req.now) return { kind: 'busy', claim };
        if (claim.state === 'sending') {
          // Its worker stopped between handing the message to SMTP and recording the answer: it may have gone out.
          const detail = `the worker ${claim.owner} stopped while handing this digest to SMTP; not sent again`;
          await c.query(SET_STATE, [req.subscriptionId, req.period, 'uncertain', null, detail]);
          await c.query(MOVE_WINDOW, [req.subscriptionId, claim.to, claim.periodAt, false]);
          return { kind: 'uncertain', claim: { ...claim, state: 'uncertain', detail } };
        }
        const leaseUntil = leaseEnd(req.now, req.leaseMs);
        await c.query('UPDATE digest_ledger SET owner = $3, lease_until = $4 WHERE subscription_id = $1 AND period = $2', [req.subscriptionId, req.period, req.owner, leaseUntil]);
        return { kind: 'claimed', claim: { ...claim, owner: req.owner, leaseUntil } };
      });
    },
    async markSending(id, period, owner) {
      const changed = await db.execute(
        'mark',
        "UPDATE digest_ledger SET state = 'sending' WHERE subscription_id = $1 AND period = $2 AND owner = $3 AND state = 'claimed'",
        [id, period, owner],
      );
      return changed === 1;
    },
    async finish(id, period, owner, how: Finish) {
      return db.transaction('finish', async (c) => {
        // The subscription first, then the ledger row: the order claimPeriod locks them in.
        const sub = await getIn(c, id, true);
        const row = sub && (await lockLedgerRow(c, id, period));
        if (!row || row.owner !== owner || FINISHED.includes(row.state)) return sub;
        if (how.state === 'bounced') {
          await c.query(SET_STATE, [id, period, 'bounced', null, how.reason]);
          await c.query(
            `UPDATE subscriptions SET last_period_at = $2, bounces = bounces + 1,
               status = CASE WHEN bounces + 1 >= ${MAX_BOUNCES} THEN 'paused' ELSE status END,
               paused_reason = CASE WHEN bounces + 1 >= ${MAX_BOUNCES} THEN $3 ELSE paused_reason END
             WHERE id = $1`,
            [id, row.period_at, `delivery failed ${MAX_BOUNCES} times in a row; last: ${how.reason}`],
          );
        } else {
          await c.query(SET_STATE, [id, period, how.state, how.state === 'sent' ? how.articles : 0, null]);
          await c.query(MOVE_WINDOW, [id, row.window_to, row.period_at, how.state === 'sent']);
        }
        return getIn(c, id, false);
      });
    },
    async release(id, period, owner) {
      await db.execute('release', "DELETE FROM digest_ledger WHERE subscription_id = $1 AND period = $2 AND owner = $3 AND state IN ('claimed', 'sending')", [id, period, owner]);
    },
    async ledger(id, limit) {
      return (await db.query<LedgerRow>('ledger', 'SELECT * FROM digest_ledger WHERE subscription_id = $1 ORDER BY period_at DESC LIMIT $2', [id, limit])).map(toClaim);
    },
    async prune(o) {
      const ledger = await db.execute('prune', `DELETE FROM digest_ledger WHERE period_at < $1 AND state IN ${FINISHED_SQL}`, [o.ledgerBefore]);
      const pending = await db.execute('prune', "DELETE FROM subscriptions WHERE status = 'pending' AND created_at < $1", [o.pendingBefore]);
      return { ledger, pending };
    },
    close: () => db.close(),
  };
}
