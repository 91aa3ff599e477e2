// 再委託しない ⇒ ⑤/⑧再委託の許諾方法・⑥/⑨再委託事項は空欄. [V-seed] (rows in ../applicability.ts with blankRule 'subcontract-blank')
import { filledButNotApplicable } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const subcontractBlank: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: '再委託しない ⇒ ⑤/⑧再委託の許諾方法・⑥/⑨再委託事項は空欄',
    en: 'No subcontracting permission method or items when not subcontracting',
  },
  check: (ctx) => filledButNotApplicable(ctx, 'subcontract-blank'),
};
