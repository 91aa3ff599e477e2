// The recorded しきい値判断結果 agrees with the 対象人数 band (and, in 基礎, 取扱者数/重大事故), and a
// voluntary higher assessment uses the 「(任意に…を実施)」 選択肢. See ../../threshold/document-check.ts.
import { checkThresholdResult } from '../../threshold/document-check.ts';
import type { ConsistencyRule } from '../types.ts';

export const thresholdResult: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: 'しきい値判断結果が対象人数 (基礎項目評価書では取扱者数・重大事故も) と合っているか',
    en: 'The recorded threshold result agrees with the number of persons (and handlers/incident in the basic form)',
  },
  check: (ctx) => checkThresholdResult(ctx.doc, ctx.form, ctx.formId, ctx.lang),
};
