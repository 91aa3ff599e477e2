// The label sequence of a seed text (../shared/seeds: text extracted from published 評価書 PDFs/Excel).
//
// How a label is recognised, so the count can be recomputed: the seed is one table row per line, cells
// separated by tabs.
//  - A line with two or more filled cells: its leading cells are labels, up to the first cell that looks
//    like a value ([選択], <html>, ・…, 1) …, -), and never the last filled cell (the value).
//  - A line with one filled cell is a label when it reads as a heading of the form: Ⅰ…Ⅵ, 「N. 」, (別添N),
//    リスクN:, システムN / 委託事項N, ①…⑳ (an item with a blank value), the cover and 項目一覧 headings, and
//    the 「…その他のリスク及びそのリスクに対する措置」 / 「委託先による…」 risk headings.
//  - The cover's 「評価書番号 評価書名」 and the 変更箇所 header are rows of labels only.
//  - Not labels: Excel layout rows (「システム2～5」, 「委託事項6～10」), bullet lines (「- …」), the 変更箇所
//    rows after its header (values), and everything from the municipality's own 用語集 on (not the form).
//  - ※ and what follows it on a label (「※(7. リスク1⑨を除く。)」) are stripped: ※ is counted separately.
//    「委託事項5 <name>」 keeps only 「委託事項5」.
const HEADING = [
  /^(I|II|III|IV|V|VI|Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ)\s/,
  /^\d+\.\s*\S/,
  /^\(別添\d\)/,
  /^リスク\d?[:：]/,
  /^(システム|委託事項)\d+(\s|$)/,
  /^[①-⑳]/,
  /^特定個人情報保護評価書\(/,
  /^(個人のプライバシー等の権利利益の保護の宣言|特記事項|評価実施機関名|公表日|項目一覧|凡例|\(備考\))$/,
  /^個人情報保護委員会 承認日/,
  /その他のリスク及びそのリスクに対する措置$/,
  /^委託先による/,
];
const VALUE = /^[[<【・\-—]|^\d+\)|^\d+$|<\/?[a-z]/;

export function seedLabels(text: string): string[] {
  return seedLabelCells(text).map((raw) => raw.replace(/\s*※.*$/, '').replace(/^((?:システム|委託事項)\d+)\s.*$/, '$1'));
}

/** ※ marks the seed prints on labels and section titles (not the ※ inside values such as 「(※1)」). */
export function seedLabelMarks(text: string): number {
  return seedLabelCells(text).reduce((n, l) => n + (l.split('※').length - 1), 0);
}

function seedLabelCells(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^用語集\s*$/.test(line)) break;
    if (/^- /.test(line)) continue;
    const filled = line
      .split('\t')
      .map((c) => c.trim())
      .filter((c) => c);
    if (filled.length === 0) continue;
    if (filled[0] === '評価書番号' || filled[0] === '変更日') {
      out.push(...filled);
      if (filled[0] === '変更日') break;
      continue;
    }
    const labels: string[] = [];
    if (filled.length === 1) {
      if (HEADING.some((r) => r.test(filled[0]))) labels.push(filled[0]);
    } else {
      for (const c of filled.slice(0, -1)) {
        if (VALUE.test(c) || c === '-') break;
        labels.push(c);
      }
    }
    for (const raw of labels) if (!raw.includes('～')) out.push(raw);
  }
  return out;
}

/** For comparison with PDF text: NFKC (Ⅱ → II, full-width punctuation) and no whitespace. */
export const squash = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * The labels found in `text` in the seed's order: each label is searched from just after the previous
 * match, so a label printed out of order, or not at all, is a miss (and does not move the cursor).
 */
export function matchInOrder(labels: readonly string[], text: string): { matched: number; missing: string[] } {
  const hay = squash(text);
  let at = 0;
  const missing: string[] = [];
  for (const l of labels) {
    const i = hay.indexOf(squash(l), at);
    if (i < 0) missing.push(l);
    else at = i + squash(l).length;
  }
  return { matched: labels.length - missing.length, missing };
}
