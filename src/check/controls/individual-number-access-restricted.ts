import { groupDigits } from '../../report/number.ts';
import { mentions, normalizeName, sameName } from '../names.ts';
import { summarize } from '../context.ts';
import type { SnapshotAccount } from '../snapshot-types.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

export const individualNumberAccessRestricted: ControlEvaluator = {
  id: 'individual-number-access-restricted',
  evaluate({ system, file }, params, ctx) {
    const v = new Verdict();
    const s = system.value;
    const listed =
      typeof params.departments === 'string'
        ? params.departments
            .split(/[、,，]/)
            .map((d) => d.trim())
            .filter(Boolean)
        : undefined;
    // Without a list in the binding, the 評価書's own 使用部署 is the allowed set.
    const declaredDepartments = file?.departments?.value;
    // 10,000s of accounts share a handful of departments and contractors: decide each name once.
    const allowedDepartments = new Map<string, boolean>();
    const allowed = (dept: string | undefined): boolean => {
      if (!dept) return false;
      let ok = allowedDepartments.get(dept);
      if (ok === undefined) {
        ok = listed
          ? listed.some(
              (d) => normalizeName(d) === normalizeName(dept) || mentions(d, dept) || mentions(dept, d),
            )
          : mentions(declaredDepartments, dept);
        allowedDepartments.set(dept, ok);
      }
      return ok;
    };
    const contractors = ctx.index.contractorNames;
    const declaredContractors = new Map<string, boolean>();
    const isDeclaredContractor = (name: string): boolean => {
      let ok = declaredContractors.get(name);
      if (ok === undefined) declaredContractors.set(name, (ok = contractors.some((c) => sameName(c, name))));
      return ok;
    };
    const max = typeof params.maxAccounts === 'number' ? params.maxAccounts : undefined;

    if (s.accounts) {
      // One pass for both the count and the accounts outside the declared set (a core system has 10,000s).
      const check = Boolean(listed || declaredDepartments);
      const bad: { a: SnapshotAccount; pointer: string }[] = [];
      let seeing = 0;
      const list = s.accounts;
      for (let i = 0; i < list.length; i++) {
        const a = list[i];
        if (a.disabled === true || !a.canSeeIndividualNumber) continue;
        seeing++;
        if (check && (a.contractor ? !isDeclaredContractor(a.contractor) : !allowed(a.department)))
          bad.push({ a, pointer: `${system.pointer}/accounts/${i}` });
      }
      if (check) {
        if (bad.length) {
          v.fail(
            ctx.t(
              `使用部署・委託先以外で個人番号を参照できる有効なアカウントが ${groupDigits(bad.length)} 件あります (${summarize(
                ctx,
                bad.map(
                  ({ a }) =>
                    `${a.id}${a.department ? ` [${a.department}]` : a.contractor ? ` [${a.contractor}]` : ''}`,
                ),
              )})`,
              `${groupDigits(bad.length)} enabled account(s) outside the declared departments/contractors can see individual numbers (${summarize(
                ctx,
                bad.map(({ a }) => a.id),
              )})`,
            ),
            bad.map(({ pointer }) => `${pointer}/canSeeIndividualNumber`),
          );
        } else v.ok();
      }
      if (max !== undefined) {
        if (seeing > max) {
          v.fail(
            ctx.t(
              `個人番号を参照できる有効なアカウントが ${groupDigits(seeing)} 件あり、上限 ${groupDigits(max)} 件を超えています`,
              `${groupDigits(seeing)} enabled accounts can see individual numbers (limit ${groupDigits(max)})`,
            ),
            [`${system.pointer}/accounts`],
          );
        } else v.ok();
      }
      if (!listed && !declaredDepartments && max === undefined) {
        v.lack(
          ctx.t(
            '評価書の使用部署、またはパラメータ departments / maxAccounts',
            'the declared using departments, or params departments / maxAccounts',
          ),
        );
      }
    } else if (s.accountCounts?.canSeeIndividualNumber !== undefined && max !== undefined) {
      const n = s.accountCounts.canSeeIndividualNumber;
      if (n > max) {
        v.fail(
          ctx.t(
            `個人番号を参照できる有効なアカウントが ${groupDigits(n)} 件あり、上限 ${groupDigits(max)} 件を超えています`,
            `${groupDigits(n)} enabled accounts can see individual numbers (limit ${groupDigits(max)})`,
          ),
          [`${system.pointer}/accountCounts/canSeeIndividualNumber`],
        );
      } else v.ok();
    } else v.lack(ctx.t('アカウントの一覧 (accounts)', 'accounts'));
    return v.result(ctx);
  },
};
