// Multi-select lists: a 選択肢 printed with 「( … )」 (x-detail) needs its text, and the others have no
// place for one. Read from the schema's x-detail, so it covers every list of every form.
import { pick } from '../../schema/lang.ts';
import { listItems } from '../../schema/navigate.ts';
import { expandPattern } from '../applicable.ts';
import { at } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

export const multiDetail: ConsistencyRule = {
  severity: 'warning',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '「その他( )」などの ( ) 内の記載 (detail) が必要な選択肢にだけあるか',
    en: 'A detail text is given exactly for the choices printed with "( )"',
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const item of listItems(ctx.form)) {
      if (item.kind !== 'multi') continue;
      const withDetail = new Set((item.node['x-detail'] as string[] | undefined) ?? []);
      for (const p of expandPattern(ctx.doc, item.pointer)) {
        const list = at(ctx.doc, p);
        if (!Array.isArray(list)) continue;
        list.forEach((entry, i) => {
          if (!entry || typeof entry !== 'object') return;
          const { choice, detail } = entry as { choice?: unknown; detail?: unknown };
          if (typeof choice !== 'string' || !item.choices?.includes(choice)) return;
          const hasDetail = typeof detail === 'string' && detail.trim() !== '';
          if (withDetail.has(choice) && !hasDetail) {
            out.push({
              path: `${p}/${i}`,
              message: pick(ctx.lang, `『${choice}』の ( ) 内の内容を detail に記載してください`, `Give the text in "( )" for "${choice}" as detail`),
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
