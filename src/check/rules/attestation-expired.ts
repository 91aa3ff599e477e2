// An attestation (確認記録) of a measure no snapshot can show, past its expiry at the snapshot's asOf: the
// measure is no longer evidenced until someone confirms it again.
import type { CheckRule, RuleFinding } from '../context.ts';
import { describeDateProblem } from '../../load/user-dates.ts';
import { isExpired } from '../dates.ts';

export const attestationExpired: CheckRule = {
  id: 'attestation-expired',
  severity: 'error',
  title: { ja: '措置の確認記録 (attestation) の有効期限切れ', en: 'Expired attestation of a measure' },
  run(ctx) {
    const out: RuleFinding[] = [];
    // The dates were read once, with the 評価書 (prepare.ts). A date that is not a real one in range
    // (9999-12-31 as "never", year 0, 2023-02-29) evidences nothing: the measure counts as unconfirmed, with
    // the reason instead of a comparison of strings.
    for (const { block: b, attestation: a, problems } of ctx.prepared.attestations) {
      for (const { key, value: v, problem } of problems) {
        const what = key === 'date' ? '確認日' : '有効期限';
        out.push({
          path: `${a.pointer}/${key}`,
          consequence: '違反',
          message: ctx.t(
            `措置${b.heading ? `「${b.heading}」` : ''}の確認記録: ${describeDateProblem(what, v, problem, 'ja', 'date')}`,
            `Attestation of the measure${b.heading ? ` "${b.heading}"` : ''}: ${describeDateProblem(key, v, problem, 'en', 'date')}`,
          ),
        });
      }
      if (problems.length || !a.expires || !isExpired(a.expires, ctx.asOfDay)) continue;
      out.push({
        path: `${a.pointer}/expires`,
        consequence: '違反',
        message: ctx.t(
          `措置${b.heading ? `「${b.heading}」` : ''}の確認記録 (${a.by ?? '確認者不明'}、${a.date ?? '日付不明'}、根拠: ${a.evidence ?? '記載なし'}) の有効期限 ${a.expires} が ${ctx.asOfDay} 時点で切れています。措置を確認し直してください`,
          `The attestation of the measure${b.heading ? ` "${b.heading}"` : ''} (${a.by ?? '?'}, ${a.date ?? '?'}) expired on ${a.expires} (as of ${ctx.asOfDay}); confirm the measure again`,
        ),
      });
    }
    return out;
  },
};
