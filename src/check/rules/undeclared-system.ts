// A system in the snapshot that the 評価書 does not list (Ⅰ2 システムN, or the 基礎 Ⅰ1③ text).
import { kisoNamesSystem, type CheckRule, type RuleFinding } from '../context.ts';

export const undeclaredSystem: CheckRule = {
  id: 'undeclared-system',
  severity: 'error',
  title: {
    ja: '評価書に記載のないシステムが稼働している',
    en: 'A running system is not listed in the assessment',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    const { declared } = ctx;
    for (const s of ctx.systems) {
      if (declared.formId === 'kiso') {
        const text = declared.systemNamesText;
        if (!text || kisoNamesSystem(text.value, s.value)) continue;
        out.push({
          path: text.pointer,
          related: [s.pointer],
          consequence: ctx.consequenceOf(text.pointer),
          message: ctx.t(
            `システム「${s.value.name}」が稼働していますが、評価書のシステムの名称に記載がありません`,
            `System "${s.value.name}" is running but is not named in the assessment`,
          ),
        });
        continue;
      }
      if (!declared.systemsPointer || ctx.findDeclaredSystem(s.value)) continue;
      out.push({
        path: declared.systemsPointer,
        related: [s.pointer],
        consequence: ctx.consequenceOf(declared.systemsPointer, true),
        message: ctx.t(
          `システム「${s.value.name}」が稼働していますが、評価書の使用するシステムに記載がありません`,
          `System "${s.value.name}" is running but is not listed among the systems of the assessment`,
        ),
      });
    }
    return out;
  },
};
