// 項目 of a 変更箇所 row: the item's label path in the form's words, joined by spaces
// (「Ⅱ 特定個人情報ファイルの概要 3. 特定個人情報の入手・使用 ②入手方法」). The labels come from
// schema/labelPath(); this module only decides which of them the table prints, following the way the
// form itself names a row (and the way seed 001's table does):
//  1. A repeated top-level section (Ⅱ/Ⅲ per 特定個人情報ファイル) is printed once per file without a
//     number; the file number appears only when the document has more than one file.
//  2. A group heading without a number of its own (「リスク: 目的外の入手が行われるリスク」, 「再委託」, the
//     list of risks heading 全項目 Ⅲ4) is a caption, not part of the item's name: numbered items under it
//     are unique without it. Top-level sections (「表紙」) are kept.
//  3. An unnumbered row that follows a numbered row is one of its sub-rows in the form
//     (「④記録される項目」 → 「主な記録項目」, 「その妥当性」; 「③対象となる本人の範囲」 → 「その必要性」), so its
//     name starts with the numbered row's label.
//  4. The `title` of a repeated entry (委託事項名) is the entry's own heading: its row is 「委託事項1」.
import { buildPointer, getAtPointer, parsePointer } from '../pointer.ts';
import { labelPath, resolveSchemaAt } from '../schema/index.ts';
import type { Json } from '../types.ts';
import { patternOf } from './schema-cache.ts';

const NUMBERED = /^(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|\d+\.|[\u2460-\u2473]|リスク\d|[(（]別添)/;

const stripNumber = (l: string) => l.replace(/^(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*|\d+\.\s*|[\u2460-\u2473]\s*)/, '');

export function isNumberedLabel(title: string): boolean {
  return NUMBERED.test(title);
}

export interface LabelContext {
  form: string;
  oldDoc: Json;
  newDoc: Json;
  /** Entry counts of repeated sections, filled as needed. */
  counts?: Map<string, number>;
}

const isIndex = (t: string) => /^(0|[1-9]\d*)$/.test(t);

interface PlanEntry {
  label: string;
  keep: boolean;
  before?: string;
  /** The label of a repeated entry (「委託事項1」): renumbered from the token at this position. */
  index?: { k: number; itemLabel: string; topLevel: boolean };
}

/** Label plans per form + pointer pattern (indices as 0): the schema part of the work, done once. */
const plans = new Map<string, PlanEntry[]>();

function planFor(form: string, pointer: string, tokens: string[]): PlanEntry[] {
  const key = `${form}\u0000${patternOf(pointer)}`;
  const hit = plans.get(key);
  if (hit) return hit;
  const pattern = tokens.map((t) => (isIndex(t) ? '0' : t));
  // One entry per label of labelPath(); a step may add labels or relabel the last one (an array's
  // 「委託事項」 becomes 「委託事項1」 at its index), so entries are kept aligned by common prefix.
  let entries: PlanEntry[] = [];
  let prev: string[] = [];
  for (let k = 0; k < pattern.length; k++) {
    const ptr = buildPointer(pattern.slice(0, k + 1));
    const full = labelPath(form, ptr);
    let common = 0;
    while (common < prev.length && common < full.length && prev[common] === full[common]) common++;
    entries = entries.slice(0, common);
    const added = full.slice(common);
    prev = full;
    const t = pattern[k];
    const last = k === pattern.length - 1;
    if (isIndex(t)) {
      const itemLabel = resolveSchemaAt(form, buildPointer(pattern.slice(0, k)))?.['x-item-label'];
      for (const l of added) {
        const isItem = Boolean(itemLabel) && l === `${itemLabel}1`;
        entries.push({ label: l, keep: true, ...(isItem ? { index: { k, itemLabel: itemLabel!, topLevel: k === 1 } } : {}) });
      }
      continue;
    }
    if (last && t === 'title' && k > 0 && isIndex(pattern[k - 1])) {
      for (const l of added) entries.push({ label: l, keep: false }); // rule 4
      continue;
    }
    const node = resolveSchemaAt(form, ptr);
    const isLeaf = Boolean(node?.['x-kind']) || !(node?.properties || node?.items);
    if (!last && !isLeaf && k > 0) {
      for (const l of added) entries.push({ label: l, keep: isNumberedLabel(l) }); // rule 2
      continue;
    }
    let before: string | undefined;
    if (last && added.length > 0 && !isNumberedLabel(added[added.length - 1])) {
      before = numberedPredecessor(form, pattern.slice(0, k), t); // rule 3
    }
    added.forEach((l, i) => entries.push({ label: l, keep: true, ...(i === 0 && before ? { before } : {}) }));
  }
  plans.set(key, entries);
  return entries;
}

/** The label list of the item at `pointer`, as the 変更箇所 prints it. */
export function itemLabels(ctx: LabelContext, pointer: string): string[] {
  const tokens = parsePointer(pointer);
  const out: string[] = [];
  for (const e of planFor(ctx.form, pointer, tokens)) {
    if (!e.keep) continue;
    let label = e.label;
    if (e.index) {
      // rule 1: a lone 特定個人情報ファイル is not numbered
      if (e.index.topLevel && entryCount(ctx, buildPointer(tokens.slice(0, e.index.k))) <= 1) continue;
      label = `${e.index.itemLabel}${Number(tokens[e.index.k]) + 1}`;
    }
    if (e.before && out[out.length - 1] !== e.before) out.push(e.before);
    // 「2. 従業者に対する教育・啓発」 whose item is again 「従業者に対する教育・啓発」: the form prints it once.
    if (out.length > 0 && stripNumber(out[out.length - 1]) === label) continue;
    out.push(label);
  }
  return out;
}

export function itemLabel(ctx: LabelContext, pointer: string): string {
  return itemLabels(ctx, pointer).join(' ');
}

function entryCount(ctx: LabelContext, arrayPtr: string): number {
  const counts = (ctx.counts ??= new Map());
  let n = counts.get(arrayPtr);
  if (n === undefined) {
    const a = getAtPointer(ctx.oldDoc, arrayPtr);
    const b = getAtPointer(ctx.newDoc, arrayPtr);
    counts.set(arrayPtr, (n = Math.max(Array.isArray(a) ? a.length : 0, Array.isArray(b) ? b.length : 0)));
  }
  return n;
}

/** The numbered leaf row an unnumbered leaf hangs under (rule 3), or undefined. */
function numberedPredecessor(form: string, parentTokens: string[], key: string): string | undefined {
  const parentPtr = buildPointer(parentTokens);
  const parent = resolveSchemaAt(form, parentPtr);
  if (!parent?.properties) return undefined;
  const keys = Object.keys(parent.properties);
  for (let j = keys.indexOf(key) - 1; j >= 0; j--) {
    const sib = resolveSchemaAt(form, buildPointer([...parentTokens, keys[j]]));
    if (!sib || !sib['x-kind']) return undefined; // a group ends the rows of the previous number
    const title = typeof sib.title === 'string' ? sib.title : '';
    if (!title) return undefined;
    if (isNumberedLabel(title)) return title;
  }
  return undefined;
}
