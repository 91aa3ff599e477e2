import { summarize } from '../context.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

export const transportEncrypted: ControlEvaluator = {
  id: 'transport-encrypted',
  evaluate({ system }, _params, ctx) {
    const v = new Verdict();
    const s = system.value;
    if (s.connections) {
      const bad = s.connections.map((c, i) => ({ c, i })).filter(({ c }) => !c.encrypted);
      if (bad.length) {
        v.fail(
          ctx.t(
            `暗号化されていない接続があります (${summarize(
              ctx,
              bad.map(({ c }) => `${c.to}${c.protocol ? ` ${c.protocol}` : ''}`),
            )})`,
            `unencrypted connection(s): ${summarize(
              ctx,
              bad.map(({ c }) => c.to),
            )}`,
          ),
          bad.map(({ i }) => `${system.pointer}/connections/${i}/encrypted`),
        );
      } else v.ok();
    }
    if (s.encryption?.inTransit === false) {
      v.fail(ctx.t('通信の暗号化が無効です', 'encryption in transit is off'), [
        `${system.pointer}/encryption/inTransit`,
      ]);
    } else if (s.encryption?.inTransit === true) v.ok();
    if (!s.connections && s.encryption?.inTransit === undefined) {
      v.lack(
        ctx.t(
          '接続 (connections) または通信の暗号化 (encryption.inTransit)',
          'connections or encryption.inTransit',
        ),
      );
    }
    return v.result(ctx);
  },
};
