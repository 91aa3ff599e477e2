// 表紙: label/value pairs that come side by side (PDF), as a header row over a value row (extracted text:
// 「評価書番号 ⇥ 評価書名」 then 「31 ⇥ …」), or as a heading with the text below (宣言, 特記事項).
import type { JsonObject } from '../types.ts';
import type { Located, ImportNote } from './assemble.ts';
import { labelKey } from './normalize.ts';
import type { Outline, OutlineNode } from './outline.ts';
import type { Row } from './rows.ts';
import { readDate, restoreBreaks } from './values.ts';

const STAMP = /\[?\s*(平成|令和)\s*\d+\s*年\s*\d+\s*月\s*様式\s*\d\s*\]?/;

export function readCover(rows: Row[], outline: Outline, fromPdf: boolean, notes: ImportNote[], headers: string[] = []): { cover: JsonObject; at: Map<string, Located> } {
  const coverNode = outline.nodes.find((n) => n.tokens.length === 1 && n.tokens[0] === 'cover');
  const cover: JsonObject = {};
  const at = new Map<string, Located>();
  if (!coverNode) return { cover, at };
  const fields = outline.nodes.slice(coverNode.idx + 1, coverNode.end).filter((n) => n.leaf && n.key);
  const fieldOf = (text: string): OutlineNode | undefined => fields.find((f) => f.key === labelKey(text));
  // PDF: a cell's lines as read (wraps joined, line breaks kept), for text printed across the page (特記事項).
  const texts = (r: Row): string[] => [...r.cells.map((c, i) => (fromPdf && r.cellLines?.[i]?.length ? r.cellLines[i].map((l) => l.text).join('\n') : c)), ...(r.value ?? []).map((l) => l.text)];
  const collected = new Map<OutlineNode, { parts: string[]; at: Located }>();
  const add = (f: OutlineNode, text0: string, r: Row): void => {
    const text = text0.replace(STAMP, '').trim();
    if (text === '') return;
    const c = collected.get(f) ?? { parts: [], at: { page: r.page, line: r.line } };
    c.parts.push(text);
    collected.set(f, c);
  };
  let pending: OutlineNode | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    // The form's title and its stamp 「[平成30年5月 様式4]」 are the form's, not cover items.
    const t = texts(r).filter((x) => x.trim() !== '' && !/^\[?(平成|令和)\s*\d+\s*年\s*\d+\s*月\s*様式\s*\d\]?$/.test(x.trim()));
    if (t.length === 0) continue;
    if (t.some((x) => /特定個人情報保護評価書\s*[(（]/.test(x))) continue;
    const labels = t.map(fieldOf);
    if (labels.every(Boolean) && t.length >= 2 && i + 1 < rows.length) {
      const nr = rows[i + 1];
      const next = texts(nr).filter((x) => x.trim() !== '');
      const raw = nr.rawCells;
      if (next.length > 0 && !next.some((x) => fieldOf(x))) {
        // Header row over a value row; with the raw cells an empty first value keeps its column. A PDF's
        // value row: its cells, the last one with its wrapped lines.
        let vals = fromPdf ? undefined : raw && raw.length >= t.length ? raw.slice(0, t.length) : next.length === t.length ? next : undefined;
        if (!vals && fromPdf && nr.cells.length >= 1 && nr.cells.length <= t.length) {
          // An empty cell prints nothing: the values sit under the last headings (評価書番号 empty → 評価書名).
          vals = [...Array<string>(t.length - nr.cells.length).fill(''), ...nr.cells];
          const more = (nr.value ?? []).map((l) => l.text);
          if (more.length) vals[vals.length - 1] = [vals[vals.length - 1], ...more].reduce((a, b) => a + (/[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? ' ' : '') + b, '');
        }
        if (vals) {
          labels.forEach((f, k) => vals[k] && add(f!, vals[k], rows[i + 1]));
          i++;
          pending = undefined;
          continue;
        }
      }
    }
    let k = 0;
    while (k < t.length) {
      const f = labels[k];
      if (f) {
        pending = f;
        k++;
        continue;
      }
      if (pending) add(pending, t[k], r);
      k++;
    }
  }
  for (const [f, c] of collected) {
    const key = f.tokens[f.tokens.length - 1];
    at.set(key, c.at);
    if (f.kind === 'date') {
      const d = readDate([{ text: c.parts.join(''), para: true }]);
      if (d && 'value' in d) cover[key] = d.value;
      else if (d && 'gap' in d) notes.push({ pointer: `/cover/${key}`, at: c.at, message: d.gap, kind: 'gap' });
    } else {
      // PDF: the parts are the lines of one wrapped cell.
      let text = fromPdf ? c.parts.reduce((a, b) => a + (/[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? ' ' : '') + b, '') : restoreBreaks(c.parts.join('\n'));
      // A page header that is this text with its spaces (the 評価書名 printed on every page) restores them.
      const same = headers.find((h) => h.replace(/\s+/g, '') === text.replace(/\s+/g, ''));
      if (fromPdf && same) text = same;
      if (text.trim() !== '') cover[key] = text.trim();
    }
  }
  // Keep the schema's order of the cover's items.
  const ordered: JsonObject = {};
  for (const f of fields) {
    const key = f.tokens[f.tokens.length - 1];
    if (cover[key] !== undefined) ordered[key] = cover[key];
  }
  return { cover: ordered, at };
}
