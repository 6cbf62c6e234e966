import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { freePort } from '../../bench/ports.js';

export { freePort };

export const ROOT = join(import.meta.dirname, '..', '..');
export const SHARED = join(ROOT, '..', 'shared');

/** Starts a process and resolves once a line of its output matches `ready`. */
export async function startProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number }): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => (output += d.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} ${args.join(' ')} not ready after ${opts.timeoutMs ?? 30_000} ms:\n${output}`)), opts.timeoutMs ?? 30_000);
    const check = () => {
      if (opts.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return Object.assign(child, { output: () => output });
}

/** Resolves with the exit code (or signal) once the process has exited. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

/** Starts ../shared/bench/workload-server.mjs on a free port. */
export async function startWorkload(feeds: number, items: number) {
  const port = await freePort();
  const child = await startProcess(process.execPath, [join(SHARED, 'bench', 'workload-server.mjs'), '--port', String(port), '--feeds', String(feeds), '--items', String(items)], { ready: /workload:/ });
  return { port, child, feedUrl: (i: number) => `http://127.0.0.1:${port}/feed/${i}.xml` };
}
