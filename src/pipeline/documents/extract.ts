/**
 * Text of linked documents (PDFs), for language detection, theme tagging and search.
 *
 * pdf.js runs in a child process started per document, never in ours: a hostile PDF (a
 * decompression bomb, a huge page tree, a parser loop) can then only exhaust the child, which a
 * watchdog here kills at its memory or time cap. Node cannot cap a thread's memory: a worker
 * thread's `resourceLimits` bound the JS heap only, and pdf.js keeps decoded streams in
 * ArrayBuffers outside it (a 1 MB bomb grows them by 100–300 MB/s), so only a process can be held to
 * a memory cap and killed without harm to the rest.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { DocumentError } from '../../errors.js';

/** Caps on one document's extraction. */
export interface PdfLimits {
  /** Pages read at most; the rest are ignored (their count is still reported). */
  maxPages: number;
  /** Characters of text kept at most. */
  maxChars: number;
  /** Memory the extraction may use (resident set size of the child process, MB); past it the child is killed. */
  memoryMb: number;
  /** Wall-clock time for one document, child start-up included. */
  timeoutMs: number;
}

/** Defaults: enough for a long report, small enough that a few extractions at once fit any worker. */
export const DEFAULT_PDF_LIMITS: PdfLimits = Object.freeze({
  maxPages: 100,
  maxChars: 200_000,
  memoryMb: 256,
  timeoutMs: 20_000,
});

/** What a PDF yields. */
export interface PdfText {
  /** The Info dictionary's Title, whitespace-collapsed; absent when missing or blank. */
  title?: string;
  /** Pages in the document, read or not. */
  pages: number;
  /** Text of the pages read: a line per text line, a blank line between pages. */
  text: string;
  /** true when maxPages or maxChars cut it */
  truncated: boolean;
}

/** The limits child.ts applies itself (argv[2], JSON). @internal */
export type ChildLimits = Pick<PdfLimits, 'maxPages' | 'maxChars'>;

/** Messages child.ts sends over IPC. @internal */
export type ChildMessage =
  | { type: 'ready' }
  | ({ type: 'result' } & PdfText)
  | { type: 'error'; reason: 'malformed'; message: string };

/** How often the watchdog reads the child's RSS. At a bomb's 100–300 MB/s it overshoots the cap by ≤ ~15 MB. */
const POLL_MS = 25;
/** Bytes of the child's stderr kept for an error message: a crash's last words, not a flood. */
const STDERR_KEEP = 2048;

/**
 * Extracts a PDF's text in a child process, so a hostile document (a decompression bomb, a huge
 * page tree, a parser loop) can only exhaust the child: it is killed at its memory or time cap and
 * the caller gets a DocumentError (`not-pdf`, `malformed`, `memory`, `timeout`). When the promise
 * settles, the child has exited. Failures that are not the document's (the child could not start)
 * reject with a plain Error.
 */
export async function extractPdfText(bytes: Uint8Array, ctx: { sourceId?: string; url?: string }, limits: Partial<PdfLimits> = {}): Promise<PdfText> {
  const lim: PdfLimits = { ...DEFAULT_PDF_LIMITS, ...limits };
  if (!isPdf(bytes)) throw new DocumentError('not a PDF: no %PDF- header', { ...ctx, reason: 'not-pdf' });

  const { script, execArgv } = childEntry();
  const childLimits: ChildLimits = { maxPages: lim.maxPages, maxChars: lim.maxChars };
  const child = spawn(process.execPath, [...execArgv, `--max-old-space-size=${Math.max(16, Math.floor(lim.memoryMb))}`, script, JSON.stringify(childLimits)], {
    // stdin: the bytes; stdout: discarded (pdf.js may print); stderr: last words; fd 3: IPC.
    stdio: ['pipe', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });

  return new Promise<PdfText>((resolve, reject) => {
    let ready = false;
    let stderr = '';
    let outcome: Outcome | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;

    // The first outcome wins; the promise settles once the child is gone ('close': exited, pipes and
    // IPC channel shut), so that no caller sees a result while the child still holds its memory.
    const finish = (result: Outcome) => {
      outcome ??= result;
      clearInterval(watchdog);
      clearTimeout(timer);
      if (child.pid === undefined) settle(); // never started: no 'close' will come
      else if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    let settled = false;
    const settle = () => {
      if (settled || !outcome) return;
      settled = true;
      clearInterval(watchdog);
      clearTimeout(timer);
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    };
    const docError = (message: string, reason: DocumentError['reason']): Outcome => ({ ok: false, error: new DocumentError(message, { ...ctx, reason }) });

    // setInterval with a synchronous read: /proc reads take microseconds, and an async read would
    // queue behind whatever else holds libuv's thread pool just when memory runs away.
    watchdog = setInterval(() => {
      const rssMb = readRssMb(child.pid);
      if (rssMb !== undefined && rssMb > lim.memoryMb) finish(docError(`PDF extraction exceeded ${lim.memoryMb} MB (resident ${Math.round(rssMb)} MB)`, 'memory'));
    }, POLL_MS);
    timer = setTimeout(() => finish(docError(`PDF extraction took longer than ${lim.timeoutMs} ms`, 'timeout')), lim.timeoutMs);

    child.on('message', (raw: unknown) => {
      const m = raw as ChildMessage | null;
      if (m?.type === 'ready') ready = true;
      else if (m?.type === 'result') finish({ ok: true, value: { ...(m.title ? { title: m.title } : {}), pages: m.pages, text: m.text, truncated: m.truncated } });
      else if (m?.type === 'error') finish(docError(`PDF could not be parsed: ${m.message}`, 'malformed'));
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_KEEP);
    });
    child.on('error', (err) => finish({ ok: false, error: new Error(`PDF extraction child could not run: ${err.message}`, { cause: err }) }));
    // 'close', not 'exit': it comes after the IPC channel has delivered every message, so a child
    // that answered and exited is never mistaken for one that died silently.
    child.on('close', (code, signal) => {
      if (!outcome) {
        clearInterval(watchdog);
        clearTimeout(timer);
        // Died without an answer and without our kill: V8 at --max-old-space-size aborts with
        // "heap out of memory" (SIGABRT); anything else after start-up is the document breaking pdf.js.
        if (/heap out of memory|Reached heap limit/i.test(stderr) || signal === 'SIGABRT' || code === 134) {
          outcome = docError(`PDF extraction exceeded its ${lim.memoryMb} MB heap`, 'memory');
        } else if (ready) {
          outcome = docError(`PDF extraction crashed (exit ${code ?? signal}): ${stderr.trim().slice(-500)}`, 'malformed');
        } else {
          outcome = { ok: false, error: new Error(`PDF extraction child failed to start (exit ${code ?? signal}): ${stderr.trim().slice(-1000)}`) };
        }
      }
      settle();
    });

    // The child may die before reading everything (killed, or it failed to start): EPIPE then is
    // expected, and the close handler reports why.
    child.stdin!.on('error', () => {});
    child.stdin!.end(bytes);
  });
}

type Outcome = { ok: true; value: PdfText } | { ok: false; error: Error };

/**
 * True when the bytes are a PDF: the magic `%PDF-` within the first 1024 bytes (where readers look
 * for it, as some producers put junk before it). The content type is not trusted either way: servers
 * send PDFs as application/octet-stream and HTML error pages as application/pdf.
 */
export function isPdf(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  outer: for (let i = 0; i + MAGIC.length <= head.length; i++) {
    for (let j = 0; j < MAGIC.length; j++) if (head[i + j] !== MAGIC[j]) continue outer;
    return true;
  }
  return false;
}

const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/** Resident set size of a process in MB, from /proc (Linux); undefined when unknown or exited. */
function readRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    // No /proc (not Linux) or the child just exited: only --max-old-space-size and the timeout hold.
    return undefined;
  }
}

/**
 * The child script beside this module: compiled, dist/src/pipeline/documents/child.js; from source
 * (vitest, tsx), child.ts, run through tsx's loader, resolved from here so that the working
 * directory does not matter. tsx is a devDependency, only ever needed when running from source.
 */
function childEntry(): { script: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(fromSource ? './child.ts' : './child.js', import.meta.url));
  if (!fromSource) return { script, execArgv: [] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { script, execArgv: ['--import', pathToFileURL(tsx).href] };
}
