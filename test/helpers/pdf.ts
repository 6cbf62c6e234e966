import { deflateRawSync, constants as zlibConstants } from 'node:zlib';

import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

const PAGE_WIDTH = 595; // A4 in points
const PAGE_HEIGHT = 842;
const MARGIN = 56;
const FONT_SIZE = 11;
const LINE_HEIGHT = 15;

/**
 * A text PDF with the given pages (each an array of paragraphs), Helvetica (WinAnsi covers æøåÆØÅ),
 * title in the Info dict. Wraps lines to the page width; one text-show operation per line, as real
 * producers write them, so the extractor's line handling is exercised.
 */
export async function makePdf(pages: string[][], opts: { title?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (opts.title !== undefined) doc.setTitle(opts.title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const width = PAGE_WIDTH - 2 * MARGIN;
  for (const paragraphs of pages) {
    const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    let y = PAGE_HEIGHT - MARGIN;
    for (const paragraph of paragraphs) {
      for (const line of wrap(paragraph, (s) => font.widthOfTextAtSize(s, FONT_SIZE), width)) {
        if (y < MARGIN) throw new Error('makePdf: page overflows; split the paragraphs over more pages');
        page.drawText(line, { x: MARGIN, y, size: FONT_SIZE, font });
        y -= LINE_HEIGHT;
      }
      y -= LINE_HEIGHT / 2; // paragraph gap
    }
  }
  return doc.save();
}

/** Greedy word wrap: as many words per line as fit `width`. */
function wrap(text: string, measure: (s: string) => number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A small PDF (about 1 KB per inflated MB, so ~1 MB at the default) whose one page content stream is
 * FlateDecode-compressed and inflates to `inflatedMb` MB (default 1024) of whitespace: a
 * decompression bomb. The compressed stream is built from one 1 MiB block deflated once with a full
 * flush (which resets the compressor, so the block's output is self-contained and byte-aligned) and
 * repeated: generating a 1 GB bomb takes milliseconds and no memory, where streaming 1 GB through
 * zlib takes ~5 s. Header and Adler-32 trailer are real, so any inflater (zlib, pdf.js) accepts it.
 */
export async function makePdfBomb(inflatedMb = 1024): Promise<Uint8Array> {
  const stream = bombStream(inflatedMb);
  const doc = await PDFDocument.create();
  const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  // PDFRawStream: pdf-lib writes these bytes as they are; the Filter tells readers to inflate them.
  const contents = doc.context.stream(stream, { Filter: 'FlateDecode' });
  page.node.set(PDFName.of('Contents'), doc.context.register(contents));
  return doc.save({ useObjectStreams: false });
}

/** A zlib stream (RFC 1950) inflating to `mb` MiB of spaces and newlines. */
export function bombStream(mb: number): Uint8Array {
  const block = Buffer.alloc(1 << 20, 0x20);
  // A newline every 64 KiB, so line-oriented readers see lines; rarer would not shrink it much more.
  for (let i = 65535; i < block.length; i += 65536) block[i] = 0x0a;
  const body = deflateRawSync(block, { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0)); // an empty final block: BFINAL set
  const blockAdler = adler32(block);
  let adler = 1; // the Adler-32 of no bytes
  for (let i = 0; i < mb; i++) adler = adler32Combine(adler, blockAdler, block.length);
  const out = new Uint8Array(2 + body.length * mb + end.length + 4);
  out.set([0x78, 0xda], 0); // zlib header: deflate, 32 KiB window, best compression; (0x78da % 31 === 0)
  for (let i = 0; i < mb; i++) out.set(body, 2 + i * body.length);
  out.set(end, 2 + body.length * mb);
  new DataView(out.buffer).setUint32(out.length - 4, adler >>> 0); // big-endian, as RFC 1950 says
  return out;
}

const ADLER_BASE = 65521;

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % ADLER_BASE;
    b = (b + a) % ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib's adler32_combine: the checksum of A then B from those of A and B and B's length. */
function adler32Combine(adler1: number, adler2: number, len2: number): number {
  const rem = len2 % ADLER_BASE;
  let sum1 = adler1 & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (adler2 & 0xffff) + ADLER_BASE - 1;
  sum2 += ((adler1 >>> 16) & 0xffff) + ((adler2 >>> 16) & 0xffff) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= ADLER_BASE * 2) sum2 -= ADLER_BASE * 2;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}
