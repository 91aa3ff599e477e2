import { groupDigits } from '../../report/number.ts';
import { summarize } from '../context.ts';
import { enabledAccounts, Verdict, type ControlEvaluator } from './control.ts';

export const mfaRequired: ControlEvaluator = {
  id: 'mfa-required',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const onlyNumber = params.scope === 'individual-number';
    const s = system.value;
    if (s.accounts) {
      const bad = enabledAccounts(system, (a) => (!onlyNumber || a.canSeeIndividualNumber) && !a.mfa);
      if (bad.length) {
        v.fail(
          ctx.t(
            `二要素認証のない有効なアカウントが ${groupDigits(bad.length)} 件あります (${summarize(
              ctx,
              bad.map(({ a }) => a.id),
            )})`,
            `${groupDigits(bad.length)} enabled account(s) without MFA (${summarize(
              ctx,
              bad.map(({ a }) => a.id),
            )})`,
          ),
          bad.map(({ pointer }) => `${pointer}/mfa`),
        );
      } else v.ok();
    } else if (s.accountCounts?.enabledWithoutMfa !== undefined) {
      const n = s.accountCounts.enabledWithoutMfa;
      if (n === 0) v.ok();
      else if (onlyNumber)
        v.lack(
          ctx.t(
            '個人番号を参照できるアカウントごとの二要素認証の有無 (accounts)',
            'per-account MFA of accounts that see numbers (accounts)',
          ),
        );
      else
        v.fail(
          ctx.t(`二要素認証のない有効なアカウントが ${groupDigits(n)} 件あります`, `${groupDigits(n)} enabled account(s) without MFA`),
          [`${system.pointer}/accountCounts/enabledWithoutMfa`],
        );
    } else
      v.lack(
        ctx.t(
          'アカウントの一覧 (accounts) または集計 (accountCounts.enabledWithoutMfa)',
          'accounts or accountCounts.enabledWithoutMfa',
        ),
      );
    return v.result(ctx);
  },
};
