// A contractor handling the file that the 評価書 does not name, or any contractor while it says 委託しない.
import type { CheckRule, RuleFinding } from '../context.ts';
import { matchContractors, worstOf } from './entrustment.ts';

export const undeclaredContractor: CheckRule = {
  id: 'undeclared-contractor',
  severity: 'error',
  title: { ja: '評価書に記載のない委託先がある', en: 'A contractor is not declared in the assessment' },
  run(ctx) {
    const out: RuleFinding[] = [];
    const { declared, choices } = ctx;
    for (const m of matchContractors(ctx)) {
      if (m.entrustment) continue;
      const c = m.contractor.value;
      const subs = c.subcontractors?.length
        ? ctx.t(
            ` (再委託先 ${c.subcontractors.length} 社を含む)`,
            ` (with ${c.subcontractors.length} subcontractor(s))`,
          )
        : '';
      const what = ctx.t(
        `委託先「${c.name}」${c.scope ? ` (${c.scope})` : ''}${subs}`,
        `Contractor "${c.name}"${c.scope ? ` (${c.scope})` : ''}${subs}`,
      );
      if (declared.formId === 'kiso') {
        const flag = declared.kisoNotEntrusted;
        if (flag?.value !== true) continue; // the 基礎 form names no contractors: only 「委託しない」 can be contradicted
        out.push({
          path: flag.pointer,
          related: [m.contractor.pointer],
          consequence: ctx.consequenceOf(flag.pointer),
          message: ctx.t(
            `${what}が特定個人情報ファイルを取り扱っていますが、評価書は「委託しない」としています`,
            `${what} handles the file, but the assessment says it is not entrusted`,
          ),
        });
        continue;
      }
      const f = m.file;
      if (!f) continue;
      const notEntrusted = f.entrustPresence?.value === choices.entrustNo;
      const touched = [
        notEntrusted && f.entrustPresence
          ? { pointer: f.entrustPresence.pointer }
          : { pointer: f.entrustItemsPointer, block: true },
        ...(f.notEntrusted?.value === true ? [{ pointer: f.notEntrusted.pointer }] : []),
      ];
      out.push({
        path: touched[0].pointer,
        related: [m.contractor.pointer],
        consequence: worstOf(ctx, touched),
        message: notEntrusted
          ? ctx.t(
              `${what}が特定個人情報ファイルを取り扱っていますが、評価書は「${choices.entrustNo}」としています`,
              `${what} handles the file, but the assessment says it is not entrusted`,
            )
          : ctx.t(
              `${what}が特定個人情報ファイルを取り扱っていますが、評価書の委託事項に記載がありません`,
              `${what} handles the file but is not among the entrusted items`,
            ),
      });
    }
    return out;
  },
};
