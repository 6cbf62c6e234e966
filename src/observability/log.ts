import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs on stdout; fields sourceId, url and jobId make one source's or job's story greppable. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'regionradar' } });
}
