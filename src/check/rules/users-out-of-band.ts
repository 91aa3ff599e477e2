// 使用者数 (Ⅱ3 使用の主体) against the enabled staff accounts of the systems holding the file.
import { groupDigits } from '../../report/number.ts';
import { bandOf } from '../bands.ts';
import type { CheckRule, RuleFinding } from '../context.ts';
import { fileUsers } from '../counts.ts';

export const usersOutOfBand: CheckRule = {
  id: 'users-out-of-band',
  severity: 'error',
  title: { ja: '使用者数が記載の区分を外れている', en: 'Users outside the declared band' },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const f of ctx.declared.files) {
      if (!f.userCount) continue;
      const c = fileUsers(ctx, f);
      if (!c) continue;
      const observed = bandOf(ctx.choices.staffCount, c.value);
      if (observed === f.userCount.value) continue;
      out.push({
        path: f.userCount.pointer,
        related: c.from,
        consequence: ctx.consequenceOf(f.userCount.pointer),
        message: ctx.t(
          `特定個人情報ファイル「${f.name ?? f.index + 1}」を保持するシステムの有効な職員アカウントは ${groupDigits(c.value)} 件 (「${observed}」) で、評価書の使用者数「${f.userCount.value}」と異なります`,
          `The systems holding "${f.name ?? f.index + 1}" have ${groupDigits(c.value)} enabled staff accounts ("${observed}"), not the declared "${f.userCount.value}"`,
        ),
      });
    }
    return out;
  },
};
