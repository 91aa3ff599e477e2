// Columns recorded in a data store that are not among the declared 記録項目 ((別添) list), or whose
// category is not checked among 主な記録項目 (a ※ item).
import type { CheckRule, RuleFinding } from '../context.ts';
import { summarize } from '../context.ts';
import { normalizeName } from '../names.ts';

/** 「接種券番号(※)」, 「・氏名」, 「1. 氏名」 name the items 接種券番号 and 氏名. */
function itemKeys(item: string): string[] {
  const base = normalizeName(item).replace(/^(\d+[.、)]|[・･\-*])/, '');
  const bare = base.replace(/\(.*?\)$/, '');
  return bare && bare !== base ? [base, bare] : [base];
}

export const undeclaredRecordItem: CheckRule = {
  id: 'undeclared-record-item',
  severity: 'error',
  title: {
    ja: '評価書の記録項目にない項目を記録している',
    en: 'Recorded fields are not among the declared items',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const f of ctx.declared.files) {
      const declaredKeys = new Set((f.recordItems?.value ?? []).flatMap(itemKeys));
      const checked = new Set((f.mainItems?.value ?? []).map((m) => m.choice));
      for (const d of ctx.storesOf(f)) {
        const fields = (d.value.fields ?? []).map((x, i) => ({ x, pointer: `${d.pointer}/fields/${i}` }));
        if (f.recordItems) {
          const extra = fields.filter(
            ({ x }) => !itemKeys(x.item ?? x.column).some((k) => declaredKeys.has(k)),
          );
          if (extra.length) {
            out.push({
              path: f.recordItems.pointer,
              related: extra.map((e) => e.pointer),
              consequence: ctx.consequenceOf(f.recordItems.pointer),
              message: ctx.t(
                `データストア「${d.value.name}」に評価書の記録項目にない項目があります (${summarize(
                  ctx,
                  extra.map(({ x }) => (x.item ? `${x.item} [${x.column}]` : x.column)),
                )})`,
                `Data store "${d.value.name}" records fields not among the declared items (${summarize(
                  ctx,
                  extra.map(({ x }) => x.item ?? x.column),
                )})`,
              ),
            });
          }
        }
        if (f.mainItems) {
          const outside = fields.filter(({ x }) => x.category !== undefined && !checked.has(x.category));
          if (outside.length) {
            const cats = [...new Set(outside.map(({ x }) => x.category as string))];
            out.push({
              path: f.mainItems.pointer,
              related: outside.map((e) => e.pointer),
              consequence: ctx.consequenceOf(f.mainItems.pointer),
              message: ctx.t(
                `データストア「${d.value.name}」が主な記録項目で選択していない区分 (${cats.join('、')}) の項目を記録しています (${summarize(
                  ctx,
                  outside.map(({ x }) => x.item ?? x.column),
                )})`,
                `Data store "${d.value.name}" records fields of categories not checked among the main items (${cats.join(', ')})`,
              ),
            });
          }
        }
      }
    }
    return out;
  },
};
