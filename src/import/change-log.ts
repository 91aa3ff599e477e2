// (別添) 変更箇所 → changeLog rows: six columns (変更日, 項目, 変更前の記載, 変更後の記載, 提出時期, 提出時期に係る説明),
// their titles read from the schema's changeRow. A row starts at a 変更日.
import { getRegistry, type SchemaNode } from '../schema/index.ts';
import type { JsonObject } from '../types.ts';
import type { ImportNote } from './assemble.ts';
import { labelKey, nfkc } from './normalize.ts';
import type { Outline } from './outline.ts';
import type { Row } from './rows.ts';
import { readDate, restoreBreaks } from './values.ts';
import { EXPLANATION } from '../diff/classify.ts';

export function changeRowColumns(): { key: string; title: string; choices?: string[] }[] {
  const def = getRegistry().def('changeRow') as { properties?: Record<string, SchemaNode> } | undefined;
  return Object.entries(def?.properties ?? {}).map(([key, n]) => ({
    key,
    title: String(n.title ?? key),
    choices: Array.isArray(n.enum) ? (n.enum as string[]) : undefined,
  }));
}

const ROMAN: Record<string, string> = { I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ', V: 'Ⅴ', VI: 'Ⅵ' };

/** 「I 基本情報」 with ASCII letters, as extraction gives it → the form's own 「Ⅰ 基本情報」 when that is a section. */
function sectionNumeral(item: string, outline: Outline): string {
  const m = /^(VI|IV|V|I{1,3})(?=[\s\u3000])/.exec(item);
  if (!m) return item;
  const rest = item.slice(m[0].length).trim();
  const sections = outline.nodes.filter((n) => n.title && /^[ⅠⅡⅢⅣⅤⅥ]/.test(n.title));
  const hit = sections.find((s) => rest.startsWith(s.title!.slice(1).trim()) && labelKey(s.title!.slice(0, 1)) === m[1]);
  return hit ? ROMAN[m[1]] + item.slice(m[0].length) : item;
}

export function readChangeLog(rows: Row[], outline: Outline, fromPdf: boolean, notes: ImportNote[]): JsonObject[] {
  const cols = changeRowColumns();
  const out: JsonObject[] = [];
  const headerKeys = new Set(cols.map((c) => labelKey(c.title)));
  let cur: string[] | undefined;
  let curAt: Row | undefined;
  const curPages: { page?: number; line: number }[] = [];
  const flush = (): void => {
    if (!cur || !curAt) return;
    const row: JsonObject = {};
    cols.forEach((c, i) => {
      const raw = (cur![i] ?? '').trim();
      if (c.key === 'date') {
        const d = readDate([{ text: raw, para: true }]);
        if (d && 'value' in d) row.date = d.value;
        else notes.push({ pointer: `/changeLog/${out.length}/date`, at: { page: curAt!.page, line: curAt!.line }, message: `変更日を読めません (「${raw}」)`, kind: 'gap' });
        return;
      }
      let text = fromPdf ? raw : restoreBreaks(raw);
      if (c.key === 'item') text = sectionNumeral(text.replace(/\n/g, ' '), outline);
      if (c.choices) {
        const hit = c.choices.find((x) => labelKey(x) === labelKey(text));
        if (hit) row[c.key] = hit;
        else notes.push({ pointer: `/changeLog/${out.length}/${c.key}`, at: { page: curAt!.page, line: curAt!.line }, message: `${c.title}を読めません (「${text}」)`, kind: 'gap' });
        return;
      }
      row[c.key] = text;
    });
    out.push(row);
    curPages.push({ page: curAt.page, line: curAt.line });
    cur = undefined;
  };
  for (const r of rows) {
    const cells = r.table ?? (r.rawCells ? r.rawCells.map((c) => c.trim()) : r.cells);
    const nonEmpty = cells.filter((c) => c.trim() !== '');
    if (nonEmpty.length === 0) continue;
    if (nonEmpty.every((c) => headerKeys.has(labelKey(c)))) continue; // header row (repeated per page)
    const startsRow = /^(令和|平成|昭和)\s*(元|\d{1,2})\s*年/.test(nfkc(cells[0] ?? '').trim());
    if (startsRow) {
      flush();
      // Trailing empty cells of the text form; leading cells keep their column.
      cur = cols.map((_, i) => cells[i] ?? '');
      curAt = r;
    } else if (cur && r.table) {
      // A row that runs on to the next page: append cell by cell.
      r.table.forEach((c, i) => {
        if (c.trim() !== '') cur![i] = cur![i] ? `${cur![i]}\n${c}` : c;
      });
    }
  }
  flush();
  flagGuidelineWording(out, 'explanation', notes, curPages);
  flagNearDuplicates(out, 'explanation', notes);
  return out;
}

/** Edit distance, bounded: stops counting past `max` (only "one or two characters apart" matters). */
function nearlyEqual(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) > max) return false;
    prev = row;
  }
  return prev[b.length] <= max;
}

/**
 * 提出時期に係る説明 repeats a set phrase of the 指針 from row to row. A value one or two characters away from
 * another row's (「…にあたらぬ」 beside 「…にあたらない」) is most likely an OCR error of the source; which one
 * is right the importer cannot tell, so the rarer spelling (both when equally common) is listed to check.
 */
function flagNearDuplicates(rows: JsonObject[], key: string, notes: ImportNote[]): void {
  const count = new Map<string, number>();
  for (const r of rows) if (typeof r[key] === 'string') count.set(r[key] as string, (count.get(r[key] as string) ?? 0) + 1);
  const values = [...count.keys()].filter((v) => v.length >= 8);
  rows.forEach((r, i) => {
    const v = r[key];
    if (typeof v !== 'string' || v.length < 8) return;
    const near = values.find((w) => w !== v && nearlyEqual(v, w, 2) && (count.get(w) ?? 0) >= (count.get(v) ?? 0));
    if (near) notes.push({ pointer: `/changeLog/${i}/${key}`, message: `ほかの行の「${near}」と 1〜2 字だけ違います (「${v}」)。元資料の誤り (OCR など) の可能性があります`, kind: 'uncertain' });
  });
}

/**
 * 提出時期に係る説明 begins with one of the 指針's three phrases (重要な変更による評価の再実施 / 重要な変更にあたらない /
 * その他の項目の変更). A beginning one or two characters away from one of them (「重要な変更にあたらぬ」) is most
 * likely an error of the source (OCR): kept as printed and listed to check.
 */
function flagGuidelineWording(rows: JsonObject[], key: string, notes: ImportNote[], at: { page?: number; line: number }[]): void {
  const phrases = Object.values(EXPLANATION).map((p) => nfkc(p));
  rows.forEach((r, i) => {
    const v = r[key];
    if (typeof v !== 'string') return;
    const lead = nfkc(v).split(/[(（]/)[0].replace(/\s+/g, '');
    if (phrases.includes(lead)) return;
    const near = phrases.find((p) => nearlyEqual(lead, p, 2));
    if (near) notes.push({ pointer: `/changeLog/${i}/${key}`, ...(at[i] ? { at: at[i] } : {}), message: `指針の区分「${near}」と 1〜2 字違います (「${lead}」)。元資料の誤り (OCR など) の可能性があります`, kind: 'uncertain' });
  });
}
