import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/cli.ts'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });

// Each test starts the CLI through tsx, which takes seconds on a busy machine.
describe('regionradar command line', { timeout: 30_000 }, () => {
  it('start exits with a message saying how to start Redis when Redis does not answer', () => {
    // Port 9 (discard) is closed on any test machine: the connection is refused at once.
    const r = cli(['start'], { REDIS_URL: 'redis://127.0.0.1:9' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('Redis at redis://127.0.0.1:9 does not answer');
    expect(r.stderr).toContain('redis-server --daemonize yes');
  });

  it('rejects an unknown command with the usage', () => {
    const r = cli(['frobnicate']);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('regionradar start');
  });

  it('check-config reports the catalogue and that Redis answers', () => {
    const r = cli(['check-config']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/configuration OK: \d+ sources, \d+ themes/);
    expect(r.stdout).toContain('Redis answers at');
  });

  it('ready exits 0 when Redis and the store answer, and 1 naming what does not', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rr-cli-'));
    const ok = cli(['ready'], { DATA_DIR: dataDir });
    expect([ok.status, ok.stdout.trim()]).toEqual([0, 'ready']);
    const down = cli(['ready'], { DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:9' });
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('not ready: redis:');
  });

  it('check-index finds the embedded store and its index in step', () => {
    const r = cli(['check-index'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'rr-cli-')) });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 articles stored, 0 in the search index');
    expect(r.stdout).toContain('store and index hold the same articles');
  });

  it('check-config fails naming each service that does not answer', () => {
    const r = cli(['check-config'], {
      REDIS_URL: 'redis://127.0.0.1:9',
      MEILI_HOST: 'http://127.0.0.1:9',
      DATABASE_URL: 'postgres://rr:hunter2@127.0.0.1:9/rr',
      SECRET_KEY: 'k'.repeat(40),
      SMTP_URL: 'smtp://mailer:hunter2@127.0.0.1:9',
      IMAP_URL: 'imap://news:hunter2@127.0.0.1:9/INBOX',
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('the IMAP mailbox at imap://…@127.0.0.1:9/INBOX cannot be read');
    expect(r.stderr).toContain('Redis at redis://127.0.0.1:9 does not answer');
    expect(r.stderr).toContain('Meilisearch at http://127.0.0.1:9 does not answer');
    expect(r.stderr).toContain('PostgreSQL at postgres://…@127.0.0.1:9/rr does not answer');
    expect(r.stderr).toContain('the SMTP relay at smtp://…@127.0.0.1:9 does not take mail');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('refuses SECRET_KEY without SMTP_URL (and the other way round), naming the missing one', () => {
    const r = cli(['check-config'], { SECRET_KEY: 'k'.repeat(40), SMTP_URL: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SMTP_URL');
    expect(r.stderr).toContain('subscriptions need both');
    const short = cli(['check-config'], { SECRET_KEY: 'short', SMTP_URL: 'smtp://127.0.0.1:25' });
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('SECRET_KEY');
  });

  it('refuses a STARTTLS certificate without its key, and a certificate file that is not there', () => {
    const r = cli(['check-config'], { INBOUND_TLS_CERT: '/etc/hostname' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('INBOUND_TLS_KEY');
    expect(r.stderr).toContain('STARTTLS needs both');
    const missing = cli(['check-config'], { INBOUND_TLS_CERT: '/nonexistent/cert.pem', INBOUND_TLS_KEY: '/etc/hostname' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('INBOUND_TLS_CERT');
    expect(missing.stderr).toContain('no such file: /nonexistent/cert.pem');
  });

  it('subscribers export prints what is kept about an address, and delete removes it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rr-cli-'));
    const { createSqliteSubscriptionStore } = await import('../../src/subscriptions/sqlite.js');
    const { subscriptionInputSchema } = await import('../../src/subscriptions/model.js');
    const store = createSqliteSubscriptionStore(join(dataDir, 'subscribers.sqlite'));
    await store.create(subscriptionInputSchema.parse({ email: 'person@example.no', filter: { themes: ['bioeconomy'] } }), '2026-11-01T00:00:00.000Z');
    await store.create(subscriptionInputSchema.parse({ email: 'other@example.no' }), '2026-11-01T00:00:00.000Z');
    await store.close();
    const exported = cli(['subscribers', 'export', 'Person@Example.no'], { DATA_DIR: dataDir });
    expect(exported.status).toBe(0);
    const json = JSON.parse(exported.stdout) as { email: string; subscriptions: Array<{ email: string; filter: unknown; digests: unknown[] }> };
    expect(json.email).toBe('person@example.no');
    expect(json.subscriptions).toHaveLength(1);
    expect(json.subscriptions[0]).toMatchObject({ email: 'person@example.no', filter: { themes: ['bioeconomy'] }, digests: [] });
    const deleted = cli(['subscribers', 'delete', 'person@example.no'], { DATA_DIR: dataDir });
    expect(deleted.stdout).toContain('1 subscription(s) of person@example.no deleted');
    expect(JSON.parse(cli(['subscribers', 'export', 'person@example.no'], { DATA_DIR: dataDir }).stdout).subscriptions).toEqual([]);
    expect(JSON.parse(cli(['subscribers', 'export', 'other@example.no'], { DATA_DIR: dataDir }).stdout).subscriptions).toHaveLength(1);
    expect(cli(['subscribers', 'frobnicate', 'x'], { DATA_DIR: dataDir }).status).toBe(64);
  }, 30_000);
});
