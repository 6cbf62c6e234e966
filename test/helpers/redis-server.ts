import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/ports.js';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, the same across restarts. */
  url: string;
  port: number;
  /** The data directory (AOF files when `appendonly`). */
  dir: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Its process id while it runs (SIGSTOP/SIGCONT make a Redis that hangs rather than refuses). */
  readonly pid: number | undefined;
  /** Shuts down cleanly (SIGTERM: an append-only file is flushed) and waits for the exit. */
  stop(): Promise<void>;
  /** Crashes it (SIGKILL: nothing is flushed) and waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (stopping it first if it runs); resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Stops it and removes the data directory if this helper made it. */
  close(): Promise<void>;
}

/** How long a fresh redis-server may take to say it accepts connections (loading an AOF included). */
const READY_TIMEOUT_MS = 10_000;

/**
 * A private redis-server on a free port of 127.0.0.1, for tests and benchmarks that take Redis down:
 * the shared Redis on 6379 must never be stopped. No RDB snapshots; AOF only when `appendonly`.
 *
 * @example
 * const redis = await startRedisServer();
 * try { await redis.kill(); ...; await redis.restart(); } finally { await redis.close(); }
 */
export async function startRedisServer(opts: { appendonly?: boolean; dir?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rr-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', opts.appendonly ? 'yes' : 'no', '--dir', dir];
  let child: ChildProcess | undefined;
  // A test runner that dies must not leave a server behind.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    mkdirSync(dir, { recursive: true });
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`redis-server on port ${port} not ready after ${READY_TIMEOUT_MS} ms:\n${output}`));
      }, READY_TIMEOUT_MS);
      // Read the log for as long as the server runs (a full pipe would stall it), but keep only what comes before ready.
      let ready = false;
      const onData = (d: Buffer) => {
        if (ready) return;
        output += d.toString();
        if (/Ready to accept connections/.test(output)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on port ${port} exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  };
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };
  const running = () => !!child && child.exitCode === null && child.signalCode === null;

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get running() {
      return running();
    },
    get pid() {
      return running() ? child!.pid : undefined;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGTERM');
      await start();
    },
    async close() {
      await end('SIGTERM');
      process.off('exit', killOnExit);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
