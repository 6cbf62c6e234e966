import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/index.js';

export const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'config');

/**
 * The shipped configuration, with test-friendly environment defaults. Fixture servers on 127.0.0.1
 * stand in for many sites, so the per-host gate is opened up unless a test sets it.
 */
export function shippedConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ CONFIG_DIR, LOG_LEVEL: 'silent', HOST_INTERVAL_MS: '0', HOST_CONCURRENCY: '64', ...env });
}
