import { readdirSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { DocumentError } from '../../../src/errors.js';
import { DEFAULT_PDF_LIMITS, extractPdfText, isPdf, type PdfLimits } from '../../../src/pipeline/documents/extract.js';
import { bombStream, makePdf, makePdfBomb } from '../../helpers/pdf.js';

const ctx = { sourceId: 'innlandet-fk', url: 'https://www.example.no/dokumenter/arsrapport-rff-2025.pdf' };
const TITLE = 'Årsrapport 2025 – Regionalt forskningsfond Innlandet';

// One marker word per page that appears on no other page, to tell which pages were read.
const REPORT: string[][] = [
  [
    'Regionalt forskningsfond Innlandet skal mobilisere næringslivet og offentlig sektor til økt forskning, og bidra til at kunnskapsmiljøene i fylket blir sterkere.',
    'I 2025 lyste fondet ut midler til kvalifiseringsprosjekter, forprosjekter og regionale forskningsprosjekter. Søknadsfristen var 15. mars, og styret behandlet 47 søknader.',
  ],
  [
    'Smart spesialisering er grunnlaget for prioriteringene. Fylkets strategi peker ut skogbasert bioøkonomi, reiseliv og digital forvaltning som områder der regionen har særlige fortrinn.',
    'Samarbeidet mellom bedriftene og høgskolene ble styrket gjennom tre nye klyngeprosjekter.',
  ],
  [
    'Kompetanse er en forutsetning for omstilling. Fylkeskommunen finansierte fagskoleutdanning innen automatisering og bærekraftig byggeri, i tett dialog med arbeidslivet.',
    'Tilbudene nådde 312 deltakere, hvorav en tredjedel var ansatt i små og mellomstore bedrifter.',
  ],
  [
    'Måloppnåelse: fondet nådde målene for mobilisering, men færre søknader enn ventet kom fra kommunene. Sluttevaluering av ordningen gjennomføres i 2026.',
    'Styret vil forenkle søknadsbehandlingen og øke tilskuddet til kvalifiseringsstøtte.',
  ],
];

/** Runs an extraction that must fail, and returns its DocumentError. */
async function documentError(bytes: Uint8Array, limits?: Partial<PdfLimits>): Promise<DocumentError> {
  const err = await extractPdfText(bytes, ctx, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DocumentError);
  return err as DocumentError;
}

/** Live child processes of this (test) process running the extraction child, from /proc. */
function extractionChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
      if (Number(fields[1]) !== process.pid || fields[0] === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('documents/child')) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/**
 * Runs `work` while sampling this process's RSS and the extraction children it starts; returns the
 * outcome, the highest RSS growth seen, the children seen, and the time taken.
 */
async function observe<T>(work: () => Promise<T>) {
  const before = process.memoryUsage.rss();
  let peak = before;
  const seen = new Set<number>();
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
    for (const pid of extractionChildren()) seen.add(pid);
  };
  const iv = setInterval(sample, 20);
  const t0 = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - t0, growthMb: (peak - before) / 2 ** 20, seen };
  } finally {
    clearInterval(iv);
    sample();
  }
}

const gone = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
};

describe('isPdf', () => {
  it('knows a PDF by the %PDF- magic within the first 1024 bytes', async () => {
    const pdf = await makePdf([['Hei']]);
    expect(isPdf(pdf)).toBe(true);
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(isPdf(enc(`${' '.repeat(500)}%PDF-1.4\n`))).toBe(true);
    expect(isPdf(enc(`${' '.repeat(1020)}%PDF-1.4\n`))).toBe(false);
    expect(isPdf(enc('<!doctype html><title>Not found</title>'))).toBe(false);
    expect(isPdf(new Uint8Array(0))).toBe(false);
  });
});

describe('extractPdfText', () => {
  it('reads the title and the text of every page, æøå intact, in a child process', async () => {
    const pdf = await makePdf(REPORT, { title: TITLE });
    const { result: doc, seen } = await observe(() => extractPdfText(pdf, ctx));
    expect(seen.size).toBe(1); // the work was done in a child, not here
    expect([...seen].every(gone)).toBe(true);
    expect(doc.pages).toBe(4);
    expect(doc.title).toBe(TITLE);
    expect(doc.truncated).toBe(false);
    const flat = doc.text.replace(/\s+/g, ' '); // phrases may be wrapped over lines
    expect(flat).toContain('mobilisere næringslivet og offentlig sektor til økt forskning');
    expect(flat).toContain('Smart spesialisering');
    expect(flat).toContain('bærekraftig byggeri');
    expect(flat).toContain('forenkle søknadsbehandlingen og øke tilskuddet');
    expect(doc.text.indexOf('kvalifiseringsprosjekter')).toBeLessThan(doc.text.indexOf('Sluttevaluering'));
    // Wrapped lines become lines, pages are set apart by a blank line, nothing else is blank.
    expect(doc.text.split('\n\n')).toHaveLength(4);
    expect(doc.text).not.toMatch(/ {2}|^ | $/m);
  }, 15_000);

  it('leaves out a title that is blank', async () => {
    const doc = await extractPdfText(await makePdf([['Innhold.']], { title: '   ' }), ctx);
    expect(doc).toEqual({ pages: 1, text: 'Innhold.', truncated: false });
  }, 15_000);

  it('reads at most maxPages pages but reports them all', async () => {
    const doc = await extractPdfText(await makePdf(REPORT, { title: TITLE }), ctx, { maxPages: 2 });
    expect(doc.pages).toBe(4);
    expect(doc.truncated).toBe(true);
    expect(doc.text).toContain('kvalifiseringsprosjekter');
    expect(doc.text).toContain('skogbasert');
    expect(doc.text).not.toContain('fagskoleutdanning');
    expect(doc.text).not.toContain('Sluttevaluering');
  }, 15_000);

  it('keeps at most maxChars characters', async () => {
    const doc = await extractPdfText(await makePdf(REPORT), ctx, { maxChars: 100 });
    expect(doc.truncated).toBe(true);
    expect(doc.text).toHaveLength(100);
    expect(doc.text.startsWith('Regionalt forskningsfond Innlandet skal')).toBe(true);
  }, 15_000);

  it('refuses what is not a PDF without starting anything', async () => {
    const html = new TextEncoder().encode('<!doctype html><html lang="nb"><title>Rapport</title><p>Dokumentet er flyttet.</p></html>');
    const { result: err, seen } = await observe(() => documentError(html));
    expect(err.reason).toBe('not-pdf');
    expect(err.url).toBe(ctx.url);
    expect(err.sourceId).toBe(ctx.sourceId);
    expect(seen.size).toBe(0);
  });

  it('reports a header followed by junk, or a cut-off download, as malformed', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    const bytes = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n'), ...junk]);
    const err = await documentError(bytes);
    expect(err.reason).toBe('malformed');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/Invalid PDF structure/); // pdf.js's own words, not a crash of ours
    const pdf = await makePdf(REPORT, { title: TITLE });
    expect((await documentError(pdf.subarray(0, Math.floor(pdf.length / 2)))).reason).toBe('malformed');
  }, 15_000);

  it('makes a bomb that is small and inflates to what it says', async () => {
    expect(inflateSync(bombStream(8)).length).toBe(8 * 2 ** 20);
    const bomb = await makePdfBomb();
    expect(bomb.length).toBeLessThan(2 * 2 ** 20);
    expect(isPdf(bomb)).toBe(true);
  });

  // pdf.js keeps a FlateDecode content stream's whole decoded output in one growing ArrayBuffer
  // (outside the V8 heap, so --max-old-space-size does not see it): the child's RSS climbs by
  // ~100–200 MB/s from ~85 MB until the watchdog kills it, ~1.5 s after start at 200 MB. The
  // 30 s timeout is far out of reach, so the outcome is always 'memory'.
  it('kills a decompression bomb at the memory cap, without growing this process', async () => {
    const bomb = await makePdfBomb(1024);
    const { result: err, growthMb, seen, ms } = await observe(() => documentError(bomb, { memoryMb: 200, timeoutMs: 30_000 }));
    expect(err.reason).toBe('memory');
    expect(err.message).toMatch(/200 MB/);
    expect(ms).toBeLessThan(15_000);
    expect(growthMb).toBeLessThan(100);
    expect(seen.size).toBe(1);
    expect([...seen].every(gone)).toBe(true);
    expect(extractionChildren()).toEqual([]);
  }, 40_000);

  it('kills a document that runs past timeoutMs', async () => {
    // The bomb again, with room to grow: only the clock can stop it (pdf.js needs ~20 s for it).
    // 1 GB cap, so that a broken timer fails as 'memory' after ~8 s rather than eating the machine.
    const bomb = await makePdfBomb(1024);
    const { result: err, seen, ms } = await observe(() => documentError(bomb, { memoryMb: 1024, timeoutMs: 1500 }));
    expect(err.reason).toBe('timeout');
    expect(ms).toBeGreaterThanOrEqual(1500);
    expect(ms).toBeLessThan(4000);
    expect(seen.size).toBe(1);
    expect([...seen].every(gone)).toBe(true);
  }, 20_000);

  it('has the documented defaults', () => {
    expect(DEFAULT_PDF_LIMITS).toEqual({ maxPages: 100, maxChars: 200_000, memoryMb: 256, timeoutMs: 20_000 });
  });
});
