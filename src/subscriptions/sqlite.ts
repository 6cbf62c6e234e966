import { randomBytes } from 'node:crypto';
import { openSqlite, sqliteGuard } from '../store/sqlite/open.js';
import { MAX_BOUNCES, type Subscription, type SubscriptionInput } from './model.js';
import type { ClaimRequest, ClaimResult, Finish, SubscriptionStore } from './port.js';
import { FINISHED, toClaim, toSubscription, type LedgerRow, type SubscriptionRow } from './rows.js';

/**
 * Tables of the subscribers' database. Created if missing (the file is shared with the webhooks' table,
 * so no store owns `user_version`); a later change adds its own `ALTER TABLE` guarded by a column check.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS subscriptions (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  filter_json TEXT NOT NULL,
  frequency TEXT NOT NULL,
  send_weekday INTEGER,
  send_hour INTEGER NOT NULL,
  time_zone TEXT NOT NULL,
  locale TEXT NOT NULL,
  status TEXT NOT NULL,
  paused_reason TEXT,
  bounces INTEGER NOT NULL DEFAULT 0,
  feed_token TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  confirmed_at TEXT,
  last_digest_until TEXT,
  last_period_at TEXT
);
CREATE INDEX IF NOT EXISTS subscriptions_email ON subscriptions (email);
CREATE INDEX IF NOT EXISTS subscriptions_active ON subscriptions (status, frequency, id);
CREATE INDEX IF NOT EXISTS subscriptions_pending ON subscriptions (status, created_at);
CREATE TABLE IF NOT EXISTS digest_ledger (
  subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  period_at TEXT NOT NULL,
  window_from TEXT NOT NULL,
  window_to TEXT NOT NULL,
  state TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until TEXT NOT NULL,
  articles INTEGER,
  detail TEXT,
  PRIMARY KEY (subscription_id, period)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS digest_ledger_period_at ON digest_ledger (period_at);
`;



/** The one-machine SubscriptionStore: better-sqlite3 in WAL mode; claims are IMMEDIATE transactions, atomic across processes. */
export function createSqliteSubscriptionStore(file: string): SubscriptionStore {
  const db = openSqlite(file, "the subscribers' database", (d) => d.exec(SCHEMA));
  const guard = sqliteGuard("the subscribers' database");

  const insert = db.prepare(`INSERT INTO subscriptions (id, email, filter_json, frequency, send_weekday, send_hour, time_zone, locale, status, bounces, feed_token, created_at)
    VALUES (@id, @email, @filter, @frequency, @weekday, @hour, @timeZone, @locale, 'pending', 0, @feedToken, @createdAt)`);
  const byId = db.prepare('SELECT * FROM subscriptions WHERE id = ?');
  const byToken = db.prepare('SELECT * FROM subscriptions WHERE feed_token = ?');
  const byEmail = db.prepare('SELECT * FROM subscriptions WHERE email = ? ORDER BY created_at, id');
  const active = db.prepare("SELECT * FROM subscriptions WHERE status = 'active' AND frequency = ? AND id > ? ORDER BY id LIMIT ?");
  const confirmOne = db.prepare("UPDATE subscriptions SET status = 'active', confirmed_at = ? WHERE id = ? AND status = 'pending'");
  const updateChoices = db.prepare(`UPDATE subscriptions SET filter_json = @filter, frequency = @frequency, send_weekday = @weekday, send_hour = @hour,
    time_zone = @timeZone, locale = @locale WHERE id = @id`);
  const pause = db.prepare("UPDATE subscriptions SET status = 'paused', paused_reason = ? WHERE id = ? AND status <> 'pending'");
  const resume = db.prepare("UPDATE subscriptions SET status = 'active', paused_reason = NULL, bounces = 0 WHERE id = ? AND status = 'paused'");
  const deleteOne = db.prepare('DELETE FROM subscriptions WHERE id = ?');
  const deleteByEmail = db.prepare('DELETE FROM subscriptions WHERE email = ?');
  const ledgerRow = db.prepare('SELECT * FROM digest_ledger WHERE subscription_id = ? AND period = ?');
  const ledgerOf = db.prepare('SELECT * FROM digest_ledger WHERE subscription_id = ? ORDER BY period_at DESC LIMIT ?');
  const insertClaim = db.prepare(`INSERT INTO digest_ledger (subscription_id, period, period_at, window_from, window_to, state, owner, lease_until)
    VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?)`);
  const takeOver = db.prepare('UPDATE digest_ledger SET owner = ?, lease_until = ? WHERE subscription_id = ? AND period = ?');
  const setState = db.prepare('UPDATE digest_ledger SET state = ?, articles = ?, detail = ? WHERE subscription_id = ? AND period = ?');
  const moveWindow = db.prepare('UPDATE subscriptions SET last_digest_until = ?, last_period_at = ?, bounces = CASE WHEN ? THEN 0 ELSE bounces END WHERE id = ?');
  const bounce = db.prepare(`UPDATE subscriptions SET last_period_at = ?, bounces = bounces + 1,
    status = CASE WHEN bounces + 1 >= ${MAX_BOUNCES} THEN 'paused' ELSE status END,
    paused_reason = CASE WHEN bounces + 1 >= ${MAX_BOUNCES} THEN ? ELSE paused_reason END WHERE id = ?`);
  const markSendingStmt = db.prepare("UPDATE digest_ledger SET state = 'sending' WHERE subscription_id = ? AND period = ? AND owner = ? AND state = 'claimed'");
  const pruneLedger = db.prepare("DELETE FROM digest_ledger WHERE period_at < ? AND state IN ('sent', 'empty', 'bounced', 'uncertain')");
  const prunePending = db.prepare("DELETE FROM subscriptions WHERE status = 'pending' AND created_at < ?");
  const releaseStmt = db.prepare("DELETE FROM digest_ledger WHERE subscription_id = ? AND period = ? AND owner = ? AND state IN ('claimed', 'sending')");

  const get = (id: string) => {
    const r = byId.get(id) as SubscriptionRow | undefined;
    return r ? toSubscription(r) : undefined;
  };
  const leaseEnd = (now: string, ms: number) => new Date(Date.parse(now) + ms).toISOString();

  const claimTx = db.transaction((req: ClaimRequest): ClaimResult => {
    const sub = get(req.subscriptionId);
    if (!sub || sub.status !== 'active') return { kind: 'inactive' };
    const row = ledgerRow.get(req.subscriptionId, req.period) as LedgerRow | undefined;
    if (!row) {
      const from = sub.lastDigestUntil ?? sub.confirmedAt ?? sub.createdAt;
      const to = req.to > from ? req.to : from;
      insertClaim.run(req.subscriptionId, req.period, req.periodAt, from, to, req.owner, leaseEnd(req.now, req.leaseMs));
      return { kind: 'claimed', claim: toClaim(ledgerRow.get(req.subscriptionId, req.period) as LedgerRow) };
    }
    const claim = toClaim(row);
    if (FINISHED.includes(claim.state)) return { kind: 'done', claim };
    const held = claim.owner !== req.owner && claim.leaseUntil > req.now;
    if (held) return { kind: 'busy', claim };
    if (claim.state === 'sending') {
      // Its worker stopped between handing the message to SMTP and recording the answer: it may have gone out.
      const detail = `the worker ${claim.owner} stopped while handing this digest to SMTP; not sent again`;
      setState.run('uncertain', null, detail, req.subscriptionId, req.period);
      moveWindow.run(claim.to, claim.periodAt, 0, req.subscriptionId);
      return { kind: 'uncertain', claim: { ...claim, state: 'uncertain', detail } };
    }
    takeOver.run(req.owner, leaseEnd(req.now, req.leaseMs), req.subscriptionId, req.period);
    return { kind: 'claimed', claim: { ...claim, owner: req.owner, leaseUntil: leaseEnd(req.now, req.leaseMs) } };
  });

  const finishTx = db.transaction((id: string, period: string, owner: string, how: Finish): Subscription | undefined => {
    const row = ledgerRow.get(id, period) as LedgerRow | undefined;
    if (!row || row.owner !== owner || FINISHED.includes(row.state)) return get(id);
    if (how.state === 'bounced') {
      setState.run('bounced', null, how.reason, id, period);
      bounce.run(row.period_at, `delivery failed ${MAX_BOUNCES} times in a row; last: ${how.reason}`, id);
    } else {
      setState.run(how.state, how.state === 'sent' ? how.articles : 0, null, id, period);
      moveWindow.run(row.window_to, row.period_at, how.state === 'sent' ? 1 : 0, id);
    }
    return get(id);
  });

  return {
    async create(input: SubscriptionInput, now: string) {
      const id = randomBytes(16).toString('base64url').slice(0, 22);
      guard('create', () =>
        insert.run({
          id,
          email: input.email,
          filter: JSON.stringify(input.filter),
          frequency: input.frequency,
          weekday: input.sendAt.weekday ?? null,
          hour: input.sendAt.hour,
          timeZone: input.timeZone,
          locale: input.locale,
          feedToken: randomBytes(24).toString('base64url'),
          createdAt: now,
        }),
      );
      return get(id)!;
    },
    async get(id) {
      return guard('get', () => get(id));
    },
    async getByFeedToken(token) {
      const r = guard('get', () => byToken.get(token) as SubscriptionRow | undefined);
      return r ? toSubscription(r) : undefined;
    },
    async findByEmail(email) {
      return guard('find', () => (byEmail.all(email.trim().toLowerCase()) as SubscriptionRow[]).map(toSubscription));
    },
    async listActive(frequency, afterId, limit) {
      return guard('list', () => (active.all(frequency, afterId ?? '', limit) as SubscriptionRow[]).map(toSubscription));
    },
    async confirm(id, now) {
      return guard('confirm', () => {
        confirmOne.run(now, id);
        return get(id);
      });
    },
    async update(id, choices) {
      return guard('update', () => {
        updateChoices.run({
          id,
          filter: JSON.stringify(choices.filter),
          frequency: choices.frequency,
          weekday: choices.sendAt.weekday ?? null,
          hour: choices.sendAt.hour,
          timeZone: choices.timeZone,
          locale: choices.locale,
        });
        return get(id);
      });
    },
    async setPaused(id, paused, reason) {
      return guard('pause', () => {
        if (paused) pause.run(reason ?? null, id);
        else resume.run(id);
        return get(id);
      });
    },
    async remove(id) {
      return guard('delete', () => deleteOne.run(id).changes > 0);
    },
    async removeByEmail(email) {
      return guard('delete', () => deleteByEmail.run(email.trim().toLowerCase()).changes);
    },
    async claimPeriod(req) {
      return guard('claim', () => claimTx.immediate(req));
    },
    async markSending(id, period, owner) {
      return guard('mark', () => markSendingStmt.run(id, period, owner).changes === 1);
    },
    async finish(id, period, owner, how) {
      return guard('finish', () => finishTx.immediate(id, period, owner, how));
    },
    async release(id, period, owner) {
      guard('release', () => releaseStmt.run(id, period, owner));
    },
    async ledger(id, limit) {
      return guard('ledger', () => (ledgerOf.all(id, limit) as LedgerRow[]).map(toClaim));
    },
    async prune(opts) {
      return guard('prune', () => ({ ledger: pruneLedger.run(opts.ledgerBefore).changes, pending: prunePending.run(opts.pendingBefore).changes }));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
