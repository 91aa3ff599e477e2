// Columns recorded in a data store that are not among the declared 記録項目 ((別添) list), or whose
// category is not checked among 主な記録項目 (a ※ item).
import type { CheckRule, RuleFinding } from '../context.ts';
import { summarize } from '../context.ts';
import { recordItemKeys } from '../record-items.ts';

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
      const declaredKeys = ctx.index.recordItemKeys.get(f.index) ?? new Set<string>();
      const checked = ctx.index.mainItemChoices.get(f.index) ?? new Set<string>();
      for (const d of ctx.storesOf(f)) {
        const fields = d.value.fields ?? [];
        // Pointers only for the fields a finding cites: 200 stores × 20 columns mostly match.
        const at = (i: number) => ({ x: fields[i], pointer: `${d.pointer}/fields/${i}` });
        if (f.recordItems) {
          const extra: { x: (typeof fields)[number]; pointer: string }[] = [];
          for (let i = 0; i < fields.length; i++) {
            const x = fields[i];
            if (!recordItemKeys(x.item ?? x.column).some((k) => declaredKeys.has(k))) extra.push(at(i));
          }
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
          const outside: { x: (typeof fields)[number]; pointer: string }[] = [];
          for (let i = 0; i < fields.length; i++) {
            const c = fields[i].category;
            if (c !== undefined && !checked.has(c)) outside.push(at(i));
          }
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
