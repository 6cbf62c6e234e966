import cluster from 'node:cluster';
import type { Logger } from '../observability/log.js';

/**
 * Runs the API in `count` processes sharing one port (node:cluster; the primary hands out connections
 * round-robin). The store is read synchronously (better-sqlite3), so one process serves one request at
 * a time; SQLite's WAL lets any number of processes read while the workers write. The primary only
 * supervises: it restarts a process that dies, and passes SIGINT/SIGTERM on so each finishes its
 * requests. A process that dies within its first seconds is not restarted (a bad config would loop).
 */
export async function runApiProcesses(count: number, runOne: () => Promise<void>, log: Logger): Promise<void> {
  if (count <= 1 || !cluster.isPrimary) return runOne();
  let stopping = false;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const w = cluster.fork();
    startedAt.set(w.id, Date.now());
  };
  for (let i = 0; i < count; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    const alive = Object.keys(cluster.workers ?? {}).length;
    if (stopping) {
      if (alive === 0) process.exit(0);
      return;
    }
    const early = Date.now() - (startedAt.get(worker.id) ?? 0) < 5_000;
    log.error({ pid: worker.process.pid, code, signal, restarted: !early }, early ? 'API process died at start; not restarted' : 'API process exited; restarting it');
    if (!early) fork();
    else if (alive === 0) process.exit(1);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
