import { z } from 'zod';

/** The environment Regionradar reads. Only config/index.ts touches process.env. */
export const envSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Processes `regionradar api` serves from, on one port: one per core the API may use. */
  /**
   * Port of `regionradar demo`'s recorded-fixture server. Fixed, so that the fixture URLs — and the article
   * ids made from them — are the same at every start of the demo.
   */
  DEMO_FIXTURES_PORT: z.coerce.number().int().min(1).max(65535).default(3901),
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  /** Where the YAML files are; unset, the package's own config/ (whatever the working directory). */
  CONFIG_DIR: z.string().optional(),
  /** Base URL under which the app is reachable; used for links in the output feeds. */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * PostgreSQL connection URL (postgres://user:pass@host:5432/db); when set, articles are stored and
   * searched there, shared by every process on every host. Takes precedence over MEILI_HOST.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Connections each process keeps open to PostgreSQL at most. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Meilisearch base URL; when set (and DATABASE_URL is not), articles are stored and searched there instead of the embedded SQLite store. */
  MEILI_HOST: z.string().url().optional(),
  MEILI_API_KEY: z.string().optional(),
  /** Index uid in Meilisearch; several instances can share one engine under different indexes. */
  MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be letters, digits, - or _').default('articles'),
  /** Prefix of every queue key in Redis, so that several instances (or tests) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('regionradar'),
  /** Contact URL or address put in the User-Agent, as polite crawlers do. */
  CONTACT: z.string().default('https://github.com/regionradar/regionradar'),
  /** Comma-separated hosts or IPs that may be fetched although private or loopback (tests, demo). */
  ALLOW_PRIVATE_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim()).filter(Boolean)),
  FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Bytes; feeds beyond this are refused. 10 MB covers the largest real feeds we know with room to spare. */
  FETCH_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Requests in flight to one host, across all workers. */
  HOST_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  /** Least time between the starts of two requests to one host, across all workers (ms). */
  HOST_INTERVAL_MS: z.coerce.number().int().min(0).default(1_000),
  INGEST_CONCURRENCY: z.coerce.number().int().positive().default(8),
  /** Enrich jobs in flight per worker: enough to fill a 200-article store batch while others wait on Redis. */
  ENRICH_CONCURRENCY: z.coerce.number().int().positive().default(256),
  /**
   * How long a job stays locked to a worker without renewal. After a worker dies, its jobs return to
   * the queue once this has passed. BullMQ's default; tests shorten it.
   */
  JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /**
   * Bearer token of the admin API (/api/admin: add, change, pause, resume, delete, refresh sources;
   * OPML). Unset, the admin API answers 404: nobody can change sources over HTTP.
   */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Key of the signed links in e-mails (confirm, manage, unsubscribe). Set together with SMTP_URL to turn
   * subscriptions on; changing it invalidates every link already sent.
   */
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  /** SMTP relay for digests and alerts, e.g. smtp://user:pass@mail.example.org:587 or smtps://…:465. */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  /** The From of digests and confirmations; its domain also names Message-IDs. */
  MAIL_FROM: z.string().min(3).default('Regionradar <regionradar@localhost>'),
  /** Connections kept open to the SMTP relay, and messages per second at most across them. */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(4),
  SMTP_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Digest and webhook jobs in flight per worker. */
  DIGEST_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** How long a worker holds a claimed digest period before another may take it over (ms). */
  DIGEST_LEASE_MS: z.coerce.number().int().min(1_000).default(10 * 60_000),
  /** A digest's window ends this long before it runs, so articles being written are not missed (ms). */
  DIGEST_SETTLE_MS: z.coerce.number().int().min(0).default(60_000),
  /** Port of the inbound SMTP listener for newsletters (`regionradar inbound`); unset, there is none. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Address the inbound listener binds; 0.0.0.0 to take mail from the internet (behind an MX record). */
  INBOUND_SMTP_HOST: z.string().default('127.0.0.1'),
  /** Domain of the newsletter sources' addresses, `<token>@INBOUND_DOMAIN`; unset, any domain is taken. */
  INBOUND_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/i, 'must be a domain name such as news.example.org')
    .transform((d) => d.toLowerCase())
    .optional(),
  /** Inbound messages above this are refused with 552. 25 MB is what most providers accept. */
  INBOUND_MAX_BYTES: z.coerce.number().int().min(10_000).default(25 * 1024 * 1024),
  /**
   * PEM files of the inbound listener's certificate and key: set both to offer STARTTLS, which the
   * platforms sending newsletters use whenever a server offers it. Unset, mail arrives in plain text.
   */
  INBOUND_TLS_CERT: z.string().min(1).optional(),
  INBOUND_TLS_KEY: z.string().min(1).optional(),
  /** Messages one client address may deliver per minute. */
  INBOUND_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /**
   * A mailbox the newsletters are delivered to, read over IMAP: imap://user:pass@host:143/INBOX or imaps://…:993/INBOX
   * (the path is the main folder; sources may name folders of their own). Unset, no mailbox is read.
   */
  IMAP_URL: z.string().regex(/^imaps?:\/\/[^\s]+$/, 'must be an imap:// or imaps:// URL').optional(),
  /** How often the IMAP mailbox is read (ms). */
  IMAP_POLL_MS: z.coerce.number().int().min(1_000).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.output<typeof envSchema>;

/** The base URL links to this instance are made under: PUBLIC_URL, else where the API listens. */
export const publicBaseUrl = (env: Pick<Env, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string => env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
