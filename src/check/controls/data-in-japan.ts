import { Verdict, type ControlEvaluator } from './control.ts';

const JAPAN = 'JP';

export const dataInJapan: ControlEvaluator = {
  id: 'data-in-japan',
  evaluate({ system, stores }, _params, ctx) {
    const v = new Verdict();
    const places: { what: string; country: string | undefined; pointer: string }[] = [
      {
        what: ctx.t('システム', 'system'),
        country: system.value.location?.country,
        pointer: `${system.pointer}/location/country`,
      },
      ...(system.value.backup?.location
        ? [
            {
              what: ctx.t('バックアップ', 'backup'),
              country: system.value.backup.location.country,
              pointer: `${system.pointer}/backup/location/country`,
            },
          ]
        : []),
      ...stores
        .filter((d) => d.value.location)
        .map((d) => ({
          what: ctx.t(`データストア ${d.value.name}`, `data store ${d.value.name}`),
          country: d.value.location?.country,
          pointer: `${d.pointer}/location/country`,
        })),
    ];
    const known = places.filter((p) => p.country !== undefined);
    const abroad = known.filter((p) => p.country !== JAPAN);
    if (abroad.length) {
      v.fail(
        ctx.t(
          `国外に置かれています (${abroad.map((p) => `${p.what}: ${p.country}`).join('、')})`,
          `located outside Japan (${abroad.map((p) => `${p.what}: ${p.country}`).join(', ')})`,
        ),
        abroad.map((p) => p.pointer),
      );
    } else if (system.value.location) v.ok();
    if (!system.value.location) v.lack(ctx.t('システムの所在地 (location.country)', 'location.country'));
    return v.result(ctx);
  },
};
