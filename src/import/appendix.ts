// 付録 (用語集): a title, then rows of 用語 | 用語の意味. The table's head row and the index marks (「□ア行」)
// are the layout's, not entries; a row with one cell is an index entry of the printed glossary.
import type { JsonObject } from '../types.ts';
import type { ImportNote } from './assemble.ts';
import type { Row } from './rows.ts';

const KANA_WORD = /^[\u30a0-\u30ff\u30fc]+$/;

/**
 * A glossary term printed with its reading (ルビ) above it comes out of extraction as 「アイティー ITリテラシ」
 * or 「地方税ポータルシステム （eLTAX） エルタックス」: whole katakana words before or after a term that has
 * other letters. The reading is not part of the term; a term written in katakana only is kept as it is.
 */
export function stripReading(term: string): { term: string; reading?: string } {
  const words = term.split(/[ \u3000]+/).filter(Boolean);
  if (words.length < 2 || words.every((w) => KANA_WORD.test(w))) return { term };
  let a = 0;
  let b = words.length;
  while (a < b - 1 && KANA_WORD.test(words[a])) a++;
  while (b - 1 > a && KANA_WORD.test(words[b - 1]) && /[)）]$/.test(words[b - 2])) b--;
  if (a === 0 && b === words.length) return { term };
  return { term: words.slice(a, b).join(' '), reading: [...words.slice(0, a), ...words.slice(b)].join(' ') };
}

export function readAppendices(rows: Row[], notes: ImportNote[] = []): JsonObject[] {
  const out: JsonObject[] = [];
  let cur: { title: string; entries: JsonObject[] } | undefined;
  for (const r of rows) {
    // 「□ア行」 (read as an empty box 「[ ] ア行」 by the checkbox decoding) is the glossary's index.
    const cells = [...r.cells, ...(r.value ?? []).map((l) => l.text)].map((c) => c.trim()).filter((c) => c !== '' && !/^(□|\[\s*\])\s*\S{1,2}行$/.test(c));
    if (cells.length === 0) continue;
    if (/^(用語集|付録|別紙)/.test(cells[0]) && cells.length === 1) {
      cur = { title: cells[0], entries: [] };
      out.push(cur as unknown as JsonObject);
      continue;
    }
    if (!cur) continue;
    if (cells.length >= 2 && cells[0] === '用語' && /^用語の意味/.test(cells[1])) continue;
    const at = { page: r.page, line: r.line };
    const pointer = `/appendices/${out.length - 1}/entries/${cur.entries.length}`;
    const t = stripReading(cells[0]);
    if (t.reading) notes.push({ pointer: `${pointer}/term`, at, message: `用語「${cells[0]}」の片仮名「${t.reading}」を読み仮名 (ルビ) と読み、除きました`, kind: 'uncertain' });
    if (cells.length >= 2) cur.entries.push({ term: t.term, text: cells.slice(1).join('\n') });
    else {
      // A row of one cell is a term whose meaning column is empty (a heading term of the glossary).
      cur.entries.push({ term: t.term, text: '' });
      notes.push({ pointer, at, message: `用語「${t.term}」の意味の欄が空欄です。意味が前後の行に割れていないか確認してください`, kind: 'uncertain' });
    }
  }
  return out.filter((a) => (a.entries as JsonObject[]).length > 0);
}
