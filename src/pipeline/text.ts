/**
 * Lower-cased words of a text. Letters and digits, with inner hyphens, "+" and "&" kept because
 * domain terms use them ("s3-strategi", "BRP+", "R&D").
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}][\p{L}\p{N}&+\-]*/gu)) {
    out.push(m[0].replace(/-+$/, ''));
  }
  return out;
}
