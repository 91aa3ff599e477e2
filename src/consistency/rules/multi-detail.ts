// Multi-select lists: a 選択肢 printed with 「( … )」 (x-detail) needs its text, and the others have no
// place for one. Read from the schema's x-detail, so it covers every list of every form.
import { pick } from '../../schema/lang.ts';
import { listItems, type FormRef } from '../../schema/navigate.ts';
import { compilePattern, type CompiledPattern } from '../applicable.ts';
import type { ConsistencyRule, Finding, RuleContext } from '../types.ts';

interface MultiItem {
  pattern: CompiledPattern;
  choices: ReadonlySet<string>;
  withDetail: ReadonlySet<string>;
}

const multiItems = new Map<string, MultiItem[]>();

function multiItemsOf(form: FormRef): MultiItem[] {
  const key = typeof form === 'string' ? form : form.key;
  let items = typeof form === 'string' ? multiItems.get(key) : undefined;
  if (!items) {
    items = listItems(form)
      .filter((i) => i.kind === 'multi')
      .map((i) => ({
        pattern: compilePattern(i.pointer),
        choices: new Set(i.choices ?? []),
        withDetail: new Set((i.node['x-detail'] as string[] | undefined) ?? []),
      }));
    if (typeof form === 'string') multiItems.set(key, items);
  }
  return items;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The lists matching `item.pattern` are walked by value (the indices taken on the way kept in `indices`), and
 * a pointer is built only for a finding: a clean document builds none.
 */
function walk(
  ctx: RuleContext,
  item: MultiItem,
  v: unknown,
  depth: number,
  indices: number[],
  out: Finding[],
): void {
  const keys = item.pattern.keys;
  if (depth === keys.length) {
    checkList(ctx, item, v, indices, out);
    return;
  }
  const t = keys[depth];
  if (t === '*') {
    if (!Array.isArray(v)) return;
    for (let k = 0; k < v.length; k++) {
      indices.push(k);
      walk(ctx, item, v[k], depth + 1, indices, out);
      indices.pop();
    }
    return;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn.call(v, t)) return;
  walk(ctx, item, (v as Record<string, unknown>)[t], depth + 1, indices, out);
}

/** The concrete pointer of the list: the pattern with its `*` replaced by `indices`, in order. */
function listPointer(pattern: CompiledPattern, indices: readonly number[]): string {
  let p = '';
  let n = 0;
  for (let i = 0; i < pattern.keys.length; i++)
    p += `/${pattern.keys[i] === '*' ? indices[n++] : pattern.escaped[i]}`;
  return p;
}

function checkList(
  ctx: RuleContext,
  item: MultiItem,
  list: unknown,
  indices: number[],
  out: Finding[],
): void {
  if (!Array.isArray(list)) return;
  const withDetail = item.withDetail;
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) continue; // a hole, as forEach skips it
    const entry: unknown = list[i];
    if (!entry || typeof entry !== 'object') continue;
    const { choice, detail } = entry as { choice?: unknown; detail?: unknown };
    if (typeof choice !== 'string' || !item.choices.has(choice)) continue;
    const hasDetail = typeof detail === 'string' && detail.trim() !== '';
    if (withDetail.has(choice) && !hasDetail) {
      out.push({
        path: `${listPointer(item.pattern, indices)}/${i}`,
        message: pick(
          ctx.lang,
          `『${choice}』の ( ) 内の内容を detail に記載してください`,
          `Give the text in "( )" for "${choice}" as detail`,
        ),
      });
    } else if (!withDetail.has(choice) && hasDetail) {
      out.push({
        path: `${listPointer(item.pattern, indices)}/${i}/detail`,
        message: pick(
          ctx.lang,
          `『${choice}』には ( ) の記載欄がありません。detail を削除してください`,
          `"${choice}" has no "( )" text; remove detail`,
        ),
      });
    }
  }
}

export const multiDetail: ConsistencyRule = {
  severity: 'warning',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '「その他( )」などの ( ) 内の記載 (detail) が必要な選択肢にだけあるか',
    en: 'A detail text is given exactly for the choices printed with "( )"',
  },
  check(ctx) {
    const out: Finding[] = [];
    const indices: number[] = [];
    for (const item of multiItemsOf(ctx.form)) walk(ctx, item, ctx.doc, 0, indices, out);
    return out;
  },
};
