// 提供・移転: Ⅱ5 「行っていない」 ⇒ no 提供先/移転先; Ⅲ5 「提供・移転しない」 ⇒ Ⅲ5 body blank; and Ⅱ5 and
// Ⅲ5 of the same file agree. [M] (Ⅱ5 is missing from both seeds)
import { pick } from '../../schema/lang.ts';
import { arrayAt, at, filledButNotApplicable, fullLabel, shortLabel } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

export const provisionBlank: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '提供・移転を行わない場合に提供先・移転先や Ⅲ5 のリスク対策が空欄で、Ⅱ5 と Ⅲ5 が合っているか',
    en: 'No destinations or Ⅲ5 measures when nothing is provided or transferred, and Ⅱ5 agrees with Ⅲ5',
  },
  check(ctx) {
    const out: Finding[] = filledButNotApplicable(ctx, 'provision-blank');
    const files = arrayAt(ctx.doc, '/files');
    const prov = ctx.applicability.hitsOf('provision-none');
    const trans = ctx.applicability.hitsOf('transfer-none');
    for (let i = 0; i < files.length; i++) {
      const scope = `/files/${i}/provision`;
      const flagPointer = `/risks/${i}/provision/notProvided`;
      if (at(ctx.doc, `/risks/${i}`) === undefined) continue;
      const flag = at(ctx.doc, flagPointer) === true;
      const doing = [...prov.required, ...trans.required].filter((h) => h.scope === scope);
      const notDoing = [...prov.notApplicable, ...trans.notApplicable].filter((h) => h.scope === scope);
      const presencePointer = `${scope}/presence`;
      if (flag && doing.length > 0) {
        out.push({
          path: flagPointer,
          related: [{ path: presencePointer }],
          message: pick(
            ctx.lang,
            `「${fullLabel(ctx.form, presencePointer)}」で提供・移転を行っているのに、「${shortLabel(ctx.form, flagPointer)}」にチェックがあります`,
            `"${fullLabel(ctx.form, presencePointer)}" records provision or transfer, but "${shortLabel(ctx.form, flagPointer)}" is checked`,
          ),
        });
      } else if (!flag && doing.length === 0 && notDoing.length === 2) {
        out.push({
          path: flagPointer,
          severity: 'warning',
          related: [{ path: presencePointer }],
          message: pick(
            ctx.lang,
            `「${fullLabel(ctx.form, presencePointer)}」で提供・移転を行っていないため、「${shortLabel(ctx.form, flagPointer)}」にチェックするのが適切です`,
            `Nothing is provided or transferred, so "${shortLabel(ctx.form, flagPointer)}" should be checked`,
          ),
        });
      }
    }
    return out;
  },
};
