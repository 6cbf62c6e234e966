import { describe, expect, it } from 'vitest';
import { sanitizeContent, toPlainText } from '../../../../src/pipeline/sanitize/index.js';

describe('sanitizeContent', () => {
  it.each([
    ['<p>ok</p><script>alert(1)</script>', '<p>ok</p>'],
    ['<img src="x.png" onerror="alert(1)">', '<img src="https://example.org/news/x.png" loading="lazy" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="/y">y</a>', '<a href="https://example.org/y" rel="noopener noreferrer nofollow">y</a>'],
    ['<style>p{}</style><div><span>text</span></div>', 'text'],
    ['<iframe src="https://evil.test"></iframe><p>kept</p>', '<p>kept</p>'],
    ['<svg><script>alert(1)</script></svg>x', 'x'],
    ['<p style="color:red" class="x">styled</p>', '<p>styled</p>'],
  ])('%s', (input, expected) => {
    expect(sanitizeContent(input, 'https://example.org/news/').html).toBe(expected);
  });

  it('returns the plain text beside the HTML, entities decoded', () => {
    expect(sanitizeContent('<h2>Tema</h2><p>Smart &amp; grøn</p><ul><li>a</li><li>b</li></ul>').text).toBe('Tema\nSmart & grøn\na\nb');
  });

  // Blocks the allowlist unwraps (div, section, h1 …) still end a line: their neighbours never run together.
  it.each([
    ['<div>et fast håndtrykk.</div><div>Tettere samarbeid</div>', 'et fast håndtrykk.\nTettere samarbeid'],
    ['<section><h1>Kommunal- og moderniseringsdepartementet</h1><div class="by">Vincent Fleischer</div></section>', 'Kommunal- og moderniseringsdepartementet\nVincent Fleischer'],
    ['<table><tr><td>Nordland</td><td>12</td></tr></table>', 'Nordland\n12'],
    ['<p>a<br>b</p><hr><p>c</p>', 'a\nb\nc'],
  ])('separates blocks in the text of %s', (input, text) => {
    expect(sanitizeContent(input).text).toBe(text);
  });

  it('leaves no break in the HTML where an allowed block keeps its tags', () => {
    expect(sanitizeContent('<div><p>ok</p></div>').html).toBe('<p>ok</p>');
  });
});

describe('toPlainText', () => {
  it('drops markup and folds white space', () => {
    expect(toPlainText('  <b>Høring</b> –\n  <i>NOU</i> &amp; mer ')).toBe('Høring – NOU & mer');
  });

  // Summaries are one line: a block boundary is a space, inline markup is none.
  it.each([
    ['<p>et fast håndtrykk.</p><p>Tettere samarbeid</p>', 'et fast håndtrykk. Tettere samarbeid'],
    ['<div>moderniseringsdepartementet</div><div>Vincent Fleischer</div>', 'moderniseringsdepartementet Vincent Fleischer'],
    ['<ul><li>en</li><li>to</li></ul>', 'en to'],
    ['linje<br/>neste', 'linje neste'],
    ['<b>Hør</b>ing', 'Høring'],
  ])('%s', (input, text) => {
    expect(toPlainText(input)).toBe(text);
  });
});
