// その他、該当しない項目 (手数料・個人情報ファイル簿・規則第9条第2項) に記載がないか. [I]/[M] (rows in ../applicability.ts with blankRule 'not-applicable-filled')
import { filledButNotApplicable } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const notApplicableFilled: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: 'その他、該当しない項目 (手数料・個人情報ファイル簿・規則第9条第2項) に記載がないか',
    en: 'Other items that do not apply (fee, file register, rule 9(2)) are blank',
  },
  check: (ctx) => filledButNotApplicable(ctx, 'not-applicable-filled'),
};
