// PDF → rows, from poppler's word boxes (`pdftotext -bbox-layout`): page headers and footers dropped, the
// label columns told from the value column by position, wrapped lines re-joined (a line that reaches the
// column's right edge goes on without a break), paragraphs told apart by their spacing, values that run
// onto the next page marked as continuations, and the (別添) 変更箇所 table read by its column heads.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { changeRowColumns } from './change-log.ts';
import { labelKey } from './normalize.ts';
import type { Row, SourceText, ValueLine } from './rows.ts';

interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}
interface Seg extends Word {
  words: Word[];
}
interface VLine {
  x0: number;
  x1: number;
  y0: number;
  h: number;
  text: string;
  /** A space was drawn after the line's last character (it wrapped at a space); undefined: unknown. */
  endSpace?: boolean;
  /** Segments of a line printed in columns (a 2-column checkbox grid). */
  cells?: { x: number; text: string }[];
}
interface Page {
  width: number;
  height: number;
  words: Word[];
}

const MAX_PDF_OUTPUT = 256 * 1024 * 1024;

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

export function parseBboxXml(xml: string): Page[] {
  const pages: Page[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g;
  for (const pm of xml.matchAll(pageRe)) {
    const words: Word[] = [];
    for (const wm of pm[3].matchAll(wordRe)) {
      const text = decodeXml(wm[5]);
      if (text.trim() === '') continue;
      words.push({ x0: Number(wm[1]), y0: Number(wm[2]), x1: Number(wm[3]), y1: Number(wm[4]), text });
    }
    pages.push({ width: Number(pm[1]), height: Number(pm[2]), words });
  }
  return pages;
}

function runTool(cmd: string, args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: MAX_PDF_OUTPUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { code?: unknown };
      if (e.code === 'ENOENT') return reject(new InputError(`${cmd} (poppler-utils) が見つかりません。scripts/setup.sh でインストールしてください`));
      const msg = `${stderr ?? ''} ${e.message ?? ''}`;
      // pdftotext exits 1 with 「Incorrect password」 for a protected file, 3 for permissions.
      if (/password|encrypt/i.test(msg) || (e.code as unknown) === 1) return reject(new InputError('暗号化 (パスワード保護) された PDF は読めません。保護を解除した PDF を指定してください'));
      return reject(new InputError('PDF として読めません (壊れているか、対応していない形式です)'));
    });
  });
}

/**
 * The word boxes (pdftotext -bbox-layout) and, alongside on the second core, pdftohtml's text runs: the
 * word boxes drop a space drawn at the end of a line (a line that wrapped at a space), the runs keep it.
 */
async function runPoppler(data: Uint8Array): Promise<{ xml: string; runs: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pia-import-'));
  const file = join(dir, 'input.pdf');
  try {
    await writeFile(file, data);
    const [xml, runs] = await Promise.all([
      runTool('pdftotext', ['-q', '-enc', 'UTF-8', '-bbox-layout', file, '-']),
      // Optional: without it, wraps are glued by the characters on either side (glueOf).
      runTool('pdftohtml', ['-q', '-i', '-xml', '-enc', 'UTF-8', '-stdout', file]).catch(() => ''),
    ]);
    return { xml, runs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Key of a line's end on a page: its last characters, spaces aside. */
function lineEndKey(page: number, text: string): string {
  return `${page}\u0000${text.replace(/\s+/g, '').slice(-12)}`;
}

/**
 * Line ends that carry a drawn space, from pdftohtml's runs: page + the run's last characters → whether a
 * space follows. Undefined when the producer never draws a space at a line end (then nothing is known).
 */
export function parseLineEnds(runsXml: string): Map<string, boolean> | undefined {
  const ends = new Map<string, boolean | null>();
  let spaced = 0;
  for (const pm of runsXml.matchAll(/<page number="(\d+)"[^>]*>([\s\S]*?)<\/page>/g)) {
    const page = Number(pm[1]);
    for (const tm of pm[2].matchAll(/<text [^>]*>([\s\S]*?)<\/text>/g)) {
      const text = decodeXml(tm[1].replace(/<[^>]+>/g, ''));
      if (text.trim() === '') continue;
      const space = /[ \u3000]$/.test(text);
      if (space) spaced++;
      const k = lineEndKey(page, text);
      const had = ends.get(k);
      ends.set(k, had === undefined ? space : had === space ? space : null);
    }
  }
  if (spaced === 0) return undefined;
  const out = new Map<string, boolean>();
  for (const [k, v] of ends) if (v !== null && v !== undefined) out.set(k, v);
  return out;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Words → visual lines (same baseline) → segments (words closer than a column gap). */
function segmentsOf(words: Word[]): Seg[][] {
  const sorted = [...words].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const lines: Word[][] = [];
  for (const w of sorted) {
    const l = lines[lines.length - 1];
    if (l && Math.abs(l[0].y0 - w.y0) < 2) l.push(w);
    else lines.push([w]);
  }
  return lines.map((l) => {
    l.sort((a, b) => a.x0 - b.x0);
    const segs: Seg[] = [];
    for (const w of l) {
      const s = segs[segs.length - 1];
      const h = w.y1 - w.y0;
      if (s && w.x0 - s.x1 < Math.max(6, 1.1 * h)) {
        s.words.push(w);
        s.x1 = Math.max(s.x1, w.x1);
        s.y1 = Math.max(s.y1, w.y1);
      } else segs.push({ ...w, words: [w] });
    }
    for (const s of segs) s.text = joinWords(s.words);
    return segs;
  });
}

function joinWords(ws: Word[]): string {
  let out = '';
  ws.forEach((w, i) => {
    if (i > 0) {
      const gap = w.x0 - ws[i - 1].x1;
      const h = w.y1 - w.y0;
      out += gap > 0.2 * h ? ' ' : '';
    }
    out += w.text;
  });
  return out;
}

interface TableRegion {
  centers: number[];
  lines: { segs: Seg[]; lineNo: number }[];
}

/**
 * The 変更箇所 table of one page. Column heads are centred, cells left-aligned: each column's left edge is
 * where its cells' lines most often start, left of its head's centre and right of the previous head's.
 */
function readTable(t: TableRegion, page: number, width: number, headKeys: string[], endSpace: (page: number, text: string) => boolean | undefined): Row[] {
  const words = t.lines.flatMap((l) => l.segs.flatMap((s) => s.words));
  if (words.length === 0) return [];
  const starts = new Map<number, number>();
  for (const l of t.lines) for (const s of l.segs) starts.set(Math.round(s.x0), (starts.get(Math.round(s.x0)) ?? 0) + 1);
  const lefts: number[] = t.centers.map((c, i) => {
    const lo = i === 0 ? 0 : t.centers[i - 1];
    let best = -1;
    let n = 0;
    for (const [x, k] of starts) {
      if (x > lo && x <= c && (k > n || (k === n && x < best))) {
        best = x;
        n = k;
      }
    }
    return best;
  });
  for (let i = 0; i < lefts.length; i++) if (lefts[i] < 0) lefts[i] = i === 0 ? 0 : (lefts[i - 1] + t.centers[i]) / 2;
  // Each column's right edge: the furthest any of its lines reaches.
  const rights = lefts.map(() => 0);
  const colOf0 = (x: number): number => {
    let c = 0;
    lefts.forEach((lx, i) => {
      if (x >= lx - 3) c = i;
    });
    return c;
  };
  for (const w of words) rights[colOf0(w.x0)] = Math.max(rights[colOf0(w.x0)], w.x1);
  void width;
  const colOf = (x: number): number => {
    let c = 0;
    lefts.forEach((lx, i) => {
      if (x >= lx - 3) c = i;
    });
    return c;
  };
  const out: Row[] = [];
  let cur: { cells: string[][]; lastX1: number[]; lastText: string[]; row: Row } | undefined;
  for (const { segs, lineNo } of t.lines) {
    const byCol: Word[][] = lefts.map(() => []);
    for (const w of segs.flatMap((s) => s.words)) byCol[colOf(w.x0)].push(w);
    const firstText = byCol[0].length ? joinWords(byCol[0]) : '';
    const starts = /^(令和|平成|昭和)/.test(firstText);
    // The rest of a wrapped column head (「提出時 / 期」) is not a row.
    if (!starts && !cur && segs.every((sg) => headKeys.some((k) => labelKey(sg.text) !== '' && k.includes(labelKey(sg.text))))) continue;
    if (starts || !cur) {
      cur = { cells: lefts.map(() => []), lastX1: lefts.map(() => 0), lastText: lefts.map(() => ''), row: { cells: [], table: [], page, line: lineNo, ...(starts ? {} : { pageTop: true }) } };
      out.push(cur.row);
    }
    byCol.forEach((ws, ci) => {
      if (!ws.length) return;
      const text = joinWords(ws);
      const x1 = Math.max(...ws.map((w) => w.x1));
      const h = ws[0].y1 - ws[0].y0;
      const cell = cur!.cells[ci];
      const sp = endSpace(page, cur!.lastText[ci]);
      if (cell.length === 0) cell.push(text);
      else if (!isHeadingLine(cell[cell.length - 1].split('\n').pop() ?? '') && (sp === true || (!itemBreak(cell[cell.length - 1], text) && rights[ci] - cur!.lastX1[ci] < leadWidth(text, h) - 0.3))) {
        cell[cell.length - 1] += (sp === undefined ? glueOf(cell[cell.length - 1], text) : sp ? ' ' : '') + text;
      } else cell.push(text);
      cur!.lastX1[ci] = x1;
      cur!.lastText[ci] = text;
    });
    cur.row.table = cur.cells.map((c) => c.join('\n'));
  }
  return out;
}

const ASCII_END = /[A-Za-z0-9]$/;
const ASCII_START = /^[A-Za-z0-9]/;
/**
 * What a wrapped line lost at its end: a space between two ASCII words (the browser breaks there), and
 * before a circled number (「… ②部分」: writers put a space there). Elsewhere a wrap loses nothing.
 */
function glueOf(prev: string, next: string): string {
  if (ASCII_END.test(prev) && ASCII_START.test(next)) return ' ';
  if (/^[①-⑳]/.test(next) && !/[\s(（「]$/.test(prev)) return ' ';
  return '';
}

/** A line that starts a list item (・, ①, 「2. 」, (1), <見出し>, 【見出し】) after a finished sentence: a line break, not a wrap. */
function itemBreak(prev: string, next: string): boolean {
  if (/^・/.test(next)) return true;
  return /[。)）」]$/.test(prev.trim()) && /^([①-⑳]|\d{1,2}\.\s|[(（]\d{1,2}[)）]|<|【|※|[(（]※)/.test(next);
}

function isHeadingLine(t: string): boolean {
  const s = t.trim();
  return /^<[^<>]+>$/.test(s) || /^[(（][^()（）]+[)）]$/.test(s);
}

/**
 * Width of what a line starts with that cannot be split from its first character: an ASCII word (a browser
 * or a spreadsheet breaks those only at spaces; 「※」 goes with them), an opening bracket with the character after it, a
 * character with the ones that may not start a line after it (「。」, 「)」, 「・」, small kana). `em`: the font
 * size; full-width characters are one em, ASCII about half.
 */
function leadWidth(text: string, em: number): number {
  const m = /^[(（「『【〈《［[]*(?:[!-~※]+|.[、。，．,.)）」』】〕〉》・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ーゝゞヽヾ]*)/u.exec(text);
  const lead = m?.[0] || text.slice(0, 1);
  let w = 0;
  for (const ch of lead) w += /[ -~]/.test(ch) ? (/[()[\].,:;'!|iIl1]/.test(ch) ? 0.33 : 0.55) * em : em;
  return w;
}

/**
 * A line that starts the next number of a list whose items each begin a line (「6. …」 then 「7. …」): a line
 * break, even after a full line. An inline enumeration (「1. 符号管理機能 2. 情報照会機能 …」) is not one.
 */
function nextInList(logical: string | undefined, next: string): boolean {
  if (!logical) return false;
  const n = /^(\d{1,2})\.\s/.exec(next) ?? /^[(（](\d{1,2})[)）]/.exec(next);
  const cur = /^(\d{1,2})\.\s/.exec(logical) ?? /^[(（](\d{1,2})[)）]/.exec(logical);
  if (!n || !cur || Number(n[1]) !== Number(cur[1]) + 1) return false;
  return !/\s\d{1,2}\.\s|\s[(（]\d{1,2}[)）]/.test(logical.slice(cur[0].length));
}

export async function pdfToSource(data: Uint8Array, _name?: string): Promise<SourceText> {
  const head = Buffer.from(data.subarray(0, Math.min(data.length, 4096))).toString('latin1');
  const tail = Buffer.from(data.subarray(Math.max(0, data.length - 4096))).toString('latin1');
  if (/\/Encrypt\b/.test(head + tail) && !/\/Encrypt\s*null/.test(tail)) {
    // Try anyway: a file with only an owner password opens; pdftotext reports a user password.
  }
  const { xml, runs } = await runPoppler(data);
  const pages = parseBboxXml(xml);
  return pagesToSource(pages, ['元資料の欠落'], parseLineEnds(runs));
}

export function pagesToSource(pages: Page[], endTitles: string[] = [], lineEnds?: Map<string, boolean>): SourceText {
  /** Whether the line ending in `text` on `page` had a space drawn after it (undefined: unknown). */
  const endSpace = (page: number, text: string): boolean | undefined => lineEnds?.get(lineEndKey(page, text));
  // Headings after which the 変更箇所 table cannot go on (the notes a rendered document appends).
  const endKey = endTitles.length ? labelKey(endTitles[0]) : undefined;
  const rows: Row[] = [];
  const printed: number[] = [];
  let printedTotal: number | undefined;
  // Repeated headers: the top line's text on most pages.
  const topTexts = new Map<string, number>();
  const pageLines = pages.map((p) => segmentsOf(p.words));
  pageLines.forEach((lines, i) => {
    const top = lines[0];
    if (top && top[0].y0 < pages[i].height * 0.08) {
      const t = top.map((s) => s.text).join(' ');
      topTexts.set(t, (topTexts.get(t) ?? 0) + 1);
    }
  });
  const headers = new Set([...topTexts].filter(([, n]) => n >= Math.max(2, pages.length * 0.5)).map(([t]) => t));
  const bodyLines: Seg[][][] = pageLines.map((lines, i) =>
    lines.filter((segs) => {
      const t = segs.map((s) => s.text).join(' ').trim();
      const y = segs[0].y0;
      const m = /^(\d{1,4})\s*\/\s*(\d{1,4})$/.exec(t) ?? /^-\s*(\d{1,4})\s*-$/.exec(t);
      if (m && y > pages[i].height * 0.85) {
        printed.push(Number(m[1]));
        if (m[2]) printedTotal = Number(m[2]);
        return false;
      }
      if (y < pages[i].height * 0.08 && headers.has(t)) return false;
      return true;
    }),
  );
  const missingPages: number[] = [];
  if (printedTotal !== undefined && printed.length > 0) {
    const seen = new Set(printed);
    for (let n = 1; n <= printedTotal; n++) if (!seen.has(n)) missingPages.push(n);
  }
  // The value column: where the last segment of a label-led line starts, most often.
  const starts = new Map<number, number>();
  let lineSteps: number[] = [];
  for (let pi = 0; pi < bodyLines.length; pi++) {
    const W = pages[pi].width;
    for (const segs of bodyLines[pi]) {
      if (segs.length >= 2 && segs[0].x0 < W * 0.3 && segs[segs.length - 1].x0 > W * 0.25) {
        const x = Math.round(segs[segs.length - 1].x0);
        starts.set(x, (starts.get(x) ?? 0) + 1);
      }
    }
  }
  let valueX = Infinity;
  let best = 0;
  for (const [x, n] of starts) {
    if (n > best || (n === best && x < valueX)) {
      best = n;
      valueX = x;
    }
  }
  if (!Number.isFinite(valueX)) valueX = (pages[0]?.width ?? 600) * 0.42;

  // Right edge of the value column (by start position), for telling wraps from line breaks.
  const rightOf = new Map<number, number>();
  for (const lines of bodyLines)
    for (const segs of lines)
      for (const s of segs)
        {
          const k = Math.round(s.x0 / 6);
          rightOf.set(k, Math.max(rightOf.get(k) ?? 0, s.x1));
        }
  const colRight = (x: number): number => Math.max(rightOf.get(Math.round(x / 6)) ?? 0, rightOf.get(Math.round(x / 6) - 1) ?? 0, rightOf.get(Math.round(x / 6) + 1) ?? 0);
  for (const lines of bodyLines) {
    const ys = lines.filter((segs) => segs.some((s) => s.x0 >= valueX - 3)).map((segs) => segs[0].y0);
    for (let i = 1; i < ys.length; i++) {
      const d = ys[i] - ys[i - 1];
      if (d > 4 && d < 30) lineSteps.push(Math.round(d * 4) / 4);
    }
  }
  const step = median(lineSteps) || 13;
  lineSteps = [];

  const changeCols = changeRowColumns();
  const changeKeys = changeCols.map((c) => labelKey(c.title));
  const changeLogKey = labelKey('変更箇所');
  let table: TableRegion | undefined;
  let prevLast: { line: VLine } | undefined;

  // A label that runs close to the value column may share a segment with the value: cut where the gap between
  // two words straddles the column's start (a full-width line merely has a space there).
  const cut = (segs: Seg[]): Seg[] =>
    segs.flatMap((s) => {
      const i = s.words.findIndex((w, k) => k > 0 && w.x0 >= valueX - 3 && s.words[k - 1].x1 <= valueX);
      if (i <= 0) return [s];
      // A check box goes with the text after it.
      if (/(\[[^\]]{0,3}\]|[□■☐☑])$/.test(joinWords(s.words.slice(0, i)))) return [s];
      const a = s.words.slice(0, i);
      const b = s.words.slice(i);
      const mk = (ws: Word[]): Seg => ({ x0: ws[0].x0, y0: ws[0].y0, x1: Math.max(...ws.map((w) => w.x1)), y1: Math.max(...ws.map((w) => w.y1)), text: joinWords(ws), words: ws });
      return [mk(a), mk(b)];
    });
  bodyLines.forEach((rawLines, pi) => {
    const lines = rawLines.map(cut);
    const page = pi + 1;
    let lineNo = 0;
    // --- (別添) 変更箇所: columns from the header row.
    const tableRows: Row[] = [];
    const normal: Seg[][] = [];
    let inTable = Boolean(table);
    const tables: TableRegion[] = [];
    if (table) {
      table = { centers: table.centers, lines: [] };
      tables.push(table);
    }
    for (const segs of lines) {
      lineNo++;
      const text = segs.map((s) => s.text).join(' ');
      const key = labelKey(text);
      if (!inTable && key.includes(changeLogKey) && segs.length === 1 && segs[0].x0 < valueX) {
        normal.push(segs);
        continue;
      }
      const headerHit = segs.filter((s) => changeKeys.some((k) => labelKey(s.text) !== '' && k.startsWith(labelKey(s.text)))).length;
      if (headerHit >= 4 && labelKey(segs[0].text) === changeKeys[0]) {
        table = { centers: segs.map((s) => (s.x0 + s.x1) / 2), lines: [] };
        tables.push(table);
        inTable = true;
        continue;
      }
      if (!inTable || !table) {
        normal.push(segs);
        continue;
      }
      if (segs.length === 1 && segs[0].x0 < table.centers[0] && (/^[ⅠⅡⅢⅣⅤⅥ]|^\(別添|^付録|^用語/.test(segs[0].text) || (endKey !== undefined && labelKey(segs[0].text).startsWith(endKey)))) {
        inTable = false;
        table = undefined;
        normal.push(segs);
        continue;
      }
      table.lines.push({ segs, lineNo });
    }
    for (const t of tables) tableRows.push(...readTable(t, page, pages[pi].width, changeKeys, endSpace));

    // --- The form's tables: label cells on the left, the value column on the right.
    type Cell = { x: number; lines: VLine[]; lastY: number; lastH: number };
    type Anchor = { y: number; cells: Cell[]; values: VLine[] };
    const anchors: Anchor[] = [];
    const openCells: Cell[] = [];
    const loose: VLine[] = [];
    const vlineOf = (s: Seg): VLine => ({ x0: s.x0, x1: s.x1, y0: s.y0, h: s.y1 - s.y0, text: s.text, endSpace: endSpace(page, s.text) });
    for (const segs of normal) {
      const labelSegs = segs.filter((s) => s.x0 < valueX - 3);
      // A ※ mark that a long label pushed into the value column is the form's, not a value.
      const valueSegs = segs.filter((s) => s.x0 >= valueX - 3 && !/^※\s*(\([^)]*\))?$/.test(s.text.trim()));
      for (const s of labelSegs) {
        // The next line of a cell (a wrapped label, or full-width text): same column, the next line down.
        // A heading in a larger font has a wider line step.
        const open = openCells.find((c) => Math.abs(c.x - s.x0) < 4 && s.y0 - c.lastY > 0 && s.y0 - c.lastY <= Math.max(step * 1.3, c.lastH * 1.7));
        if (open) {
          open.lines.push(vlineOf(s));
          open.lastY = s.y0;
          open.lastH = s.y1 - s.y0;
          continue;
        }
        let a = anchors.find((x) => Math.abs(x.y - s.y0) < 3);
        if (!a) {
          a = { y: s.y0, cells: [], values: [] };
          anchors.push(a);
        }
        const cell: Cell = { x: s.x0, lines: [vlineOf(s)], lastY: s.y0, lastH: s.y1 - s.y0 };
        a.cells.push(cell);
        openCells.push(cell);
      }
      if (valueSegs.length) {
        const vl: VLine = {
          x0: valueSegs[0].x0,
          x1: valueSegs[valueSegs.length - 1].x1,
          y0: valueSegs[0].y0,
          h: valueSegs[0].y1 - valueSegs[0].y0,
          text: valueSegs.map((s) => s.text).join(' '),
          endSpace: endSpace(page, valueSegs[valueSegs.length - 1].text),
          ...(valueSegs.length > 1 ? { cells: valueSegs.map((s) => ({ x: s.x0, text: s.text })) } : {}),
        };
        let owner: Anchor | undefined;
        for (const a of anchors) if (a.y <= vl.y0 + 3) owner = a;
        if (owner) owner.values.push(vl);
        else loose.push(vl);
      }
    }
    const toLines = (vls: VLine[], continuing: boolean): ValueLine[] => {
      const out: ValueLine[] = [];
      vls.forEach((l, i) => {
        const prev = i > 0 ? vls[i - 1] : continuing ? prevLast?.line : undefined;
        if (!prev) {
          out.push({ text: l.text, para: true, x: l.x0, ...(l.cells ? { cells: l.cells } : {}) });
          return;
        }
        const samePage = i > 0;
        const gap = samePage ? l.y0 - prev.y0 : step;
        const para = samePage && gap > Math.max(step, prev.h * 1.35) * 1.12;
        const right = colRight(prev.x0);
        // A heading (「<…における措置>」, 「(…)」) ends its own line even when it is as wide as the column.
        const heading = isHeadingLine(prev.text);
        // Lines of a column grid go on per column (readMulti puts a column's pieces together).
        const grid = Boolean(prev.cells || l.cells);
        // A space drawn at the line's end: the line wrapped at that space (a line break leaves none). Else the
        // line wrapped when what starts the next line would not have fitted in the room left on it.
        const fits = right - prev.x1 >= leadWidth(l.text, prev.h) - 0.3;
        const bullet = /^・/.test(l.text) && (fits || /[。)）」]$/.test(prev.text.trim()) || /^・/.test(out[out.length - 1]?.text ?? ''));
        const listNext = nextInList(out[out.length - 1]?.text, l.text);
        const wrapped = !para && !heading && !grid && (prev.endSpace === true || (!fits && !bullet && !listNext && (/^・/.test(l.text) || !itemBreak(prev.text, l.text))));
        if (wrapped) {
          const glue = prev.endSpace === undefined ? glueOf(prev.text, l.text) : prev.endSpace ? ' ' : '';
          if (out.length) out[out.length - 1].text += glue + l.text;
          else out.push({ text: l.text, para: false, join: true, glue } as ValueLine);
        } else out.push({ text: l.text, para: i === 0 ? true : para, x: l.x0, ...(l.cells ? { cells: l.cells } : {}) });
      });
      return out;
    };
    const pageRows: Row[] = [];
    if (loose.length) {
      pageRows.push({ cells: [], value: toLines(loose, true), page, line: 1, pageTop: true });
    }
    anchors.sort((a, b) => a.y - b.y);
    anchors.forEach((a, i) => {
      const sorted = [...a.cells].sort((x, y) => x.x - y.x);
      const cells = sorted.map((c) => c.lines.reduce((acc, l) => acc + glueOf(acc, l.text) + l.text, ''));
      const cellLines = sorted.map((c) => toLines(c.lines, false));
      const first = i === 0 && !loose.length;
      pageRows.push({ cells, cellLines, value: toLines(a.values, first), page, line: Math.round(a.y), ...(first ? { pageTop: true } : {}) });
    });
    // the last value line of this page, for a value that goes on to the next one
    const lastAnchorWithValue = [...anchors].reverse().find((a) => a.values.length);
    const lastV = lastAnchorWithValue?.values[lastAnchorWithValue.values.length - 1] ?? loose[loose.length - 1];
    if (lastV) prevLast = { line: lastV };
    // Interleave the table rows after the normal rows of the page (the table is the page's last content).
    rows.push(...pageRows, ...tableRows);
  });
  return { rows, kind: 'pdf', pages: pages.length, missingPages, headers: [...headers], ...(printedTotal !== undefined ? { printedTotal } : {}) };
}
