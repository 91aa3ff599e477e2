// import/: a published 評価書 (PDF, or the text extracted from one) → a document in the project's model and
// a Japanese import report. Labels come from the schema; nothing is invented: what cannot be read is left
// empty and listed (sourceGaps, report, diagnostics).
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.ts';
import { noteLostCharacters } from './lost-characters.ts';
import { getRegistry, labelOf, runSchema } from '../schema/index.ts';
import { FORM_NAMES, type Diagnostic, type FormId, type Json, type JsonObject } from '../types.ts';
import { assemble, readSlot, setAt, type ImportNote } from './assemble.ts';
import { readChangeLog } from './change-log.ts';
import { readAppendices } from './appendix.ts';
import { readCover } from './cover.ts';
import { nfkc } from './normalize.ts';
import { buildOutline } from './outline.ts';
import { pdfToSource } from './pdf-rows.ts';
import type { ImportGap, ImportReport } from './report.ts';
import type { SourceText } from './rows.ts';
import { textToRows } from './text-rows.ts';

export { formatImportReport, type ImportGap, type ImportReport } from './report.ts';

export interface ImportInput {
  data: Uint8Array;
  name?: string;
  form?: 'auto' | FormId;
}

export interface ImportResult {
  doc: JsonObject;
  report: ImportReport;
  diagnostics: Diagnostic[];
  form: FormId;
}

/** Input that is not a 評価書 or cannot be read at all (exit 2, HTTP 422). */
export class ImportRejected extends InputError {
  override name = 'ImportRejected';
}

const MAX_BYTES = 50 * 1024 * 1024;

function detectForm(src: SourceText): { form?: FormId; version?: string; from?: 'title' | 'stamp'; draft: boolean } {
  const registry = getRegistry();
  let form: FormId | undefined;
  let from: 'title' | 'stamp' | undefined;
  let version: string | undefined;
  let draft = false;
  const head = src.rows.slice(0, 120);
  for (const r of head) {
    const t = nfkc([...r.cells, ...(r.value ?? []).map((l) => l.text)].join(' '));
    const title = /特定個人情報保護評価書\s*\(\s*(基礎項目|重点項目|全項目)評価書\s*\)\s*(素案)?/.exec(t);
    if (title && !form) {
      const name = `${title[1]}評価書`;
      form = (Object.entries(FORM_NAMES).find(([, v]) => v === name)?.[0] as FormId | undefined) ?? form;
      from = 'title';
      if (title[2]) draft = true;
    }
    const stamp = /\[?\s*((?:平成|令和)\s*\d+\s*年\s*\d+\s*月)\s*様式\s*(\d)\s*\]?/.exec(t);
    if (stamp && !version) {
      const v = stamp[1].replace(/\s+/g, '');
      const byStamp = registry.forms().find((f) => f.stamp && nfkc(f.stamp).replace(/\s+/g, '').includes(`様式${stamp[2]}`) && f.formVersion === v);
      version = v;
      if (!form && byStamp?.formId) {
        form = byStamp.formId;
        from = 'stamp';
      }
    }
  }
  return { form, version, from, draft };
}

async function readSource(input: ImportInput): Promise<SourceText> {
  const data = input.data;
  if (data.length === 0) throw new ImportRejected('ファイルが空です。評価書の PDF またはテキストを指定してください', input.name);
  if (data.length > MAX_BYTES) throw new ImportRejected(`ファイルが大きすぎます (上限 ${MAX_BYTES / 1024 / 1024} MB)`, input.name);
  const head = Buffer.from(data.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return pdfToSource(data, input.name);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (!isUtf8(buf)) {
    throw new ImportRejected('UTF-8 として読めません (Shift_JIS などの可能性があります)。UTF-8 に変換するか、PDF を指定してください', input.name);
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new ImportRejected('テキストでも PDF でもないファイルです', input.name);
  if (text.trim() === '') throw new ImportRejected('ファイルが空です。評価書の PDF またはテキストを指定してください', input.name);
  return textToRows(text);
}

export async function importPublished(input: ImportInput): Promise<ImportResult> {
  const source = input.name ?? '(入力)';
  const src = await readSource(input);
  const detected = detectForm(src);
  const registry = getRegistry();
  const diagnostics: Diagnostic[] = [];
  const formId: FormId | undefined = input.form && input.form !== 'auto' ? input.form : detected.form;
  if (!formId) {
    throw new ImportRejected(
      src.kind === 'pdf' && src.rows.length === 0
        ? 'PDF に文字がありません (スキャンした画像だけの PDF の可能性があります)。文字を含む PDF か、抽出したテキストを指定してください'
        : '特定個人情報保護評価書ではありません (表題「特定個人情報保護評価書(…評価書)」も様式の版の表示も見つかりません)。様式が分かっている場合は --form で指定してください',
      input.name,
    );
  }
  if (input.form && input.form !== 'auto' && detected.form && detected.form !== input.form) {
    diagnostics.push({ code: 'import/form-mismatch', severity: 'warning', message: `--form ${input.form} が指定されましたが、表題は${FORM_NAMES[detected.form]}です`, path: '/form', source });
  }
  const candidates = registry.forms().filter((f) => f.formId === formId);
  const info = candidates.find((f) => f.formVersion === detected.version) ?? candidates[0];
  if (!info) throw new ImportRejected(`様式 ${formId} のスキーマがありません`, input.name);
  const outline = buildOutline(info.key);
  const asm = assemble(src, outline);
  if (asm.matchedLabels < 8) {
    throw new ImportRejected(`特定個人情報保護評価書として読めません (様式の項目名が ${asm.matchedLabels} 個しか見つかりません)`, input.name);
  }
  const fromPdf = src.kind === 'pdf';
  const notes: ImportNote[] = [...asm.notes];
  if (!detected.version) notes.push({ pointer: '/formVersion', message: `様式の版の表示がありません。${info.formVersion} として読みました`, kind: 'uncertain' });

  const doc: JsonObject = { form: info.form, formVersion: info.formVersion };
  const publishedLike = asm.coverRows.length > 0;
  void publishedLike;
  const { cover } = readCover(asm.coverRows, outline, fromPdf, notes, src.headers);
  doc.status = detected.draft ? '素案' : cover.publishedDate ? '公表' : '案';
  if (!detected.draft && !cover.publishedDate) notes.push({ pointer: '/status', message: '状態は印字されていません。「案」としました', kind: 'uncertain' });
  doc.cover = cover;

  const read: { pointer: string; value: Json }[] = [];
  for (const slot of asm.slots.values()) {
    const r = readSlot(slot, fromPdf);
    if (!r) continue;
    if ('gap' in r) notes.push({ pointer: slot.pointer, at: slot.at, message: r.gap, kind: 'gap' });
    else {
      if (r.value !== null) read.push({ pointer: slot.pointer, value: r.value });
      if (r.note) notes.push({ pointer: slot.pointer, at: slot.at, message: r.note, kind: 'uncertain' });
    }
  }
  // Values that show a character the extraction lost in this document's labels: listed, never repaired.
  const titles = outline.nodes.flatMap((n) => (n.title ? [n.title] : []));
  notes.push(...noteLostCharacters(asm.lostCharacters, titles, read));
  // Repeated blocks keep their numbering: a block seen only by its label is an empty entry.
  for (const [arrIdx, n] of asm.counts) {
    const arr = outline.nodes[arrIdx];
    if (arr.tokens.includes('*')) continue;
    for (let i = 0; i < n; i++) setAt(doc, `/${arr.tokens.join('/')}/${i}`, {});
  }
  for (const { pointer, value } of read) setAt(doc, pointer, value);
  const changeLog = readChangeLog(asm.changeLogRows, outline, fromPdf, notes);
  if (changeLog.length) doc.changeLog = changeLog;
  const appendices = readAppendices(asm.glossaryRows, notes);
  if (appendices.length) doc.appendices = appendices;

  // Order the document as the schema does (form, formVersion, status, …, sections).
  const ordered: JsonObject = {};
  const props = Object.keys((registry.schema(info.id)?.properties as object) ?? {});
  for (const k of props) if (doc[k] !== undefined) ordered[k] = doc[k];
  for (const k of Object.keys(doc)) if (ordered[k] === undefined) ordered[k] = doc[k];

  // Required items that are still empty: not in the source (a missing page) or unreadable.
  const { blank } = runSchema(info.key, ordered);
  const gapPointers = new Set(notes.filter((n) => n.kind === 'gap').map((n) => n.pointer));
  const pageNote = src.missingPages.length ? ` (欠落したページ ${src.missingPages.join(', ')} にあった可能性があります)` : '';
  for (const p of blank) {
    if (p === '/organization' || p.startsWith('/organization/')) continue;
    if ([...gapPointers].some((g) => p === g || p.startsWith(g + '/') || g.startsWith(p + '/'))) continue;
    notes.push({ pointer: p, message: `元資料に記載が見つかりません${pageNote}`, kind: 'gap' });
    gapPointers.add(p);
  }
  const gaps = notes.filter((n) => n.kind === 'gap');
  if (gaps.length) {
    ordered.sourceGaps = gaps.map((g) => ({ path: g.pointer, note: `取り込み: ${g.message}${g.at ? ` (${g.at.page !== undefined ? `${g.at.page} ページ ` : ''}${g.at.line} 行目)` : ''}` }));
    // sourceGaps belongs after organization in the schema's order.
    const re: JsonObject = {};
    for (const k of props) if (ordered[k] !== undefined) re[k] = ordered[k];
    for (const k of Object.keys(ordered)) if (re[k] === undefined) re[k] = ordered[k];
    Object.keys(ordered).forEach((k) => delete ordered[k]);
    Object.assign(ordered, re);
  }
  const toGap = (n: ImportNote): ImportGap => ({
    path: n.pointer,
    label: n.pointer ? safeLabel(info.key, n.pointer) : '',
    ...(n.at?.page !== undefined ? { page: n.at.page } : {}),
    ...(n.at ? { line: n.at.line } : {}),
    reason: n.message,
  });
  const report: ImportReport = {
    source,
    input: src.kind,
    form: formId,
    formName: info.form,
    formVersion: info.formVersion,
    formFrom: input.form && input.form !== 'auto' ? 'option' : (detected.from ?? 'title'),
    ...(src.pages !== undefined ? { pages: src.pages } : {}),
    missingPages: src.missingPages,
    itemsRead: read.length + Object.keys(cover).length,
    labelsMatched: asm.matchedLabels,
    changeLogRows: changeLog.length,
    gaps: gaps.map(toGap),
    uncertain: notes.filter((n) => n.kind === 'uncertain').map(toGap),
    unplaced: notes.filter((n) => n.kind === 'unplaced').map(toGap),
  };
  if (src.missingPages.length) {
    diagnostics.push({ code: 'import/missing-page', severity: 'warning', message: `ページ ${src.missingPages.join(', ')} が欠落しています (ページ番号の印字による)`, path: '', source });
  }
  const code = { gap: 'import/gap', uncertain: 'import/uncertain', unplaced: 'import/unplaced' } as const;
  for (const n of notes) {
    const g = toGap(n);
    diagnostics.push({
      code: code[n.kind],
      severity: n.kind === 'uncertain' ? 'info' : 'warning',
      message: n.message,
      path: n.pointer,
      ...(g.label ? { label: g.label } : {}),
      source,
      ...(n.at ? { line: n.at.line } : {}),
    });
  }
  diagnostics.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.code.localeCompare(b.code));
  return { doc: ordered, report, diagnostics, form: formId };
}

function safeLabel(formKey: string, pointer: string): string {
  try {
    return labelOf(formKey, pointer);
  } catch {
    return '';
  }
}

/** Exit code of an import: 0 all read, 1 gaps listed. (2 is an ImportRejected.) */
export function importExitCode(r: ImportResult): number {
  return r.report.gaps.length || r.report.missingPages.length ? 1 : 0;
}
