// 付録 (用語集): a title, then rows of 用語 | 用語の意味. The table's head row and the index marks (「□ア行」)
// are the layout's, not entries; a row with one cell is an index entry of the printed glossary.
import type { JsonObject } from '../types.ts';
import type { Row } from './rows.ts';

export function readAppendices(rows: Row[]): JsonObject[] {
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
    if (cells.length >= 2) cur.entries.push({ term: cells[0], text: cells.slice(1).join('\n') });
    else cur.entries.push({ text: cells[0] });
  }
  return out.filter((a) => (a.entries as JsonObject[]).length > 0);
}
