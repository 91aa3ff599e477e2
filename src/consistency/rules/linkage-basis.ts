// 情報連携 実施しない ⇒ ②法令上の根拠 blank, and usually both 接続しない boxes of Ⅲ6 are checked
// (the latter only as information). [I] (pia-domain.md §3.4)
import { pick } from '../../schema/lang.ts';
import { filledButNotApplicable, listOf, prop, shortLabel } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

const FLAGS = ['notConnectedAcquisition', 'notConnectedProvision'] as const;

export const linkageBasis: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '情報連携を実施しない場合、法令上の根拠は空欄 (Ⅲ6 は通常「接続しない」)',
    en: 'No legal basis when network linkage is not implemented (and Ⅲ6 usually marked not connected)',
  },
  check(ctx) {
    const out: Finding[] = filledButNotApplicable(ctx, 'linkage-basis');
    const hit = ctx.applicability.hitsOf('linkage-none').notApplicable[0];
    if (!hit) return out;
    const risks = listOf(ctx.doc, 'risks');
    for (let i = 0; i < risks.length; i++) {
      const network = prop(risks[i], 'network');
      const unchecked = FLAGS.filter((k) => prop(network, k) !== true).map((k) => `/risks/${i}/network/${k}`);
      if (unchecked.length === 0) continue;
      out.push({
        path: `/risks/${i}/network`,
        severity: 'info',
        related: [{ path: hit.decidePointer }],
        message: pick(
          ctx.lang,
          `「${shortLabel(ctx.form, hit.decidePointer)}」が『${String(hit.value)}』の場合、通常は ${unchecked
            .map((p) => `「${shortLabel(ctx.form, p)}」`)
            .join('と')}にチェックします`,
          `With "${String(hit.value)}", ${unchecked.map((p) => `"${shortLabel(ctx.form, p)}"`).join(' and ')} is usually checked`,
        ),
      });
    }
    return out;
  },
};
