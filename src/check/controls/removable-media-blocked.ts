import { Verdict, type ControlEvaluator } from './control.ts';

export const removableMediaBlocked: ControlEvaluator = {
  id: 'removable-media-blocked',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const m = system.value.removableMedia;
    const pointer = `${system.pointer}/removableMedia`;
    if (m === undefined) v.lack(ctx.t('電子記録媒体の利用設定 (removableMedia)', 'removableMedia'));
    else if (m === 'allowed')
      v.fail(ctx.t('電子記録媒体の利用が制限されていません', 'removable media are not restricted'), [
        pointer,
      ]);
    else if (m === 'registered-only' && params.allowRegistered !== true) {
      v.fail(
        ctx.t(
          '電子記録媒体が登録済み媒体に限って許可されています (禁止を宣言しています)',
          'registered removable media are allowed (declared: blocked)',
        ),
        [pointer],
      );
    } else v.ok();
    return v.result(ctx);
  },
};
