/**
 * A minimal SMTP sink for benchmarks: accepts every message (no TLS, no AUTH), reads each DATA stream
 * to its end, and counts messages and bytes. Run as a child process so its memory and CPU are not
 * the benchmark's; it prints `smtp-sink: listening …` once both ports are open, and answers
 * `GET /` on the HTTP port with its counts as JSON. It exits on SIGTERM, SIGINT or when its stdin
 * closes (its parent went away).
 *
 *   node dist/bench/smtp-sink.js --port 2525 [--http-port 0]
 */
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

export interface SinkCounts {
  messages: number;
  bytes: number;
  connections: number;
  /** Peak resident memory of the sink process, in KB. */
  maxRssKb: number;
}

const text = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const PORT = Number(text('port') ?? 2525);
const HTTP_PORT = Number(text('http-port') ?? 0);

const counts: SinkCounts = { messages: 0, bytes: 0, connections: 0, maxRssKb: 0 };

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  // No reverse DNS per connection: it only slows the handshake on a loopback benchmark.
  disableReverseLookup: true,
  logger: false,
  banner: 'regionradar bench sink',
  onConnect(_session, callback) {
    counts.connections++;
    callback();
  },
  onData(stream, _session, callback) {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      counts.messages++;
      counts.bytes += bytes;
      callback();
    });
  },
});
smtp.on('error', (err) => console.error(`smtp-sink: ${err.message}`));

const http = createServer((_req, res) => {
  counts.maxRssKb = process.resourceUsage().maxRSS;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(counts));
});

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  http.close();
  smtp.close(() => process.exit(0));
  // Pooled client connections may linger; do not wait for them.
  setTimeout(() => process.exit(0), 1_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();

await new Promise<void>((resolve, reject) => {
  smtp.once('error', reject);
  smtp.listen(PORT, '127.0.0.1', () => resolve());
});
await new Promise<void>((resolve, reject) => {
  http.once('error', reject);
  http.listen(HTTP_PORT, '127.0.0.1', () => resolve());
});
const httpPort = (http.address() as { port: number }).port;
console.log(`smtp-sink: listening on smtp://127.0.0.1:${PORT}, counts at http://127.0.0.1:${httpPort}/`);
