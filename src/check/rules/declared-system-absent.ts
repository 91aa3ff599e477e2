// A system the 評価書 lists that the snapshot does not show (retired, renamed, or not exported).
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
      out.push({
        path: d.pointer,
        related: ['/systems'],
        consequence: ctx.consequenceOf(d.pointer, true),
        message: ctx.t(
          `評価書に記載したシステム「${d.shortName}」がライブ構成にありません。廃止・名称変更したときは評価書を修正してください`,
          `System "${d.shortName}" listed in the assessment is not in the snapshot; if it was retired or renamed, correct the assessment`,
        ),
      });
    }
    return out;
  },
};
