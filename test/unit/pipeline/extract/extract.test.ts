import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/pipeline/extract/index.js';

const REAL = join(import.meta.dirname, '../../../../../shared/fixtures/real');
const page = readFileSync(join(REAL, 'regjeringen-horing-id3167072-nb.html'), 'utf8');
const url = 'https://www.regjeringen.no/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/';

describe('extractArticle on a real regjeringen.no consultation page', () => {
  it('takes the body with the source’s selector, sanitized, links absolute', () => {
    const a = extractArticle(page, url, { selector: 'div.article-body' })!;
    expect(a).toBeDefined();
    expect(a.text).toMatch(/avskogingsforordning/i);
    expect(a.html).not.toMatch(/<script|<nav|<form/i);
    expect(a.html).not.toMatch(/href="\//);
  });

  it('finds the article with Readability when no selector is configured, leaving navigation out', () => {
    const a = extractArticle(page, url)!;
    expect(a).toBeDefined();
    expect(a.text).toMatch(/avskogingsforordning/i);
    expect(a.text).not.toMatch(/Til hovedinnhold|Antikorrupsjon/);
    expect(a.text.length).toBeGreaterThan(500);
  });

  it('gives up on pages without an article rather than returning a menu', () => {
    expect(extractArticle('<html><body><nav><a href="/">Hjem</a></nav><p>Siden finnes ikke.</p></body></html>', url)).toBeUndefined();
    expect(extractArticle(page, url, { selector: 'div.no-such-thing' })).toBeUndefined();
  });
});
