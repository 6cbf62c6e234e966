import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeBody } from '../../../../src/pipeline/fetch/charset.js';

const xml = (encoding: string, body: string) => `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>${body}</title></channel></rss>`;

describe('decodeBody', () => {
  // Valid UTF-8 wins over any declaration
  it('keeps valid UTF-8 although the XML declaration says ISO-8859-1', () => {
    const r = decodeBody(Buffer.from(xml('ISO-8859-1', 'Tillväxt på Åland – æøå'), 'utf8'));
    expect(r.encoding).toBe('utf-8');
    expect(r.text).toContain('Tillväxt på Åland – æøå');
  });

  // Legacy encodings: header, then XML declaration, then <meta>
  it('reads windows-1252 from the Content-Type charset, typographic quotes and dashes included', () => {
    const bytes = iconv.encode(xml('windows-1252', '”Företagen” – grön omställning, æøå ÆØÅ'), 'windows-1252');
    const r = decodeBody(bytes, 'application/rss+xml; charset=windows-1252');
    expect(r.text).toContain('”Företagen” – grön omställning, æøå ÆØÅ');
  });

  it('reads ISO-8859-1 declared only in the XML declaration as windows-1252', () => {
    const bytes = Buffer.concat([iconv.encode(xml('ISO-8859-1', 'Kompetensförsörjning på Øvre Norrland '), 'latin1'), Buffer.from([0x96])]);
    const r = decodeBody(bytes, 'text/xml');
    expect(r.encoding).toBe('windows-1252');
    expect(r.text).toContain('Kompetensförsörjning på Øvre Norrland');
    expect(r.text.endsWith('–')).toBe(true);
  });

  it('reads the charset of an HTML <meta> in the first 1,024 bytes', () => {
    const html = '<!doctype html><html><head><meta charset="iso-8859-1"><title>Høring</title></head><body>Bodø, Tromsø</body></html>';
    expect(decodeBody(iconv.encode(html, 'latin1')).text).toContain('Bodø, Tromsø');
  });

  it('falls back to windows-1252 when nothing is declared and the bytes are not UTF-8', () => {
    expect(decodeBody(iconv.encode('Västerbottens län', 'windows-1252')).text).toBe('Västerbottens län');
  });

  it('honours a UTF-16 byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('<rss>Trøndelag</rss>', 'utf-16le')]);
    expect(decodeBody(bytes).text).toBe('<rss>Trøndelag</rss>');
  });

  it('strips characters XML forbids', () => {
    expect(decodeBody(Buffer.from('<title>a\u0000b\u000bc\u0008</title>', 'utf8')).text).toBe('<title>abc</title>');
  });
});
