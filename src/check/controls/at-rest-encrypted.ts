import { summarize } from '../context.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

export const atRestEncrypted: ControlEvaluator = {
  id: 'at-rest-encrypted',
  evaluate({ system, stores }, _params, ctx) {
    const v = new Verdict();
    const atRest = system.value.encryption?.atRest;
    if (atRest === false)
      v.fail(ctx.t('保存データの暗号化が無効です', 'encryption at rest is off'), [
        `${system.pointer}/encryption/atRest`,
      ]);
    else if (atRest === true) v.ok();
    const bad = stores.filter((d) => d.value.encryptedAtRest === false);
    if (bad.length) {
      v.fail(
        ctx.t(
          `暗号化されていないデータストアがあります (${summarize(
            ctx,
            bad.map((d) => d.value.name),
          )})`,
          `unencrypted data store(s): ${summarize(
            ctx,
            bad.map((d) => d.value.name),
          )}`,
        ),
        bad.map((d) => `${d.pointer}/encryptedAtRest`),
      );
    } else if (stores.some((d) => d.value.encryptedAtRest === true)) v.ok();
    if (atRest === undefined && !stores.some((d) => d.value.encryptedAtRest !== undefined)) {
      v.lack(ctx.t('保存データの暗号化 (encryption.atRest)', 'encryption.atRest'));
    }
    return v.result(ctx);
  },
};
