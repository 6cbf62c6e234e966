import { loadConfig, type Config } from './config/index.js';
import { ConfigError } from './errors.js';

/** Loads config or exits 2 with the file, path and reason. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) exitOnConfigError(err);
    throw err;
  }
}

/** Says which file, path and reason a configuration error is about, then exits 2. */
export function exitOnConfigError(err: ConfigError): never {
  console.error(`regionradar: configuration error in ${err.file}\n  at ${err.path || '(root)'}: ${err.reason}`);
  process.exit(2);
}

/** Exits 3 with instructions when Redis does not answer: queues cannot work without it. */
export async function requireRedis(url: string): Promise<void> {
  try {
    const { assertRedisReachable } = await import('./queue/connection.js');
    await assertRedisReachable(url);
  } catch (err) {
    console.error(
      `regionradar: Redis at ${url} does not answer (${(err as Error).message}).\n` +
        `  Start one with:  redis-server --daemonize yes --port 6379\n` +
        `  or with Docker:  docker compose up -d redis\n` +
        `  or point REDIS_URL at a running Redis.`,
    );
    process.exit(3);
  }
}

/** How long check-config waits for each service. */
const SERVICE_CHECK_MS = 3_000;

/** What does not answer of the services config names: Redis always, PostgreSQL and Meilisearch when set. Empty when all answer. */
export async function checkServices(config: Config): Promise<string[]> {
  const problems: string[] = [];
  const { assertRedisReachable } = await import('./queue/connection.js');
  try {
    await assertRedisReachable(config.env.REDIS_URL, SERVICE_CHECK_MS);
  } catch (err) {
    problems.push(`Redis at ${config.env.REDIS_URL} does not answer (${(err as Error).message})`);
  }
  const database = config.env.DATABASE_URL;
  if (database) {
    // Opening the store runs its migrations too, so a database the role may not change is named here.
    const where = database.replace(/\/\/[^@/]*@/, '//…@');
    try {
      const { openStore } = await import('./store/index.js');
      const opening = openStore(config, 'postgres');
      // A store that opens after the wait is closed then, so its pool does not keep the process alive.
      let timedOut = false;
      opening.then((s) => (timedOut ? s.close() : undefined)).catch(() => {});
      const store = await Promise.race([
        opening,
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            timedOut = true;
            reject(new Error(`no answer within ${SERVICE_CHECK_MS} ms`));
          }, SERVICE_CHECK_MS).unref(),
        ),
      ]);
      await store.close();
    } catch (err) {
      problems.push(`PostgreSQL at ${where} does not answer (${(err as Error).message})`);
    }
  }
  const meili = config.env.MEILI_HOST;
  if (meili) {
    try {
      const res = await fetch(new URL('/health', meili), { signal: AbortSignal.timeout(SERVICE_CHECK_MS) });
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      if (!res.ok || body.status !== 'available') problems.push(`Meilisearch at ${meili} is not available (HTTP ${res.status}${body.status ? `, ${body.status}` : ''})`);
      else if (config.env.MEILI_API_KEY) {
        const auth = await fetch(new URL('/version', meili), { headers: { authorization: `Bearer ${config.env.MEILI_API_KEY}` }, signal: AbortSignal.timeout(SERVICE_CHECK_MS) });
        if (!auth.ok) problems.push(`Meilisearch at ${meili} refuses MEILI_API_KEY (HTTP ${auth.status})`);
      }
    } catch (err) {
      problems.push(`Meilisearch at ${meili} does not answer (${(err as Error).message})`);
    }
  }
  const smtp = config.env.SMTP_URL;
  if (smtp) {
    const { createSmtpMailer } = await import('./mail/smtp.js');
    const mailer = createSmtpMailer({ url: smtp, from: config.env.MAIL_FROM });
    // Named without its password: the URL may carry credentials.
    const where = smtp.replace(/\/\/[^@/]*@/, '//…@');
    try {
      await Promise.race([mailer.verify(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${SERVICE_CHECK_MS} ms`)), SERVICE_CHECK_MS).unref())]);
    } catch (err) {
      problems.push(`the SMTP relay at ${where} does not take mail (${(err as Error).message})`);
    } finally {
      await mailer.close();
    }
  }
  const imap = config.env.IMAP_URL;
  if (imap) {
    const { checkImap } = await import('./newsletters/imap.js');
    const problem = await checkImap(imap, SERVICE_CHECK_MS * 2);
    if (problem) problems.push(problem);
  }
  return problems;
}
