import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** A child process the fault benchmark started, its output going to `<logDir>/<name>.log`. */
export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** When the process was started and when it printed its ready line (ms). */
  startedAt: number;
  readyAt: number;
  /** Resolves with the exit code, or the signal's name. */
  exited: Promise<number | string>;
  readonly alive: boolean;
  /** The last 64 kB of its output. */
  tail(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/** Every process started here and not yet exited, so an interrupted benchmark can end them (by pid). */
const live = new Set<ChildProcess>();

/** SIGKILLs every process this module started that still runs. */
export function killAllStarted(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Starts `cmd` with `env` (over this process's environment) and resolves once a line of its output
 * matches `ready`, or when it exits when `ready` is undefined (one-shot commands).
 */
export async function startProc(name: string, cmd: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; logDir: string; ready?: RegExp; timeoutMs?: number }): Promise<Proc> {
  const logFile = join(opts.logDir, `${name}.log`);
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const startedAt = Date.now();
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const collect = (d: Buffer) => {
    log.write(d);
    output = (output + d.toString()).slice(-65_536);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      log.end();
      resolve(code ?? signal ?? -1);
    }),
  );
  const timeoutMs = opts.timeoutMs ?? 60_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} (${cmd.join(' ')}) not ready after ${timeoutMs} ms; last output:\n${output.slice(-2_000)}`));
    }, timeoutMs);
    if (opts.ready) {
      const check = () => {
        if (opts.ready!.test(output)) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before it was ready; last output:\n${output.slice(-2_000)}`));
      });
    } else {
      void exited.then(() => {
        clearTimeout(timer);
        resolve();
      });
    }
  });
  const proc: Proc = {
    name,
    pid: child.pid!,
    child,
    logFile,
    startedAt,
    readyAt: Date.now(),
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    tail: () => output,
    async kill(signal) {
      if (proc.alive) child.kill(signal);
      return exited;
    },
  };
  return proc;
}
