// 提供を行っている( )件 / 移転を行っている( )件 equal the number of 提供先 / 移転先. [M]
import { pick } from '../../schema/lang.ts';
import { listOf, prop, shortLabel } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

const PAIRS = [
  ['provisionCount', 'provisions'],
  ['transferCount', 'transfers'],
] as const;

export const provisionCount: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: '提供件数・移転件数と提供先・移転先の数が一致するか',
    en: 'Provision/transfer counts equal the number of destinations',
  },
  check(ctx) {
    const out: Finding[] = [];
    const files = listOf(ctx.doc, 'files');
    for (let i = 0; i < files.length; i++) {
      const provision = prop(files[i], 'provision');
      for (const [countKey, listKey] of PAIRS) {
        const count = prop(provision, countKey);
        if (typeof count !== 'number') continue;
        const countPointer = `/files/${i}/provision/${countKey}`;
        if (ctx.applicability.isNotApplicable(countPointer)) continue;
        const n = listOf(provision, listKey).length;
        if (n === count) continue;
        const listPointer = `/files/${i}/provision/${listKey}`;
        out.push({
          path: countPointer,
          related: [{ path: listPointer }],
          message: pick(
            ctx.lang,
            `「${shortLabel(ctx.form, countPointer)}」は ${count} 件ですが、「${shortLabel(ctx.form, listPointer)}」は ${n} 件記載されています`,
            `"${shortLabel(ctx.form, countPointer)}" says ${count} but ${n} "${shortLabel(ctx.form, listPointer)}" are written`,
          ),
        });
      }
    }
    return out;
  },
};
