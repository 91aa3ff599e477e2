// The incident register contradicts what the 評価書 says about 重大事故: 基礎 Ⅱ3 (特定個人情報, past year)
// or 重点 Ⅲ7② / 全項目 Ⅲ7 リスク1⑨ (個人情報, past three years).
import type { CheckRule, RuleFinding } from '../context.ts';
import { seriousIncidents } from '../counts.ts';

export const incidentUndeclared: CheckRule = {
  id: 'incident-undeclared',
  severity: 'error',
  title: { ja: '重大事故の発生が評価書の記載と異なる', en: 'A serious incident contradicts the assessment' },
  run(ctx) {
    const out: RuleFinding[] = [];
    const occurred = ctx.choices.incidentOccurred;
    const oneYear = ctx.declared.incident1y;
    if (oneYear && oneYear.value !== occurred) {
      const hits = seriousIncidents(ctx, 1, true);
      if (hits.length) {
        out.push({
          path: oneYear.pointer,
          related: hits.map((h) => h.pointer),
          consequence: ctx.consequenceOf(oneYear.pointer),
          message: ctx.t(
            `事故の記録に過去1年以内の特定個人情報に関する重大事故があります (${hits.map((h) => h.value.date).join('、')}) が、評価書は「${oneYear.value}」としています`,
            `The register has serious incident(s) involving specific personal information within a year (${hits.map((h) => h.value.date).join(', ')}), but the assessment says "${oneYear.value}"`,
          ),
        });
      }
    }
    const threeYears = seriousIncidents(ctx, 3, false);
    if (threeYears.length) {
      for (const f of ctx.declared.files) {
        const d = f.seriousIncident3y;
        if (!d || d.value === occurred) continue;
        out.push({
          path: d.pointer,
          related: threeYears.map((h) => h.pointer),
          consequence: ctx.consequenceOf(d.pointer),
          message: ctx.t(
            `事故の記録に過去3年以内の重大事故があります (${threeYears.map((h) => h.value.date).join('、')}) が、評価書は「${d.value}」としています`,
            `The register has serious incident(s) within three years (${threeYears.map((h) => h.value.date).join(', ')}), but the assessment says "${d.value}"`,
          ),
        });
      }
    }
    return out;
  },
};
