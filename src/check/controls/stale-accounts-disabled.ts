import { groupDigits } from '../../report/number.ts';
import { summarize, type At } from '../context.ts';
import { daysBetween, DAY_MS, jstDay, toEpochMs } from '../dates.ts';
import { isFullDate } from '../full-date.ts';
import type { SnapshotAccount, SnapshotSystem } from '../snapshot-types.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

type Flagged = { a: SnapshotAccount; pointer: string }[];

/**
 * Enabled accounts idle for `days` days or more, and those still enabled on or after their transfer date,
 * in one pass over the accounts without a closure per account (this was the largest control of the API's
 * check: 180 accounts, ~5 % of a check's CPU). ISO dates and date-times compare as strings only within one
 * form, so a lastLogin is compared as an instant; a plain date (what exports write) is idle exactly when it
 * is on or before the JST day of asOf − days, so it is compared as a string with that day instead of being
 * parsed; date-times are parsed, each distinct one once.
 */
function staleAndTransferred(
  system: At<SnapshotSystem>,
  days: number,
  asOfMs: number,
  asOfDay: string,
): { stale: Flagged; transferred: Flagged } {
  const stale: Flagged = [];
  const transferred: Flagged = [];
  // floor((asOf − t) / day) ≥ days ⟺ t ≤ asOf − days × day (days an integer); the start of a plain date's
  // JST day is ≤ that instant ⟺ the date is ≤ the instant's JST day. Outside 4-digit years the day does not
  // compare as a string: every date takes the general path then.
  const cutoffDay = Number.isInteger(days) ? jstDay(asOfMs - days * DAY_MS) : '';
  const byDay = cutoffDay.length === 10 && cutoffDay >= '1000';
  let parsed: Map<string, number | undefined> | undefined;
  const list = system.value.accounts ?? [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (a.disabled === true) continue;
    const last = a.lastLogin;
    if (last) {
      let isStale: boolean;
      // toEpochMs reads a plain date of a year ≥ 1000 as the start of that JST day (see dates.ts).
      if (byDay && last.length === 10 && isFullDate(last) && last >= '1000') isStale = last <= cutoffDay;
      else {
        parsed ??= new Map();
        let ms = parsed.get(last);
        if (!parsed.has(last)) parsed.set(last, (ms = toEpochMs(last)));
        isStale = ms !== undefined && daysBetween(ms, asOfMs) >= days;
      }
      if (isStale) stale.push({ a, pointer: `${system.pointer}/accounts/${i}` });
    }
    if (a.transferDate !== undefined && a.transferDate <= asOfDay)
      transferred.push({ a, pointer: `${system.pointer}/accounts/${i}` });
  }
  return { stale, transferred };
}

export const staleAccountsDisabled: ControlEvaluator = {
  id: 'stale-accounts-disabled',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const days = Number(params.days);
    const s = system.value;
    if (s.accounts) {
      const { stale, transferred } = staleAndTransferred(system, days, ctx.asOfMs, ctx.asOfDay);
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
