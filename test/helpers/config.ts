import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/index.js';

export const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'config');

/** The shipped configuration, with test-friendly environment defaults. */
export function shippedConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ CONFIG_DIR, LOG_LEVEL: 'silent', ...env });
}
