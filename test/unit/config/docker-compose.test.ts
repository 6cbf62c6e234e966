import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../../src/config/env.js';

const compose = parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown>; healthcheck?: { test: string[] } }>;
};

it('docker-compose runs every Regionradar role on PostgreSQL records with a Meilisearch index, with an environment the app accepts', () => {
  expect(compose.services.postgres!.image).toMatch(/^postgres:15/);
  expect(compose.services.meilisearch!.image).toMatch(/^getmeili\/meilisearch:v1\.21/);
  for (const role of ['api', 'scheduler', 'worker', 'inbound']) {
    const env = compose.services[role]!.environment!;
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/regionradar:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/regionradar$/);
    expect(env.MEILI_HOST).toBe('http://meilisearch:7700');
    expect(env.MEILI_API_KEY).toContain('MEILI_MASTER_KEY');
    // As compose substitutes them: `${VAR:-default}` unset gives the default, and an empty value counts as unset (config/index.ts).
    const substituted = Object.fromEntries(
      Object.entries(env)
        .map(([k, v]) => [k, String(v).replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1')])
        .filter(([, v]) => v !== ''),
    );
    expect(() => envSchema.parse({ ...substituted, DATABASE_URL: 'postgres://regionradar:secret@postgres:5432/regionradar', MEILI_API_KEY: 'k'.repeat(16) })).not.toThrow();
  }
  for (const role of ['api', 'worker', 'inbound']) expect(compose.services[role]!.depends_on).toHaveProperty('postgres');
  // The intake listens for the newsletters' mail on all interfaces, at the port its published port maps to.
  expect(compose.services.inbound!.environment).toMatchObject({ INBOUND_SMTP_PORT: '2525', INBOUND_SMTP_HOST: '0.0.0.0' });
});

it('docker-compose checks the health of every long-running service: the API through /readyz, the worker through `ready`', () => {
  for (const service of ['redis', 'postgres', 'meilisearch', 'api', 'worker']) expect(compose.services[service]!.healthcheck?.test.length).toBeGreaterThan(0);
  expect(compose.services.api!.healthcheck!.test.join(' ')).toContain('/readyz');
  expect(compose.services.worker!.healthcheck!.test).toEqual(['CMD', 'node', 'dist/src/cli.js', 'ready']);
  const dockerfile = readFileSync(join(import.meta.dirname, '..', '..', '..', 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^HEALTHCHECK .*"ready"\]$/m);
  expect(dockerfile).toMatch(/chown node:node \/data/);
  expect(dockerfile).not.toContain('test/fixtures');
});
