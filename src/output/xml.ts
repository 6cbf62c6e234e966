const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** ISO 639-3 → the BCP 47 tag feed readers understand (xml:lang, JSON Feed `language`). */
export function bcp47(lang: string): string | undefined {
  return ({ nob: 'nb', nno: 'nn', swe: 'sv', dan: 'da', fin: 'fi', isl: 'is', eng: 'en', sme: 'se', fao: 'fo' } as Record<string, string>)[lang];
}
