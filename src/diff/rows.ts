// Changes → rows of the 変更箇所 table (before classification): one row per change, except inside a
// `measure` item, where each numbered part is its own row (「②部分」) and everything else that changed in
// the item (unnumbered paragraphs, headings, whole blocks) is one row for the item, printed with 略.
import { getAtPointer } from '../pointer.ts';
import type { Json } from '../types.ts';
import { itemLabel, type LabelContext } from './labels.ts';
import { groupDigits } from '../report/number.ts';
import { CHECKED, elideTexts, printHeading, printMeasure, printMultiLines, printValue } from './print.ts';
import { nodeAt } from './schema-cache.ts';
import type { ItemChange } from './types.ts';
import { asText, measureBlocks, multiEntries, partNumberOf } from './values.ts';

export interface RowDraft {
  /** Pointer that names the row (the item; for a numbered part, the part). */
  path: string;
  item: string;
  before: string;
  after: string;
  significant: boolean;
  changes: ItemChange[];
}

const MEASURE_UNITS = new Set(['part', 'heading', 'measureBlock']);

export function buildRows(form: string, oldDoc: Json, newDoc: Json, changes: readonly ItemChange[]): RowDraft[] {
  const ctx: LabelContext = { form, oldDoc, newDoc };
  const rows: RowDraft[] = [];
  const merged = new Map<string, RowDraft>();
  for (const c of changes) {
    if (c.placeholder) continue;
    if (MEASURE_UNITS.has(c.unit) && !(c.unit === 'part' && c.partNumber)) {
      const key = c.item;
      const row = merged.get(key);
      if (row) {
        row.changes.push(c);
        continue;
      }
      const oldItem = c.oldItem ?? c.item;
      const b = printMeasure(getAtPointer(oldDoc, oldItem) as Json | undefined);
      const a = printMeasure(getAtPointer(newDoc, c.item) as Json | undefined);
      const e = elideTexts(b, a);
      const r: RowDraft = { path: c.item, item: itemLabel(ctx, c.item), ...e, significant: c.significant, changes: [c] };
      merged.set(key, r);
      rows.push(r);
      continue;
    }
    const printedWith = hostedKeys(form, c.item);
    if (printedWith.length) {
      // The item and the values printed in its row (「[委託する] (2) 件」) are one row, whichever changed.
      const key = `hosted\u0000${c.item}`;
      const row = merged.get(key);
      if (row) {
        row.changes.push(c);
        continue;
      }
      const r: RowDraft = {
        path: c.item,
        item: itemLabel(ctx, c.item),
        before: printHosted(form, oldDoc, c.oldItem ?? c.item, printedWith),
        after: printHosted(form, newDoc, c.item, printedWith),
        significant: c.significant,
        changes: [c],
      };
      merged.set(key, r);
      rows.push(r);
      continue;
    }
    rows.push(rowOf(ctx, c));
  }
  return rows;
}

const lastToken = (pointer: string) => pointer.slice(pointer.lastIndexOf('/') + 1);
const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf('/'));

/** Keys of the siblings of `item` that the form prints in its row (`x-printed-with`), in schema order. */
function hostedKeys(form: string, item: string): string[] {
  if (!item) return [];
  const props = nodeAt(form, parentOf(item))?.properties as Record<string, { [k: string]: unknown }> | undefined;
  if (!props) return [];
  const key = lastToken(item);
  return Object.keys(props).filter((k) => props[k]?.['x-printed-with'] === key);
}

/**
 * The row as the form prints it: the item's value, then each value printed with it as 「(2) 件」 — beside its
 * checkbox (`x-printed-beside`) in a checkbox list, else after the item.
 */
function printHosted(form: string, doc: Json, item: string, keys: readonly string[]): string {
  const node = nodeAt(form, item);
  const value = getAtPointer(doc, item) as Json | undefined;
  const parent = parentOf(item);
  const counts = keys
    .map((k) => {
      const n = nodeAt(form, `${parent}/${k}`);
      const v = getAtPointer(doc, `${parent}/${k}`);
      if (typeof v !== 'number') return undefined;
      const unit = typeof n?.['x-unit'] === 'string' ? ` ${n['x-unit']}` : '';
      const beside = typeof n?.['x-printed-beside'] === 'string' ? n['x-printed-beside'] : undefined;
      return { text: `(${groupDigits(v)})${unit}`, beside };
    })
    .filter((c): c is { text: string; beside: string | undefined } => c !== undefined);
  if (node?.['x-kind'] === 'multi') {
    const lines = printMultiLines(node, new Map(), multiEntries(value)).after.map((line) => {
      const beside = counts.filter((c) => c.beside !== undefined && line.startsWith(`${CHECKED}${c.beside}`));
      return [line, ...beside.map((c) => c.text)].join(' ');
    });
    const rest = counts.filter((c) => c.beside === undefined).map((c) => c.text);
    return [...lines, ...(rest.length ? [rest.join(' ')] : [])].join('\n');
  }
  return [printValue(node, value), ...counts.map((c) => c.text)].filter(Boolean).join(' ');
}

function rowOf(ctx: LabelContext, c: ItemChange): RowDraft {
  const base = { path: c.path, significant: c.significant, changes: [c] };
  if (c.unit === 'part') {
    const e = c.op === 'replace' ? elideTexts(asText(c.before), asText(c.after)) : { before: asText(c.before), after: asText(c.after) };
    return { ...base, item: `${itemLabel(ctx, c.item)} ${partQualifier(ctx, c)}${c.partNumber}部分`, ...e };
  }
  if (c.unit === 'block') {
    const title = (v: unknown) => asText((v as { title?: Json } | undefined)?.title);
    return {
      ...base,
      item: itemLabel(ctx, c.path),
      before: c.op === 'add' ? '' : title(c.before) || '',
      after: c.op === 'add' ? title(c.after) || '追加' : '削除',
    };
  }
  const node = nodeAt(ctx.form, c.item);
  const item = itemLabel(ctx, c.item);
  if (c.op === 'replace' && node?.['x-kind'] === 'multi') {
    const m = printMultiLines(node, multiEntries(c.before), multiEntries(c.after));
    return { ...base, item, before: m.before.join('\n'), after: m.after.join('\n') };
  }
  const before = c.op === 'add' ? '' : printValue(node, c.before as Json);
  const after = c.op === 'remove' ? '' : printValue(node, c.after as Json);
  const kind = node?.['x-kind'];
  if (c.op === 'replace' && (kind === 'text' || kind === 'list' || kind === 'measure' || !kind)) {
    return { ...base, item, ...elideTexts(before, after) };
  }
  return { ...base, item, before, after };
}

/**
 * A part number names a part only within its block; when another block of the same item has a part with
 * the same number, the row also names the block (「<…における措置> ②部分」).
 */
function partQualifier(ctx: LabelContext, c: ItemChange): string {
  if (!c.blockHeading || !c.partNumber) return '';
  const doc = c.op === 'remove' ? ctx.oldDoc : ctx.newDoc;
  const item = c.op === 'remove' ? (c.oldItem ?? c.item) : c.item;
  const blocks = measureBlocks(getAtPointer(doc, item) as Json | undefined);
  const withNumber = blocks.filter((b) => b.parts.some((p) => partNumberOf(p) === c.partNumber));
  return withNumber.length > 1 ? `${printHeading(c.blockHeading)} ` : '';
}
