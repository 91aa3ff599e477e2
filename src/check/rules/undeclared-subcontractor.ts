// A subcontractor of a declared 委託先 while the 評価書 says 「再委託しない」 (a ※ item: re-assess first).
import type { CheckRule, RuleFinding } from '../context.ts';
import { summarize } from '../context.ts';
import { matchContractors } from './entrustment.ts';

export const undeclaredSubcontractor: CheckRule = {
  id: 'undeclared-subcontractor',
  severity: 'error',
  title: {
    ja: '「再委託しない」とした委託先に再委託先がある',
    en: 'A subcontractor exists although the assessment says no subcontracting',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const m of matchContractors(ctx)) {
      const e = m.entrustment;
      const subs = m.contractor.value.subcontractors ?? [];
      if (!e || !e.subcontract || subs.length === 0) continue;
      if (e.subcontract.value !== ctx.choices.subcontractNo) continue;
      out.push({
        path: e.subcontract.pointer,
        related: subs.map((_, i) => `${m.contractor.pointer}/subcontractors/${i}`),
        consequence: ctx.consequenceOf(e.subcontract.pointer),
        message: ctx.t(
          `委託先「${m.contractor.value.name}」に再委託先があります (${summarize(
            ctx,
            subs.map((s) => s.name),
          )}) が、評価書は「${e.subcontract.value}」としています`,
          `Contractor "${m.contractor.value.name}" has subcontractor(s) (${summarize(
            ctx,
            subs.map((s) => s.name),
          )}) but the assessment says no subcontracting`,
        ),
      });
    }
    return out;
  },
};
