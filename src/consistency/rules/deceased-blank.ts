// 死者の個人番号 保管していない ⇒ 具体的な保管方法は空欄. [V-seed] (rows in ../applicability.ts with blankRule 'deceased-blank')
import { filledButNotApplicable } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const deceasedBlank: ConsistencyRule = {
  severity: 'error',
  forms: ['zenkomoku'],
  description: {
    ja: '死者の個人番号 保管していない ⇒ 具体的な保管方法は空欄',
    en: 'No storage method when the numbers of the deceased are not kept',
  },
  check: (ctx) => filledButNotApplicable(ctx, 'deceased-blank'),
};
