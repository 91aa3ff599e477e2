// 委託先における取扱者数 (Ⅱ4) against the contractor's staff count; 基礎 Ⅱ2 取扱者数 against all handlers.
import { handlersBandLabel } from '../../threshold/decide.ts';
import { groupDigits } from '../../report/number.ts';
import { bandOf } from '../bands.ts';
import type { CheckRule, RuleFinding } from '../context.ts';
import { jimuHandlers } from '../counts.ts';
import { matchContractors } from './entrustment.ts';

export const handlersOutOfBand: CheckRule = {
  id: 'handlers-out-of-band',
  severity: 'error',
  title: { ja: '取扱者数が記載の区分を外れている', en: 'Handlers outside the declared band' },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const m of matchContractors(ctx)) {
      const e = m.entrustment;
      const staff = m.contractor.value.staff;
      if (!e?.handlerCount || staff === undefined) continue;
      const observed = bandOf(ctx.choices.staffCount, staff);
      if (observed === e.handlerCount.value) continue;
      out.push({
        path: e.handlerCount.pointer,
        related: [`${m.contractor.pointer}/staff`],
        consequence: ctx.consequenceOf(e.handlerCount.pointer),
        message: ctx.t(
          `委託先「${m.contractor.value.name}」の取扱者は ${groupDigits(staff)} 人 (「${observed}」) で、評価書の「${e.handlerCount.value}」と異なります`,
          `Contractor "${m.contractor.value.name}" has ${groupDigits(staff)} handlers ("${observed}"), not the declared "${e.handlerCount.value}"`,
        ),
      });
    }
    const band = ctx.declared.handlersBand;
    const n = band ? jimuHandlers(ctx) : undefined;
    if (band && n) {
      const observed = handlersBandLabel(n.value);
      if (observed !== band.value) {
        out.push({
          path: band.pointer,
          related: n.from,
          consequence: ctx.consequenceOf(band.pointer),
          message: ctx.t(
            `ライブ構成の取扱者数は ${groupDigits(n.value)} 人 (「${observed}」) で、評価書の「${band.value}」と異なります`,
            `The live handler count is ${groupDigits(n.value)} ("${observed}"), not the declared "${band.value}"`,
          ),
        });
      }
    }
    return out;
  },
};
