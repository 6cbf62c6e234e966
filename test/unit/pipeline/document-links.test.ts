import { expect, it } from 'vitest';
import { documentLinks } from '../../../src/pipeline/documents/links.js';

it('finds the item link when it is a PDF, the enclosure, then PDF links in the content, each once', () => {
  const draft = {
    url: 'https://www.regjeringen.no/contentassets/abc/rapport.pdf',
    contentHtml:
      '<p><a href="https://www.regjeringen.no/contentassets/abc/rapport.pdf">Rapporten</a>, <a href="/contentassets/def/Vedlegg%201.PDF?download=true">vedlegg</a>, ' +
      '<a href="https://www.regjeringen.no/no/aktuelt/sak/id1/">saken</a>, <a href="mailto:post@kdd.dep.no">e-post</a>, <a href="https://example.org/a.pdf.html">ikke pdf</a></p>',
  };
  expect(documentLinks(draft, { enclosure: 'https://cdn.example.org/presentasjon.pdf' })).toEqual([
    'https://www.regjeringen.no/contentassets/abc/rapport.pdf',
    'https://cdn.example.org/presentasjon.pdf',
    'https://www.regjeringen.no/contentassets/def/Vedlegg%201.PDF?download=true',
  ]);
});

it('an item without PDF links has no documents', () => {
  expect(documentLinks({ url: 'https://example.org/news/1', contentHtml: '<p>Ingen vedlegg.</p>' })).toEqual([]);
});
