import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

/**
 * A private redis-server on 127.0.0.1 for benchmarks (and tests) that take Redis down: the shared Redis
 * on 6379 is never stopped. No RDB snapshots ever; an append-only file (`--appendfsync everysec`) only
 * with `appendonly`. The port stays the same across restarts, so processes pointed at `url` reconnect.
 *
 * @example
 * const redis = await startRedisServer();                 // empty after every restart
 * await redis.restart();                                   // SIGTERM, start again: all data gone
 * await redis.restart({ appendonly: true });               // AOF switched on live first: data kept
 * await redis.restart({ signal: 'SIGKILL', downMs: 2000 }); // a crash, two seconds down, AOF replayed
 * await redis.stop();
 */
export interface RedisServerOptions {
  /** Keep an append-only file (fsync every second) in `dir`, replayed on restart. Default false. */
  appendonly?: boolean;
  /** Data directory; by default a fresh temporary one, removed by stop(). */
  dir?: string;
  /** Port on 127.0.0.1; by default a free one. */
  port?: number;
  /** How long a start may take (loading an AOF included); default 20 s. */
  readyTimeoutMs?: number;
}

export interface RedisRestartOptions {
  /**
   * Persistence of the next run; by default what it is now. Without AOF the next run starts empty (any
   * AOF or RDB file in `dir` is removed). Switching a running server to AOF turns it on live first
   * (CONFIG SET appendonly yes, then waits for the rewrite), so its current data survives the switch.
   */
  appendonly?: boolean;
  /** How the running server is ended: SIGTERM (a clean shutdown; AOF flushed, the default) or SIGKILL (a crash: up to a second of AOF lost). */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** Time the server stays down between the old process's exit and the new one's start. */
  downMs?: number;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Persistence of the current (or last) run. */
  readonly appendonly: boolean;
  /** Process id of the current run, undefined while down. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Clean shutdown (SIGTERM), then removes `dir` if this module made it. Final. */
  stop(): Promise<void>;
  /** Crashes the server (SIGKILL) and waits for its exit; restart() brings it back. */
  kill(): Promise<void>;
  /** Ends the running server (if it runs) and starts it again on the same port and directory; resolves once it answers PING. */
  restart(opts?: RedisRestartOptions): Promise<void>;
}

const PERSISTENCE_FILES = ['appendonlydir', 'dump.rdb', 'appendonly.aof'];

/** Sends one command on a short-lived connection; for the rare administrative calls only. */
async function command(port: number, ...args: string[]): Promise<unknown> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await redis.call(args[0]!, ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

async function answersPing(port: number): Promise<boolean> {
  try {
    return (await command(port, 'PING')) === 'PONG';
  } catch {
    return false;
  }
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rr-redis-'));
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  let appendonly = opts.appendonly ?? false;
  let child: ChildProcess | undefined;
  let stopped = false;
  // A benchmark that dies must not leave its server behind.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const running = () => !!child && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    mkdirSync(dir, { recursive: true });
    if (!appendonly) for (const f of PERSISTENCE_FILES) rmSync(join(dir, f), { recursive: true, force: true });
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', appendonly ? 'yes' : 'no', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    // Read the log for as long as the server runs (a full pipe would stall it); keep its tail for errors.
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    let failed: string | undefined;
    proc.once('error', (err) => (failed = err.message));
    proc.once('exit', (code, signal) => (failed ??= `exited (${code ?? signal})`));
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (failed) throw new Error(`redis-server on port ${port} ${failed} before it was ready:\n${output}`);
      // "Ready to accept connections" comes after the AOF is loaded; PING confirms (LOADING is an error reply).
      if (/Ready to accept connections/.test(output) && (await answersPing(port))) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} not ready after ${readyTimeoutMs} ms:\n${output}`);
  };

  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || !running()) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  /** Turns AOF on in the running server and waits until the rewrite holds the whole dataset. */
  const enableAofLive = async () => {
    await command(port, 'CONFIG', 'SET', 'appendonly', 'yes');
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      const info = String(await command(port, 'INFO', 'persistence'));
      const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
      if (field('aof_enabled') === '1' && field('aof_rewrite_in_progress') === '0' && field('aof_rewrite_scheduled') === '0' && field('aof_last_bgrewrite_status') === 'ok') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${port}: the AOF rewrite did not finish within ${readyTimeoutMs} ms`);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get appendonly() {
      return appendonly;
    },
    get pid() {
      return running() ? child?.pid : undefined;
    },
    get running() {
      return running();
    },
    async stop() {
      stopped = true;
      await end('SIGTERM');
      process.off('exit', killOnExit);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
    async restart(r: RedisRestartOptions = {}) {
      if (stopped) throw new Error('redis-server was stopped; start a new one');
      const next = r.appendonly ?? appendonly;
      if (next && !appendonly && running()) await enableAofLive();
      await end(r.signal ?? 'SIGTERM');
      if (r.downMs) await new Promise((res) => setTimeout(res, r.downMs));
      appendonly = next;
      await start();
    },
  };
}
