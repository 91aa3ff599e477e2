// A 委託先 the 評価書 names that the snapshot does not show.
import type { CheckRule, RuleFinding } from '../context.ts';
import { actionFor } from '../../report/consequence.ts';
import { normalizeName } from '../names.ts';

export const declaredContractorAbsent: CheckRule = {
  id: 'declared-contractor-absent',
  severity: 'warning',
  title: {
    ja: '評価書に記載した委託先がライブ構成にない',
    en: 'A declared contractor is absent from the snapshot',
  },
  run(ctx) {
    if (!ctx.snapshot.contractors) return [];
    const out: RuleFinding[] = [];
    const live = new Set(ctx.contractors.map((c) => normalizeName(c.value.name)));
    for (const f of ctx.declared.files) {
      for (const e of f.entrustments) {
        if (!e.contractor) continue;
        if (live.has(normalizeName(e.contractor.value))) continue;
        // Removing a 委託事項 touches ※ items in most forms: the advice follows the consequence.
        const consequence = ctx.consequenceOf(e.pointer, true);
        out.push({
          path: e.pointer,
          related: ['/contractors'],
          consequence,
          message: ctx.t(
            `評価書に記載した委託先「${e.contractor.value}」がライブ構成にありません。委託を終了したときは、${actionFor(consequence, 'ja')}`,
            `Contractor "${e.contractor.value}" declared in the assessment is not in the snapshot; if the contract ended, ${actionFor(consequence, 'en')}`,
          ),
        });
      }
    }
    return out;
  },
};
