// 「再委託する」 with a 許諾方法: every subcontractor must carry the record of that approval.
import type { CheckRule, RuleFinding } from '../context.ts';
import { summarize } from '../context.ts';
import { matchContractors } from './entrustment.ts';

export const subcontractorUnapproved: CheckRule = {
  id: 'subcontractor-unapproved',
  severity: 'warning',
  title: { ja: '再委託の許諾の記録がない再委託先がある', en: 'A subcontractor lacks the declared approval' },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const m of matchContractors(ctx)) {
      const e = m.entrustment;
      if (!e || e.subcontract?.value !== ctx.choices.subcontractYes) continue;
      const subs = (m.contractor.value.subcontractors ?? [])
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => !s.approval);
      if (subs.length === 0) continue;
      const path = e.subcontractMethod?.pointer ?? e.subcontract.pointer;
      out.push({
        path,
        related: subs.map(({ i }) => `${m.contractor.pointer}/subcontractors/${i}`),
        consequence: '違反',
        message: ctx.t(
          `委託先「${m.contractor.value.name}」の再委託先 ${summarize(
            ctx,
            subs.map(({ s }) => s.name),
          )} に、評価書の許諾方法による許諾の記録 (approval) がありません`,
          `Subcontractor(s) ${summarize(
            ctx,
            subs.map(({ s }) => s.name),
          )} of "${m.contractor.value.name}" have no record of the declared approval`,
        ),
      });
    }
    return out;
  },
};
