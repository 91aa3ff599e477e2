// Ⅲ4 「委託しない」 agrees with Ⅱ4 委託の有無 of the same file, and when checked the Ⅲ4 body is blank. [I]
import { pick } from '../../schema/lang.ts';
import { entry, filledButNotApplicable, fullLabel, listOf, prop, shortLabel } from '../helpers.ts';
import type { ApplicabilityHit } from '../applicable.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

function ofFile(hits: readonly ApplicabilityHit[], file: number): boolean {
  for (const h of hits) if (h.indices[0] === file) return true;
  return false;
}

export const entrustFlag: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: 'Ⅲ4 の「委託しない」が Ⅱ4 の委託の有無と合い、チェック時は Ⅲ4 が空欄か',
    en: 'Ⅲ4 "not entrusted" agrees with Ⅱ4, and Ⅲ4 is blank when it is checked',
  },
  check(ctx) {
    const out: Finding[] = filledButNotApplicable(ctx, 'entrust-flag');
    const hits = ctx.applicability.hitsOf('entrust-none');
    // Without a 委託の有無 that decides either way there is nothing to compare.
    if (hits.notApplicable.length === 0 && hits.required.length === 0) return out;
    const files = listOf(ctx.doc, 'files');
    const risks = prop(ctx.doc, 'risks');
    for (let i = 0; i < files.length; i++) {
      const risk = entry(risks, i);
      if (risk === undefined) continue;
      // The row's scope is /files/*/entrustment: a hit of file i has indices [i].
      const notEntrusted = ofFile(hits.notApplicable, i);
      const entrusted = ofFile(hits.required, i);
      const flag = prop(prop(risk, 'entrustment'), 'notEntrusted') === true;
      if (!(notEntrusted && !flag) && !(entrusted && flag)) continue;
      const presencePointer = `/files/${i}/entrustment/presence`;
      const flagPointer = `/risks/${i}/entrustment/notEntrusted`;
      const value = String(prop(prop(files[i], 'entrustment'), 'presence'));
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
