// 保管期間 (全項目 Ⅱ6②) against the retention setting of each data store holding the file.
import { groupDigits } from '../../report/number.ts';
import { compareRetention } from '../bands.ts';
import type { CheckRule, RuleFinding } from '../context.ts';

export const retentionMismatch: CheckRule = {
  id: 'retention-mismatch',
  severity: 'error',
  title: {
    ja: 'データの保管期間の設定が評価書の保管期間と異なる',
    en: 'Retention setting differs from the declared retention period',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const f of ctx.declared.files) {
      if (!f.retention) continue;
      for (const d of ctx.storesOf(f)) {
        const days = d.value.retentionDays;
        if (days === undefined) continue;
        const cmp = compareRetention(f.retention.value, days);
        if (cmp === undefined || cmp === 'within') continue;
        const setting =
          days === 'indefinite' ? ctx.t('無期限', 'indefinite') : ctx.t(`${groupDigits(days)} 日`, `${groupDigits(days)} days`);
        out.push({
          path: f.retention.pointer,
          related: [`${d.pointer}/retentionDays`],
          consequence: ctx.consequenceOf(f.retention.pointer),
          message:
            cmp === 'longer'
              ? ctx.t(
                  `データストア「${d.value.name}」の保管期間の設定 (${setting}) が評価書の保管期間「${f.retention.value}」より長くなっています`,
                  `Data store "${d.value.name}" keeps data for ${setting}, longer than the declared "${f.retention.value}"`,
                )
              : ctx.t(
                  `データストア「${d.value.name}」の保管期間の設定 (${setting}) が評価書の保管期間「${f.retention.value}」より短くなっています`,
                  `Data store "${d.value.name}" keeps data for ${setting}, shorter than the declared "${f.retention.value}"`,
                ),
        });
      }
    }
    return out;
  },
};
