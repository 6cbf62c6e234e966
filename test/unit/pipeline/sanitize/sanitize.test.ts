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
});

describe('toPlainText', () => {
  it('drops markup and folds white space', () => {
    expect(toPlainText('  <b>Høring</b> –\n  <i>NOU</i> &amp; mer ')).toBe('Høring – NOU & mer');
  });
});
