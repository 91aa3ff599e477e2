import { Verdict, type ControlEvaluator } from './control.ts';

export const noInternetExposure: ControlEvaluator = {
  id: 'no-internet-exposure',
  evaluate({ system }, _params, ctx) {
    const v = new Verdict();
    const r = system.value.internetReachable;
    if (r === true)
      v.fail(ctx.t('インターネットから到達できます', 'reachable from the internet'), [
        `${system.pointer}/internetReachable`,
      ]);
    else if (r === false) v.ok();
    else v.lack(ctx.t('インターネットからの到達性 (internetReachable)', 'internetReachable'));
    return v.result(ctx);
  },
};
