// ( )件 — the 委託件数 — equals the number of 委託事項 blocks. [I]
import { pick } from '../../schema/lang.ts';
import { listOf, prop, shortLabel } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const entrustCount: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: '委託件数 ( )件 と委託事項の数が一致するか',
    en: 'The entrustment count equals the number of entrusted items',
  },
  check(ctx) {
    const out = [];
    const files = listOf(ctx.doc, 'files');
    for (let i = 0; i < files.length; i++) {
      const entrustment = prop(files[i], 'entrustment');
      const count = prop(entrustment, 'count');
      if (typeof count !== 'number') continue;
      const countPointer = `/files/${i}/entrustment/count`;
      // A 委託しない document with a count is reported by entrust-items.
      if (ctx.applicability.isNotApplicable(countPointer)) continue;
      const n = listOf(entrustment, 'items').length;
      if (count === n) continue;
      const itemsPointer = `/files/${i}/entrustment/items`;
      out.push({
        path: countPointer,
        related: [{ path: itemsPointer }],
        message: pick(
          ctx.lang,
          `「${shortLabel(ctx.form, countPointer)}」は ${count} 件ですが、「${shortLabel(ctx.form, itemsPointer)}」は ${n} 件記載されています`,
          `"${shortLabel(ctx.form, countPointer)}" says ${count} but ${n} "${shortLabel(ctx.form, itemsPointer)}" are written`,
        ),
      });
    }
    return out;
  },
};
