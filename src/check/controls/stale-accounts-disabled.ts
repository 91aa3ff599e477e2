import { groupDigits } from '../../report/number.ts';
import { summarize } from '../context.ts';
import { daysBetween, toEpochMs } from '../dates.ts';
import { enabledAccounts, Verdict, type ControlEvaluator } from './control.ts';

export const staleAccountsDisabled: ControlEvaluator = {
  id: 'stale-accounts-disabled',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const days = Number(params.days);
    const s = system.value;
    if (s.accounts) {
      // ISO dates and date-times compare as strings only within one form; compare instants, but parse each
      // distinct lastLogin once (exports repeat the same few days across 10,000s of accounts).
      const parsed = new Map<string, number | undefined>();
      const stale = enabledAccounts(system, (a) => {
        if (!a.lastLogin) return false;
        let ms = parsed.get(a.lastLogin);
        if (!parsed.has(a.lastLogin)) parsed.set(a.lastLogin, (ms = toEpochMs(a.lastLogin)));
        return ms !== undefined && daysBetween(ms, ctx.asOfMs) >= days;
      });
      const transferred = enabledAccounts(
        system,
        (a) => a.transferDate !== undefined && a.transferDate <= ctx.asOfDay,
      );
      if (stale.length) {
        v.fail(
          ctx.t(
            `${groupDigits(days)} 日以上ログインのない有効なアカウントが ${groupDigits(stale.length)} 件あります (${summarize(
              ctx,
              stale.map(({ a }) => a.id),
            )})`,
            `${groupDigits(stale.length)} enabled account(s) unused for ${groupDigits(days)}+ days (${summarize(
              ctx,
              stale.map(({ a }) => a.id),
            )})`,
          ),
          stale.map(({ pointer }) => `${pointer}/lastLogin`),
        );
      }
      if (transferred.length) {
        v.fail(
          ctx.t(
            `異動・退職日を過ぎても有効なアカウントが ${groupDigits(transferred.length)} 件あります (${summarize(
              ctx,
              transferred.map(({ a }) => `${a.id} (${a.transferDate})`),
            )})`,
            `${groupDigits(transferred.length)} account(s) still enabled after transfer (${summarize(
              ctx,
              transferred.map(({ a }) => a.id),
            )})`,
          ),
          transferred.map(({ pointer }) => `${pointer}/transferDate`),
        );
      }
      if (!stale.length && !transferred.length) v.ok();
      return v.result(ctx);
    }
    const counts = s.accountCounts;
    if (!counts)
      return v
        .lack(ctx.t('アカウントの一覧 (accounts) または集計 (accountCounts)', 'accounts or accountCounts'))
        .result(ctx);
    if (counts.enabledAfterTransfer !== undefined) {
      if (counts.enabledAfterTransfer > 0) {
        v.fail(
          ctx.t(
            `異動・退職日を過ぎても有効なアカウントが ${groupDigits(counts.enabledAfterTransfer)} 件あります`,
            `${groupDigits(counts.enabledAfterTransfer)} account(s) still enabled after transfer`,
          ),
          [`${system.pointer}/accountCounts/enabledAfterTransfer`],
        );
      } else v.ok();
    }
    const st = counts.staleEnabled;
    // Counts for another idle period bound ours only one way: none idle ≥ 60 days ⇒ none idle ≥ 90 days,
    // and some idle ≥ 120 days ⇒ some idle ≥ 90 days. The other two cases cannot be decided.
    if (st && ((st.count === 0 && st.days <= days) || (st.count > 0 && st.days >= days))) {
      if (st.count > 0) {
        v.fail(
          ctx.t(
            `${groupDigits(st.days)} 日以上ログインのない有効なアカウントが ${groupDigits(st.count)} 件あります`,
            `${groupDigits(st.count)} enabled account(s) unused for ${groupDigits(st.days)}+ days`,
          ),
          [`${system.pointer}/accountCounts/staleEnabled`],
        );
      } else v.ok();
    } else {
      v.lack(
        ctx.t(
          `${groupDigits(days)} 日以上ログインのない有効なアカウントの数 (accountCounts.staleEnabled)`,
          `accountCounts.staleEnabled for ${groupDigits(days)} days`,
        ),
      );
    }
    return v.result(ctx);
  },
};
