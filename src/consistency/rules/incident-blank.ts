// 重大事故 発生なし ⇒ その内容・再発防止策の内容は空欄. [V-seed] (rows in ../applicability.ts with blankRule 'incident-blank')
import { filledButNotApplicable } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const incidentBlank: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: '重大事故 発生なし ⇒ その内容・再発防止策の内容は空欄',
    en: 'No incident content or prevention when no serious incident occurred',
  },
  check: (ctx) => filledButNotApplicable(ctx, 'incident-blank'),
};
