import { groupDigits } from '../../report/number.ts';
import { toEpochMs } from '../dates.ts';
import { Verdict, type ControlEvaluator } from './control.ts';

export const backupRecent: ControlEvaluator = {
  id: 'backup-recent',
  evaluate({ system }, params, ctx) {
    const v = new Verdict();
    const hours = Number(params.hours);
    const last = system.value.backup?.lastSuccess;
    const ms = last ? toEpochMs(last) : undefined;
    if (ms === undefined)
      v.lack(ctx.t('最後にバックアップに成功した日時 (backup.lastSuccess)', 'backup.lastSuccess'));
    else {
      const age = Math.floor((ctx.asOfMs - ms) / 3_600_000);
      if (age > hours) {
        v.fail(
          ctx.t(
            `最後のバックアップ成功 (${last}) から ${groupDigits(age)} 時間経過しており、${groupDigits(hours)} 時間を超えています`,
            `last backup ${last} is ${groupDigits(age)} h old (limit ${groupDigits(hours)} h)`,
          ),
          [`${system.pointer}/backup/lastSuccess`],
        );
      } else v.ok();
    }
    return v.result(ctx);
  },
};
