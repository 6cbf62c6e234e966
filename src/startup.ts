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
