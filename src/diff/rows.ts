// Changes → rows of the 変更箇所 table (before classification): one row per change, except inside a
// `measure` item, where each numbered part is its own row (「②部分」) and everything else that changed in
// the item (unnumbered paragraphs, headings, whole blocks) is one row for the item, printed with 略.
import { getAtPointer } from '../pointer.ts';
import type { Json } from '../types.ts';
import { itemLabel, type LabelContext } from './labels.ts';
import { elideTexts, printHeading, printMeasure, printMultiLines, printValue } from './print.ts';
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
    rows.push(rowOf(ctx, c));
  }
  return rows;
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
