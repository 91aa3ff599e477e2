// しきい値判断 on the live counts (対象人数, 取扱者数, 重大事故 within one year of asOf) requires a higher
// assessment than the one this 評価書 is (or, for a 基礎, than the one it records). That is a mandatory
// re-assessment (指針: しきい値判断の結果の変更), hence 要再評価 rather than a ※-item change.
import { decideThreshold, highestAssessment, joinAssessments } from '../../threshold/decide.ts';
import {
  ASSESSMENTS,
  FORM_PATHS,
  RESULT_CHOICE_MEANING,
  SUBMITTED_FORMS_MEANING,
  type Assessment,
} from '../../threshold/table.ts';
import type { CheckContext, CheckRule } from '../context.ts';
import { groupDigits } from '../../report/number.ts';
import { jimuHandlers, jimuPersons, seriousIncidents } from '../counts.ts';

const rank = (a: Assessment | undefined) => (a ? ASSESSMENTS.indexOf(a) : -1);

function enumIndex(ctx: CheckContext, pointer: string, value: string | undefined): number {
  return value === undefined ? -1 : ctx.prepared.choicesAt(pointer).indexOf(value);
}

/** The highest assessment this document is or records. */
function performed(ctx: CheckContext): Assessment {
  const { declared } = ctx;
  if (declared.formId === 'zenkomoku') return '全項目評価';
  if (declared.formId === 'juten') return '重点項目評価';
  let best: Assessment = '基礎項目評価';
  const r = declared.thresholdResult;
  const ri = r ? enumIndex(ctx, r.pointer, r.value) : -1;
  const fromResult = ri >= 0 ? highestAssessment(RESULT_CHOICE_MEANING.kiso[ri] ?? []) : undefined;
  if (rank(fromResult) > rank(best)) best = fromResult as Assessment;
  const s = declared.submittedForms;
  const si = s ? enumIndex(ctx, s.pointer, s.value) : -1;
  const fromSubmitted = si >= 0 ? SUBMITTED_FORMS_MEANING[si] : undefined;
  if (rank(fromSubmitted) > rank(best)) best = fromSubmitted as Assessment;
  return best;
}

export const thresholdEscalation: CheckRule = {
  id: 'threshold-escalation',
  severity: 'error',
  title: {
    ja: 'しきい値判断の結果、より上位の評価が必要になった',
    en: 'The threshold now requires a higher assessment',
  },
  run(ctx) {
    const persons = jimuPersons(ctx);
    if (!persons) return [];
    const handlers = jimuHandlers(ctx);
    const incidents = seriousIncidents(ctx, 1, true);
    const required = decideThreshold(
      { persons: persons.value, handlers: handlers?.value ?? 0, incident: incidents.length > 0 },
      ctx.lang,
    ).required;
    const top = highestAssessment(required);
    const done = performed(ctx);
    if (rank(top) <= rank(done)) return [];
    const path = ctx.declared.thresholdResult?.pointer ?? FORM_PATHS[ctx.declared.formId].result;
    const reasons = [
      ctx.t(`対象人数 ${groupDigits(persons.value)} 人`, `${groupDigits(persons.value)} persons`),
      ...(handlers
        ? [ctx.t(`取扱者数 ${groupDigits(handlers.value)} 人`, `${groupDigits(handlers.value)} handlers`)]
        : []),
      ...(incidents.length
        ? [
            ctx.t(
              `過去1年以内の特定個人情報に関する重大事故 ${groupDigits(incidents.length)} 件 (${incidents.map((i) => i.value.date).join('、')})`,
              `${incidents.length} serious incident(s) within a year`,
            ),
          ]
        : []),
    ];
    return [
      {
        path,
        related: [...persons.from, ...(handlers?.from ?? []), ...incidents.map((i) => i.pointer)],
        consequence: '要再評価',
        message: ctx.t(
          `ライブ構成 (${reasons.join('、')}) では${joinAssessments(required)}の実施が義務付けられます。この評価書 (${done}) より上位の${top}を、この構成で稼働させる前に実施してください`,
          `With the live configuration (${reasons.join(', ')}) the ${joinAssessments(required, 'en')} is required; carry out the ${top} before this configuration goes live (this document: ${done})`,
        ),
      },
    ];
  },
};
