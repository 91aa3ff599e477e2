// Label and value normalisation for matching printed text against the schema's own labels. Matching only:
// values keep the source's characters (width variants included); labels are compared after NFKC, without
// whitespace, ※ marks and the form's section notes, so 「（委託や…）」 and 「(委託や…)」 are one label.

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** NFKC would turn ① into 1 and lose the numbering the form relies on; keep circled numbers as they are. */
export function nfkc(s: string): string {
  let out = '';
  for (const ch of s) out += CIRCLED.includes(ch) ? ch : ch.normalize('NFKC');
  return out;
}

/** Key for label comparison: NFKC, no whitespace, no ※ (with its 「(7. ②を除く。)」 note), unified dashes/colons. */
export function labelKey(s: string): string {
  return nfkc(s)
    .replace(/※\s*\([^)]*\)/g, '')
    .replace(/※/g, '')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[‐‑‒–—―ー－]/g, 'ー')
    .replace(/[<>]/g, '')
    .trim();
}

/** Key for comparing values (choices, multi labels): NFKC without whitespace. */
export function valueKey(s: string): string {
  return nfkc(s).replace(/[\s\u3000]+/g, '');
}

export function isCircled(ch: string): boolean {
  return CIRCLED.includes(ch);
}

export const CIRCLED_NUMBERS = CIRCLED;
