// 接続しない(入手)/(提供) ⇒ Ⅲ6 の関連するリスクは空欄. [V-seed] (rows in ../applicability.ts with blankRule 'network-blank')
import { filledButNotApplicable } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const networkBlank: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '接続しない(入手)/(提供) ⇒ Ⅲ6 の関連するリスクは空欄',
    en: 'No Ⅲ6 risk text for a connection that is not made',
  },
  check: (ctx) => filledButNotApplicable(ctx, 'network-blank'),
};
