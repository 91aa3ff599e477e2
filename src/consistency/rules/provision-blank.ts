// 提供・移転: Ⅱ5 「行っていない」 ⇒ no 提供先/移転先; Ⅲ5 「提供・移転しない」 ⇒ Ⅲ5 body blank; and Ⅱ5 and
// Ⅲ5 of the same file agree. [M] (Ⅱ5 is missing from both seeds)
import { pick } from '../../schema/lang.ts';
import { entry, filledButNotApplicable, fullLabel, listOf, prop, shortLabel } from '../helpers.ts';
import type { ApplicabilityHit } from '../applicable.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

function countOfFile(hits: readonly ApplicabilityHit[], file: number): number {
  let n = 0;
  for (const h of hits) if (h.indices[0] === file) n++;
  return n;
}

export const provisionBlank: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku', 'kiso'],
  description: {
    ja: '提供・移転を行わない場合に提供先・移転先や Ⅲ5 のリスク対策が空欄で、Ⅱ5 と Ⅲ5 が合っているか',
    en: 'No destinations or Ⅲ5 measures when nothing is provided or transferred, and Ⅱ5 agrees with Ⅲ5',
  },
  check(ctx) {
    const out: Finding[] = filledButNotApplicable(ctx, 'provision-blank');
    const prov = ctx.applicability.hitsOf('provision-none');
    const trans = ctx.applicability.hitsOf('transfer-none');
    // Both findings below need a 提供・移転 Ⅱ5 that decides something.
    if (
      prov.required.length +
        trans.required.length +
        prov.notApplicable.length +
        trans.notApplicable.length ===
      0
    )
      return out;
    const files = listOf(ctx.doc, 'files');
    const risks = prop(ctx.doc, 'risks');
    for (let i = 0; i < files.length; i++) {
      const risk = entry(risks, i);
      if (risk === undefined) continue;
      const flag = prop(prop(risk, 'provision'), 'notProvided') === true;
      // The rows' scope is /files/*/provision: a hit of file i has indices [i].
      const doing = countOfFile(prov.required, i) + countOfFile(trans.required, i);
      const notDoing = countOfFile(prov.notApplicable, i) + countOfFile(trans.notApplicable, i);
      if (!(flag && doing > 0) && !(!flag && doing === 0 && notDoing === 2)) continue;
      const scope = `/files/${i}/provision`;
      const flagPointer = `/risks/${i}/provision/notProvided`;
      const presencePointer = `${scope}/presence`;
      if (flag && doing > 0) {
        out.push({
          path: flagPointer,
          related: [{ path: presencePointer }],
          message: pick(
            ctx.lang,
            `「${fullLabel(ctx.form, presencePointer)}」で提供・移転を行っているのに、「${shortLabel(ctx.form, flagPointer)}」にチェックがあります`,
            `"${fullLabel(ctx.form, presencePointer)}" records provision or transfer, but "${shortLabel(ctx.form, flagPointer)}" is checked`,
          ),
        });
      } else {
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
