import { groupDigits } from '../../report/number.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

export const passwordPolicy: ControlEvaluator = {
  id: 'password-policy',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const p = system.value.passwordPolicy;
    const minLength = Number(params.minLength);
    const lockout = Number(params.lockoutThreshold);
    if (!p) return v.lack(ctx.t('パスワードポリシー (passwordPolicy)', 'passwordPolicy')).result(ctx);
    if (p.minLength === undefined)
      v.lack(ctx.t('最小文字数 (passwordPolicy.minLength)', 'passwordPolicy.minLength'));
    else if (p.minLength < minLength) {
      v.fail(
        ctx.t(
          `パスワードの最小文字数が ${groupDigits(p.minLength)} 文字で、${groupDigits(minLength)} 文字に足りません`,
          `minimum password length ${groupDigits(p.minLength)} < ${groupDigits(minLength)}`,
        ),
        [`${system.pointer}/passwordPolicy/minLength`],
      );
    } else v.ok();
    if (p.lockoutThreshold === undefined)
      v.lack(
        ctx.t(
          'ロックアウトまでの失敗回数 (passwordPolicy.lockoutThreshold)',
          'passwordPolicy.lockoutThreshold',
        ),
      );
    else if (p.lockoutThreshold > lockout) {
      v.fail(
        ctx.t(
          `ロックアウトまでの失敗回数が ${groupDigits(p.lockoutThreshold)} 回で、${groupDigits(lockout)} 回を超えています`,
          `lockout after ${groupDigits(p.lockoutThreshold)} failures (limit ${groupDigits(lockout)})`,
        ),
        [`${system.pointer}/passwordPolicy/lockoutThreshold`],
      );
    } else v.ok();
    return v.result(ctx);
  },
};
