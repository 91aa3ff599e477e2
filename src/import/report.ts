// The import report: what was read, what was not and why, in Japanese, with the source location.
import type { FormId } from '../types.ts';

export interface ImportGap {
  /** JSON Pointer in the imported document ('' when the text could not be placed). */
  path: string;
  /** Label path in the form's words. */
  label: string;
  page?: number;
  line?: number;
  reason: string;
}

export interface ImportReport {
  source: string;
  input: 'pdf' | 'text';
  form: FormId;
  formName: string;
  formVersion: string;
  /** How the form was found: the printed title / stamp, or the --form option. */
  formFrom: 'title' | 'stamp' | 'option';
  pages?: number;
  missingPages: number[];
  /** Items that received a value. */
  itemsRead: number;
  /** Labels of the form found in the source. */
  labelsMatched: number;
  changeLogRows: number;
  /** Items left empty: unreadable, or not found in the source (a missing page). */
  gaps: ImportGap[];
  /** Items read, but to be checked (a broken bracket, a label spelt differently). */
  uncertain: ImportGap[];
  /** Text that belongs to no item. */
  unplaced: ImportGap[];
}

function where(g: ImportGap): string {
  const parts: string[] = [];
  if (g.page !== undefined) parts.push(`${g.page} ページ`);
  if (g.line !== undefined) parts.push(`${g.line} 行目`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** Human-readable report (Japanese). Pure. */
export function formatImportReport(r: ImportReport): string {
  const out: string[] = [];
  out.push(`取り込み: ${r.source}`);
  out.push(`様式: ${r.formName} (${r.formVersion})${r.formFrom === 'option' ? ' — --form の指定による' : ''}`);
  out.push(`入力: ${r.input === 'pdf' ? `PDF ${r.pages ?? '?'} ページ` : 'テキスト'}、読み取った項目 ${r.itemsRead} 件、変更箇所 ${r.changeLogRows} 行`);
  if (r.missingPages.length) out.push(`欠落したページ: ${r.missingPages.join(', ')} (ページ番号の印字から判断。内容は補っていません)`);
  if (r.gaps.length) {
    out.push('', `読み取れなかった項目 (${r.gaps.length} 件。空欄のまま sourceGaps に記載しました):`);
    for (const g of r.gaps) out.push(`  - ${g.label || g.path}${where(g)}: ${g.reason}`);
  }
  if (r.uncertain.length) {
    out.push('', `確認が必要な項目 (${r.uncertain.length} 件):`);
    for (const g of r.uncertain) out.push(`  - ${g.label || g.path}${where(g)}: ${g.reason}`);
  }
  if (r.unplaced.length) {
    out.push('', `どの項目にも割り当てられなかった記載 (${r.unplaced.length} 件):`);
    for (const g of r.unplaced) out.push(`  - ${g.label ? g.label + ' ' : ''}${where(g).trim()}: ${g.reason}`);
  }
  if (!r.gaps.length && !r.uncertain.length && !r.unplaced.length) out.push('', 'すべての項目を読み取りました。');
  return out.join('\n') + '\n';
}
