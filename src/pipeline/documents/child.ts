/**
 * The child-process entry of PDF text extraction (started by extract.ts, one process per document;
 * never imported). Reads the document's bytes from stdin and its limits from argv[2] (JSON), sends
 * one message over IPC: `{ type: 'result', … }` or `{ type: 'error', reason: 'malformed', … }`, and
 * exits. It sends `{ type: 'ready' }` once pdf.js has loaded, so that the parent can tell a child
 * that never started (our bug: a plain Error) from one a document broke (a DocumentError).
 *
 * Everything a hostile document can make pdf.js do (inflate a bomb, walk a huge page tree, loop)
 * happens here, where the parent's watchdog can kill it; this process holds no state worth keeping.
 */
import { getDocumentProxy } from 'unpdf';

import type { ChildLimits, ChildMessage } from './extract.js';

/** pdf.js options for text only: no eval, no fonts or images turned into anything, no fetching. */
const PDFJS_OPTIONS = {
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  fontExtraProperties: false,
  // Images are never decoded for text, but say so: any image over one pixel is skipped.
  maxImageSize: 1,
  useWasm: false,
  useWorkerFetch: false,
  isOffscreenCanvasSupported: false,
  isImageDecoderSupported: false,
  enableXfa: false,
  // Recover what text can be had from a damaged page rather than failing the whole document.
  stopAtErrors: false,
  verbosity: 0, // errors only; stdout is discarded and stderr kept only for a crash's message
};

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('documents/child.ts must be started with an IPC channel'));
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

/** All of stdin, as a plain Uint8Array of its own: pdf.js refuses Buffers (and may take over the memory). */
async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Text items of one page joined: pdf.js already puts spaces between words; `hasEOL` ends a line. */
function pageText(items: readonly object[]): string {
  let text = '';
  for (const item of items) {
    // Marked-content items (no `str`) carry structure only.
    if (!('str' in item) || typeof item.str !== 'string') continue;
    text += item.str;
    if ('hasEOL' in item && item.hasEOL) text += '\n';
  }
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function extract(bytes: Uint8Array, limits: ChildLimits): Promise<ChildMessage> {
  const doc = await getDocumentProxy(bytes, PDFJS_OPTIONS);
  const pages = doc.numPages;
  let text = '';
  let truncated = pages > limits.maxPages;
  for (let n = 1; n <= Math.min(pages, limits.maxPages); n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    page.cleanup();
    const t = pageText(content.items);
    if (!t) continue;
    text += (text ? '\n\n' : '') + t;
    if (text.length > limits.maxChars) {
      // Do not leave half a surrogate pair at the cut.
      let end = limits.maxChars;
      const last = text.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end--;
      text = text.slice(0, end);
      truncated = true;
      break; // no point parsing pages whose text would be thrown away
    }
  }
  let title: string | undefined;
  try {
    const { info } = await doc.getMetadata();
    const raw = (info as { Title?: unknown } | undefined)?.Title;
    if (typeof raw === 'string') title = raw.replace(/\s+/g, ' ').trim() || undefined;
  } catch {
    // A broken Info dictionary costs the title, not the text.
  }
  return { type: 'result', title, pages, text, truncated };
}

const limits = JSON.parse(process.argv[2] ?? '{}') as ChildLimits;
await send({ type: 'ready' });
let message: ChildMessage;
try {
  message = await extract(await readStdin(), limits);
} catch (err) {
  // pdf.js rejects what it cannot parse (InvalidPDFException, a password, a broken xref): all of it
  // is the document's fault. Our own failures would show in the message.
  message = { type: 'error', reason: 'malformed', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}
await send(message);
// pdf.js may keep handles open; the work is done, so do not wait for them.
process.exit(0);
