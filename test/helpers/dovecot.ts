import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

import { freePort } from '../../bench/ports.js';

/** A private dovecot IMAP server started by startDovecot(). */
export interface Dovecot {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** The data directory: config, passwd-file, log and the maildir store (under `home/<user>/Maildir`). */
  dir: string;
  /** imapflow options ready to use */
  imapOptions(): { host: string; port: number; secure: false; auth: { user: string; pass: string }; logger: false };
  /** imap://user:pass@127.0.0.1:port/ */
  url: string;
  /**
   * Ends dovecot (SIGTERM, SIGKILL after 10 s) and waits for its exit; removes this run's runtime dir and,
   * when startDovecot() made `dir` itself, the whole data dir. A `dir` passed in is kept (for a restart).
   */
  stop(): Promise<void>;
}

/** Options of startDovecot(). */
export interface StartDovecotOptions {
  /** Data directory; by default a fresh temporary one under /tmp, removed by stop(). Pass the same dir again to restart on the same mail store. */
  dir?: string;
  /** Login name; default 'rr'. */
  user?: string;
  /** Password; default 'secret'. */
  password?: string;
}

const MISSING = 'dovecot-imapd is not installed: apt-get install dovecot-imapd (.ci/run installs it)';
const READY_TIMEOUT_MS = 20_000;
/** Unix socket paths must stay under 108 bytes; dovecot's longest socket name under base_dir is ~25 characters. */
const MAX_BASE_DIR = 70;

/**
 * Path of the dovecot binary (with its IMAP service present). Throws an Error saying how to install
 * dovecot-imapd when it is missing: tests that need it must fail, not skip, so this is for a clear message.
 */
export function dovecotBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  const bin = dirs.map((d) => join(d, 'dovecot')).find((p) => existsSync(p));
  if (!bin) throw new Error(MISSING);
  // dovecot-core alone has no IMAP service; the package layout decides where the service binaries live.
  const libexec = ['/usr/lib/dovecot', '/usr/libexec/dovecot'].filter((d) => existsSync(join(d, 'anvil')));
  if (libexec.length > 0 && !libexec.some((d) => existsSync(join(d, 'imap')) && existsSync(join(d, 'imap-login')))) throw new Error(MISSING);
  return bin;
}

/** [major, minor] of the installed dovecot, e.g. [2, 3] for "2.3.19.1 (9b53102964)". */
function dovecotVersion(bin: string): [number, number] {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  const m = /^(\d+)\.(\d+)/.exec(out);
  if (!m) throw new Error(`cannot parse "dovecot --version" output: ${out}`);
  return [Number(m[1]), Number(m[2])];
}

/** Quotes a config value (paths may hold characters dovecot's parser treats specially). */
function q(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface ConfigInput {
  v24: boolean;
  port: number;
  baseDir: string;
  dir: string;
  passwdFile: string;
  logFile: string;
  loginUser: string;
  internalUser: string;
  uid: number;
  gid: number;
}

/** dovecot.conf for 2.3 or 2.4 syntax: IMAP only on 127.0.0.1:<port>, no TLS, plaintext auth, one passwd-file user, maildir. */
function configText(c: ConfigInput): string {
  const common = [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${q(c.baseDir)}`,
    `state_dir = ${q(join(c.dir, 'state'))}`,
    `instance_name = ${q(`rr-dovecot-${c.port}`)}`,
    `log_path = ${q(c.logFile)}`,
    `info_log_path = ${q(c.logFile)}`,
    `debug_log_path = ${q(c.logFile)}`,
    'ssl = no',
    'auth_mechanisms = plain login',
    // The mail user's ids come from the passwd-file; allow them whatever they are.
    `first_valid_uid = ${c.uid}`,
    `first_valid_gid = ${c.gid}`,
    `default_login_user = ${c.loginUser}`,
    `default_internal_user = ${c.internalUser}`,
    // Never tie up the test with login delays.
    'auth_failure_delay = 0',
  ];
  const listener = (addressKey: string) => [
    'service imap-login {',
    '  inet_listener imap {',
    `    ${addressKey} = 127.0.0.1`,
    `    port = ${c.port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
  ];
  if (c.v24) {
    return [
      // Must be the first settings in a 2.4 configuration.
      'dovecot_config_version = 2.4.0',
      'dovecot_storage_version = 2.4.0',
      ...common,
      'auth_allow_cleartext = yes',
      'mail_driver = maildir',
      'mail_path = ~/Maildir',
      'namespace inbox {',
      '  inbox = yes',
      '  separator = /',
      '}',
      'passdb passwd-file {',
      `  passwd_file_path = ${q(c.passwdFile)}`,
      '  default_password_scheme = PLAIN',
      '}',
      'userdb passwd-file {',
      `  passwd_file_path = ${q(c.passwdFile)}`,
      '}',
      ...listener('listen'),
      '',
    ].join('\n');
  }
  return [
    ...common,
    'disable_plaintext_auth = no',
    'mail_location = maildir:~/Maildir',
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    '}',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${c.passwdFile}`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${c.passwdFile}`,
    '}',
    ...listener('address'),
    '',
  ].join('\n');
}

/** uid and gid of a user in /etc/passwd (the Debian package creates 'dovecot' and 'dovenull'), undefined if unknown. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[0] === name);
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes runtime dirs of earlier runs on `dir` whose dovecot is gone (a killed test leaves them behind). */
function removeStaleRuns(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('run-'));
  } catch {
    return;
  }
  for (const name of names) {
    const pidFile = join(dir, name, 'master.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (pid > 0 && pidAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** Resolves true once a connection to the port is greeted with "* OK", false on refusal, timeout or another greeting. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      if (data.includes('\r\n') || data.length > 200) done(data.startsWith('* OK'));
    });
    socket.on('close', () => done(false));
  });
}

/** The log written since byte `from` (this run's part; the log is kept across restarts), at most its last 8 kB. */
function readLog(file: string, from = 0): string {
  try {
    return readFileSync(file).subarray(from).toString('utf8').slice(-8_000) || '(log empty)';
  } catch {
    return '(no log file)';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Ends dovecot if the test process dies without stop() (even by SIGKILL): a detached shell polls both pids
 * and sends SIGTERM to the master once the test process is gone. Returns a function that ends the watcher.
 */
function watchParent(masterPid: number): () => void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do kill -0 ${masterPid} 2>/dev/null || exit 0; sleep 1; done; kill -TERM ${masterPid} 2>/dev/null`;
  const watcher = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watcher.on('error', () => {});
  watcher.unref();
  return () => {
    if (watcher.exitCode === null && watcher.signalCode === null) watcher.kill('SIGKILL');
  };
}

/**
 * Starts a private dovecot (foreground, -F) with a config written under `dir` (a fresh temp dir unless given, so a
 * test can restart on the same mail store), plaintext auth allowed on 127.0.0.1 without TLS, a passwd-file with one
 * user, maildir storage under dir, base_dir/state_dir/log under dir, listening only on 127.0.0.1:<free port>.
 * Resolves when the port accepts connections and greets with "* OK". Never touches the system-wide dovecot: every
 * run gets its own base_dir (`dir/run-<random>`) and port, so a stale server from a killed test cannot block it.
 *
 * @example
 * const dovecot = await startDovecot();
 * const client = new ImapFlow(dovecot.imapOptions());
 * await client.connect();
 * await client.append('INBOX', rawMessage, ['\\Seen']);
 * await client.logout();
 * await dovecot.stop();
 */
export async function startDovecot(opts: StartDovecotOptions = {}): Promise<Dovecot> {
  const bin = dovecotBinary();
  const [major, minor] = dovecotVersion(bin);
  const v24 = major > 2 || (major === 2 && minor >= 4);
  const user = opts.user ?? 'rr';
  const password = opts.password ?? 'secret';
  if (/[:\s]/.test(user) || /[\n\r:]/.test(password)) throw new Error('dovecot user and password must not contain ":" or line breaks (user: no spaces)');

  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync('/tmp/rr-dovecot-');
  mkdirSync(dir, { recursive: true });
  // Auth processes run as the internal user and must reach the passwd-file and sockets under dir.
  chmodSync(dir, 0o755);
  removeStaleRuns(dir);

  // Dovecot never gives mail access to root ("Mail access not allowed for root"), and its passwd-file rejects
  // uid 0: running as root, the mail store belongs to 'nobody' (root can still read and remove it); otherwise
  // to the current user, with every dovecot process running as that user (rootless).
  const processUid = process.getuid?.() ?? 0;
  let loginUser = 'dovenull';
  let internalUser = 'dovecot';
  let mailIds = systemUser('nobody') ?? systemUser(internalUser);
  if (processUid !== 0 || !systemUser(loginUser) || !systemUser(internalUser) || !mailIds) {
    loginUser = internalUser = userInfo().username;
    mailIds = { uid: processUid, gid: process.getgid?.() ?? 0 };
  }
  const { uid, gid } = mailIds;

  const home = join(dir, 'home', user);
  mkdirSync(home, { recursive: true });
  if (processUid === 0) chownSync(home, uid, gid);
  const passwdFile = join(dir, 'passwd');
  writeFileSync(passwdFile, `${user}:{PLAIN}${password}:${uid}:${gid}::${home}::\n`);
  chmodSync(passwdFile, 0o644);
  mkdirSync(join(dir, 'state'), { recursive: true });
  const logFile = join(dir, 'dovecot.log');
  const conf = join(dir, 'dovecot.conf');

  const runId = randomBytes(4).toString('hex');
  let baseDir = join(dir, `run-${runId}`);
  if (baseDir.length > MAX_BASE_DIR) baseDir = mkdtempSync('/tmp/rr-dc-');
  mkdirSync(baseDir, { recursive: true });
  chmodSync(baseDir, 0o755);

  let child: ChildProcess | undefined;
  let stopWatcher = () => {};
  let port = 0;
  let logFrom = 0;
  // A test that dies without stop() must not leave its server behind.
  const killOnExit = () => child?.kill('SIGTERM');
  process.once('exit', killOnExit);

  const cleanupRun = () => {
    rmSync(baseDir, { recursive: true, force: true });
  };

  const exited = (proc: ChildProcess) =>
    proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const end = async (proc: ChildProcess) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = exited(proc);
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  /** One attempt on a fresh free port; 'port-taken' when another process grabbed the port first. */
  const attempt = async (): Promise<'ok' | 'port-taken'> => {
    port = await freePort();
    writeFileSync(conf, configText({ v24, port, baseDir, dir, passwdFile, logFile, loginUser, internalUser, uid, gid }));
    logFrom = fileSize(logFile);
    const proc = spawn(bin, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    // Keep reading for as long as it runs (a full pipe would stall it); keep the tail for errors.
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    let failed: string | undefined;
    proc.once('error', (err) => (failed = err.message));
    proc.once('exit', (code, signal) => (failed ??= `exited (${code ?? signal})`));
    if (proc.pid) stopWatcher = watchParent(proc.pid);
    const describe = () => `dovecot ${v24 ? '2.4' : '2.3'} on 127.0.0.1:${port} (config ${conf})`;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (failed) {
        stopWatcher();
        const log = readLog(logFile, logFrom);
        if (/Address already in use/i.test(output + log)) return 'port-taken';
        throw new Error(`${describe()} ${failed} before it was ready:\n${output}\n--- log ---\n${log}`);
      }
      if (await greets(port)) return 'ok';
      await new Promise((r) => setTimeout(r, 50));
    }
    await end(proc);
    stopWatcher();
    throw new Error(`${describe()} not ready after ${READY_TIMEOUT_MS} ms:\n${output}\n--- log ---\n${readLog(logFile, logFrom)}`);
  };

  try {
    let result = await attempt();
    for (let i = 0; result === 'port-taken' && i < 3; i++) result = await attempt();
    if (result === 'port-taken') throw new Error(`dovecot could not bind a free port on 127.0.0.1:\n${readLog(logFile, logFrom)}`);
  } catch (err) {
    process.off('exit', killOnExit);
    cleanupRun();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const proc = child!;
  const url = `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/`;
  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    url,
    imapOptions: () => ({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false }),
    stop() {
      stopping ??= (async () => {
        await end(proc);
        stopWatcher();
        process.off('exit', killOnExit);
        cleanupRun();
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
