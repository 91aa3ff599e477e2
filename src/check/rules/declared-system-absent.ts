// A system the 評価書 lists that the snapshot does not show (retired, renamed, or not exported).
import { actionFor } from '../../report/consequence.ts';
import type { CheckRule, RuleFinding } from '../context.ts';

export const declaredSystemAbsent: CheckRule = {
  id: 'declared-system-absent',
  severity: 'warning',
  title: {
    ja: '評価書に記載したシステムがライブ構成にない',
    en: 'A listed system is absent from the snapshot',
  },
  run(ctx) {
    // Without a systems list the export simply does not cover systems; that is not evidence of absence.
    if (!ctx.snapshot.systems) return [];
    const out: RuleFinding[] = [];
    for (const d of ctx.declared.systems) {
      if (ctx.findSnapshotSystem(d.name)) continue;
      // Whether removing the system's block is a 重要な変更 depends on the form's ※: the advice follows it.
      const consequence = ctx.consequenceOf(d.pointer, true);
      out.push({
        path: d.pointer,
        related: ['/systems'],
        consequence,
        message: ctx.t(
          `評価書に記載したシステム「${d.shortName}」がライブ構成にありません。廃止・名称変更したときは、${actionFor(consequence, 'ja')}`,
          `System "${d.shortName}" listed in the assessment is not in the snapshot; if it was retired or renamed, ${actionFor(consequence, 'en')}`,
        ),
      });
    }
    return out;
  },
};
