import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { InboundMailError } from '../errors.js';
import { receiveMail, type ReceiveDeps } from './receive.js';

/** IMAP keyword on every message Regionradar has taken (published or kept in the inbox). */
export const TAKEN = '$Regionradar';
/** And on messages it refused (malformed MIME, too large), so they are not read again either. */
export const REFUSED = '$RegionradarRefused';

export interface ImapOptions {
  /** imap://user:pass@host:port/Folder or imaps://… (IMAP_URL). */
  url: string;
  /** Folders besides the URL's own: the newsletter sources' `mailbox`es. */
  folders: () => Promise<string[]>;
  /** Larger messages are flagged refused unread. */
  maxBytes: number;
  /** Messages read per folder and poll at most. */
  batch?: number;
}

export interface PollResult {
  taken: number;
  refused: number;
  /** A folder that could not be read this time, with why; the next poll tries again. */
  errors: string[];
}

/** The IMAP_URL as imapflow's options, and the main folder from its path. */
export function imapSettings(url: string): { options: ImapFlowOptions; folder: string } {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    options: {
      host: u.hostname,
      port: Number(u.port) || (secure ? 993 : 143),
      secure,
      auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
      logger: false,
      // A plain imap:// URL is the operator's choice (a local server); imapflow would warn on each connect.
      doSTARTTLS: secure ? undefined : false,
    },
    folder: decodeURIComponent(u.pathname.replace(/^\/+/, '')) || 'INBOX',
  };
}

/** Why the IMAP_URL's account cannot be read (login, main folder), or nothing when it can. For check-config. */
export async function checkImap(url: string, timeoutMs: number): Promise<string | undefined> {
  const { options, folder } = imapSettings(url);
  const where = url.replace(/\/\/[^@/]*@/, '//…@');
  const client = new ImapFlow({ ...options, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.status(folder, { messages: true });
    return undefined;
  } catch (err) {
    return `the IMAP mailbox at ${where} cannot be read (${(err as Error).message})`;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Reads new mail from an IMAP account once: in each folder, every message without the TAKEN keyword,
 * by UID; each is received (published, or kept in the operator's inbox) and only then flagged, so a
 * crash between the two reads it again — harmless, as receiving is idempotent by Message-ID — and a
 * message once flagged is never read again, across restarts. A failure of our own (Redis, the store)
 * stops the folder's batch unflagged, for the next poll.
 */
export async function pollImap(deps: ReceiveDeps, opts: ImapOptions): Promise<PollResult> {
  const { options, folder } = imapSettings(opts.url);
  const result: PollResult = { taken: 0, refused: 0, errors: [] };
  const client = new ImapFlow(options);
  client.on('error', (err: Error) => deps.log.warn({ err }, 'IMAP connection error'));
  try {
    await client.connect();
  } catch (err) {
    result.errors.push(`cannot connect to ${options.host}:${options.port}: ${(err as Error).message}`);
    return result;
  }
  try {
    const folders = [...new Set([folder, ...(await opts.folders())])];
    for (const mailbox of folders) {
      try {
        await pollFolder(client, mailbox, deps, opts, result);
      } catch (err) {
        result.errors.push(`${mailbox}: ${(err as Error).message}`);
      }
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  for (const error of result.errors) deps.log.warn({ error }, 'IMAP poll');
  return result;
}

async function pollFolder(client: ImapFlow, mailbox: string, deps: ReceiveDeps, opts: ImapOptions, result: PollResult): Promise<void> {
  const lock = await client.getMailboxLock(mailbox);
  try {
    const uids = ((await client.search({ unKeyword: TAKEN }, { uid: true })) || []).slice(0, opts.batch ?? 100);
    // The server picks out what is over the cap in one search, so it is never downloaded.
    const oversized = new Set(uids.length ? (await client.search({ unKeyword: TAKEN, larger: opts.maxBytes }, { uid: true })) || [] : []);
    for (const uid of uids) {
      if (oversized.has(uid)) {
        deps.log.warn({ mailbox, uid, maxBytes: opts.maxBytes }, 'IMAP: message over the size cap refused');
        await client.messageFlagsAdd(String(uid), [TAKEN, REFUSED], { uid: true });
        result.refused++;
        continue;
      }
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (!message || !message.source) continue;
      try {
        await receiveMail(message.source, { via: 'imap', mailbox }, deps);
      } catch (err) {
        if (!(err instanceof InboundMailError)) throw err;
        deps.log.warn({ err, mailbox, uid }, 'IMAP: message refused');
        await client.messageFlagsAdd(String(uid), [TAKEN, REFUSED], { uid: true });
        result.refused++;
        continue;
      }
      await client.messageFlagsAdd(String(uid), [TAKEN], { uid: true });
      result.taken++;
    }
  } finally {
    lock.release();
  }
}

/** Polls every `everyMs` until closed; close() waits for a poll under way. */
export function startImapPoller(deps: ReceiveDeps, opts: ImapOptions & { everyMs: number }): { close(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = pollImap(deps, opts)
      .catch((err) => deps.log.error({ err }, 'IMAP poll failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.everyMs);
      });
  };
  tick();
  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
