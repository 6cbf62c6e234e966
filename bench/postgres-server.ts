import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';

const run = promisify(execFile);

/**
 * A private, throw-away PostgreSQL cluster on 127.0.0.1 for the PostgreSQL store's tests and benchmarks: its own
 * data directory under the system temp dir, its own free port, its socket in that directory, trust
 * authentication (nothing but this test process can reach it). Never the machine's own server.
 */
export interface LocalPostgres {
  /** Connection string of the maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  /** Creates an empty database and returns its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory (Debian layout: /usr/lib/postgresql/<major>/bin). */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    `PostgreSQL server binaries not found: no initdb and pg_ctl under ${root}/<version>/bin. ` +
      'Install the server package (apt-get install postgresql) to run the PostgreSQL store tests and benchmarks.',
  );
}

/**
 * initdb and postgres refuse to run as root; the tests do run as root here, so the server runs as
 * the `postgres` system user through runuser, and owns the temp directory.
 */
async function asPostgres(cmd: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  try {
    const { stdout } = await run(file, argv, { timeout: 60_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/**
 * Starts the cluster; resolves once it accepts connections. Throws (never skips) when PostgreSQL is not
 * installed. `durable`: fsync on, as a production server runs (benchmarks); tests run without it.
 */
export async function startLocalPostgres(opts: { durable?: boolean } = {}): Promise<LocalPostgres> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'rr-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('the tests run as root and there is no `postgres` user to run the server as');
    });
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // fsync off for tests: the cluster lives for one test file and is deleted after it; durability would only slow it.
  const serverOpts = `-p ${port} -h 127.0.0.1 -k ${dir}${opts.durable ? '' : ' -F'} -c max_connections=200`;
  await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', serverOpts, '-w', '-t', '60', 'start']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitReady(adminUrl);

  // A test process that ends without its afterAll (a crash, a timeout) still takes its server down.
  const stopOnExit = () => {
    try {
      execFileSync(process.getuid?.() === 0 ? 'runuser' : join(bin, 'pg_ctl'), [...(process.getuid?.() === 0 ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []), '-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // already stopped
    }
  };
  process.once('exit', stopOnExit);

  const admin = new pg.Pool({ connectionString: adminUrl, max: 2 });
  let n = 0;
  let stopped = false;
  return {
    adminUrl,
    port,
    async createDatabase() {
      const name = `t${++n}_${process.pid}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', stopOnExit);
      await admin.end().catch(() => undefined);
      await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${url} not ready after 30 s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
