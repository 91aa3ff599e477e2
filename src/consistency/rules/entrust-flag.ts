// Ⅲ4 「委託しない」 agrees with Ⅱ4 委託の有無 of the same file, and when checked the Ⅲ4 body is blank. [I]
import { pick } from '../../schema/lang.ts';
import { arrayAt, at, filledButNotApplicable, fullLabel, shortLabel } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

export const entrustFlag: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: 'Ⅲ4 の「委託しない」が Ⅱ4 の委託の有無と合い、チェック時は Ⅲ4 が空欄か',
    en: 'Ⅲ4 "not entrusted" agrees with Ⅱ4, and Ⅲ4 is blank when it is checked',
  },
  check(ctx) {
    const out: Finding[] = filledButNotApplicable(ctx, 'entrust-flag');
    const files = arrayAt(ctx.doc, '/files');
    for (let i = 0; i < files.length; i++) {
      const presencePointer = `/files/${i}/entrustment/presence`;
      const flagPointer = `/risks/${i}/entrustment/notEntrusted`;
      if (at(ctx.doc, `/risks/${i}`) === undefined) continue;
      const notEntrusted = ctx.applicability.notApplicable.some((h) => h.row.id === 'entrust-none' && h.decidePointer === presencePointer);
      const entrusted = ctx.applicability.required.some((h) => h.row.id === 'entrust-none' && h.decidePointer === presencePointer);
      const flag = at(ctx.doc, flagPointer) === true;
      const value = String(at(ctx.doc, presencePointer));
      if (notEntrusted && !flag) {
        out.push({
          path: flagPointer,
          related: [{ path: presencePointer }],
          message: pick(
            ctx.lang,
            `「${fullLabel(ctx.form, presencePointer)}」が『${value}』のため、「${shortLabel(ctx.form, flagPointer)}」にチェックしてください`,
            `"${fullLabel(ctx.form, presencePointer)}" is "${value}", so check "${shortLabel(ctx.form, flagPointer)}"`,
          ),
        });
      } else if (entrusted && flag) {
        out.push({
          path: flagPointer,
          related: [{ path: presencePointer }],
          message: pick(
            ctx.lang,
            `「${fullLabel(ctx.form, presencePointer)}」が『${value}』なのに、「${shortLabel(ctx.form, flagPointer)}」にチェックがあります`,
            `"${fullLabel(ctx.form, presencePointer)}" is "${value}" but "${shortLabel(ctx.form, flagPointer)}" is checked`,
          ),
        });
      }
    }
    return out;
  },
};
