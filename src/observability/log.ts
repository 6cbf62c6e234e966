import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs on stdout, one object a line; fields sourceId, url and jobId make one source's or job's
 * story greppable. Log an error as `log.error({ err }, 'what failed')`: the err serializer keeps its
 * type, message, stack and causes inside the object, where a plain-text stack would break the stream.
 * `destination` is for tests that read what was logged.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { app: 'regionradar' }, serializers: { err: pino.stdSerializers.err } };
  return destination ? pino(options, destination) : pino(options);
}
