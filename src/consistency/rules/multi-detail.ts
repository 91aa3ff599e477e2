// Multi-select lists: a 選択肢 printed with 「( … )」 (x-detail) needs its text, and the others have no
// place for one. Read from the schema's x-detail, so it covers every list of every form.
import { pick } from '../../schema/lang.ts';
import { listItems, type FormRef } from '../../schema/navigate.ts';
import { compilePattern, expandCompiled, type CompiledPattern } from '../applicable.ts';
import { at } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

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

export const multiDetail: ConsistencyRule = {
  severity: 'warning',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '「その他( )」などの ( ) 内の記載 (detail) が必要な選択肢にだけあるか',
    en: 'A detail text is given exactly for the choices printed with "( )"',
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const item of multiItemsOf(ctx.form)) {
      const withDetail = item.withDetail;
      for (const p of expandCompiled(ctx.doc, item.pattern)) {
        const list = at(ctx.doc, p);
        if (!Array.isArray(list)) continue;
        list.forEach((entry, i) => {
          if (!entry || typeof entry !== 'object') return;
          const { choice, detail } = entry as { choice?: unknown; detail?: unknown };
          if (typeof choice !== 'string' || !item.choices.has(choice)) return;
          const hasDetail = typeof detail === 'string' && detail.trim() !== '';
          if (withDetail.has(choice) && !hasDetail) {
            out.push({
              path: `${p}/${i}`,
              message: pick(
                ctx.lang,
                `『${choice}』の ( ) 内の内容を detail に記載してください`,
                `Give the text in "( )" for "${choice}" as detail`,
              ),
            });
          } else if (!withDetail.has(choice) && hasDetail) {
            out.push({
              path: `${p}/${i}/detail`,
              message: pick(
                ctx.lang,
                `『${choice}』には ( ) の記載欄がありません。detail を削除してください`,
                `"${choice}" has no "( )" text; remove detail`,
              ),
            });
          }
        });
      }
    }
    return out;
  },
};
