import { groupDigits } from '../../report/number.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

export const accessLogRetained: ControlEvaluator = {
  id: 'access-log-retained',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const log = system.value.accessLog;
    const days = Number(params.days);
    if (!log) v.lack(ctx.t('アクセスログの設定 (accessLog)', 'accessLog'));
    else if (!log.enabled)
      v.fail(ctx.t('操作ログを取得していません', 'access logging is disabled'), [
        `${system.pointer}/accessLog/enabled`,
      ]);
    else if (log.retentionDays === undefined)
      v.lack(ctx.t('ログの保存日数 (accessLog.retentionDays)', 'accessLog.retentionDays'));
    else if (log.retentionDays < days) {
      v.fail(
        ctx.t(
          `操作ログの保存日数が ${groupDigits(log.retentionDays)} 日で、${groupDigits(days)} 日に足りません`,
          `logs are kept ${groupDigits(log.retentionDays)} days, less than ${groupDigits(days)}`,
        ),
        [`${system.pointer}/accessLog/retentionDays`],
      );
    } else v.ok();
    return v.result(ctx);
  },
};
