// Text already extracted from a published PDF (the format of the project's seeds): tab-separated cells,
// HTML fragments (<p>, <table>, <input checked>), Markdown list marks and duplicated 選択肢 rows.
import type { Row, SourceText, ValueLine } from './rows.ts';

const CHECKED = '[○]';
const UNCHECKED = '[ ]';

/** One source line → cells, with the markup turned into what the printed form shows. */
export function decodeLine(raw: string): string[] {
  let s = raw;
  // 「[委託する] <選択肢> 1) 委託する 2) 委託しない (2) 件」: the count follows the 選択肢 list; keep it.
  const count = /[(（]\s*(\d+)\s*[)）]\s*件\s*$/.exec(s.replace(/<[^>]*>/g, ''));
  // Ticked boxes as extraction renders them: [<input checked…>], <input checked…>, and the radio glyph the
  // PDF draws as ○ (pia-domain §6.2); an unticked box is [] / <input type="checkbox"/>.
  s = s.replace(/\[\s*<input\b[^>]*\bchecked\b[^>]*>\s*\]/gi, CHECKED);
  s = s.replace(/\[\s*<input\b[^>]*type="radio"[^>]*>\s*\]/gi, CHECKED);
  s = s.replace(/\[\s*<input\b[^>]*>\s*\]/gi, UNCHECKED);
  s = s.replace(/<input\b[^>]*\bchecked\b[^>]*>/gi, CHECKED);
  s = s.replace(/<input\b[^>]*type="radio"[^>]*>/gi, CHECKED);
  s = s.replace(/<input\b[^>]*>/gi, UNCHECKED);
  s = s.replace(/\[\s*\]/g, UNCHECKED);
  s = s.replace(/[\u25a0\u2611\u2612\u25cf\u25c9]\s*(?=\S)/g, CHECKED + ' '); // ■ ☑ ☒ ● ◉ before a label
  s = s.replace(/[\u25a1\u2610]\s*(?=\S)/g, UNCHECKED + ' '); // □ ☐
  s = s.replace(/<\/?(?:p|li|br|tr|ul|ol|div)\b[^>]*>/gi, '\n');
  s = s.replace(/<\/?(?:td|th)\b[^>]*>/gi, '\n');
  s = s.replace(/<\/?[a-z][^>]*>/gi, '');
  s = s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
  // The 選択肢 list printed after the chosen value is the form's, never the officer's: 「<選択肢> 1) … 2) …」
  // up to the end of its paragraph, and list rows of their own.
  s = s.replace(/<選択肢>[^\n\t]*/g, '');
  s = s
    .split('\n')
    .filter((l) => !/^\s*\d{1,2}\)\s/.test(l))
    .join('\n');
  const cells = s.split('\t');
  if (count && !cells.some((c) => /[(（]\s*\d+\s*[)）]\s*件/.test(c))) cells.push(`(${count[1]}) 件`);
  return cells.map((c) =>
    c
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join('\n'),
  );
}

/** Cells with content (table rules 「----|---」 and empty cells dropped). */
export function contentCells(raw: string[]): string[] {
  // A lone 「-」 is a value (the officer's 「記載なし」); 「--」, 「---|---」 are table rules.
  return raw.filter((c) => c !== '' && !/^[-|:]{2,}$/.test(c.replace(/\s+/g, '')));
}

function isNoiseLine(cells: string[]): boolean {
  if (cells.length === 0) return true;
  const first = cells[0];
  if (/^<選択肢>$/.test(first)) return true;
  // Rows of the 選択肢 list: 「1) 1,000人未満 2) 1,000人以上1万人未満」.
  if (cells.every((c) => /^\d{1,2}\)\s/.test(c))) return true;
  return false;
}

export function textToRows(text: string): SourceText {
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    let line = raw;
    // Markdown list and definition marks the extraction added (「- ・…」, 「: …」 = nested under the line above).
    const nested = /^\s*:\s+(?=\S)/.test(line);
    line = line.replace(/^\s*-\s+(?=\S)/, '').replace(/^\s*:\s+(?=\S)/, '');
    const rawCells = decodeLine(line);
    const cells = contentCells(rawCells);
    if (isNoiseLine(cells)) return;
    rows.push({ cells, rawCells, line: i + 1, ...(nested ? { nested: true } : {}) });
  });
  return { rows, kind: 'text', missingPages: [] };
}

/** Cells that are the value of a text row → logical lines (each cell, and each <p>, a paragraph). */
export function cellsToLines(cells: string[]): ValueLine[] {
  const out: ValueLine[] = [];
  for (const c of cells) {
    c.split('\n').forEach((l) => out.push({ text: l, para: true }));
  }
  return out;
}
