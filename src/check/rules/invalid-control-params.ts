// Parameters of a bound control that the catalog does not accept (unknown name, wrong type, out of range).
import { controlTitle } from '../catalog.ts';
import { evaluateBindings } from '../bindings.ts';
import type { CheckRule, RuleFinding } from '../context.ts';

export const invalidControlParams: CheckRule = {
  id: 'invalid-control-params',
  severity: 'error',
  title: { ja: 'コントロールのパラメータが正しくない', en: 'Invalid control parameters' },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const b of evaluateBindings(ctx)) {
      if (b.kind !== 'invalid-params') continue;
      out.push({
        path: `${b.control.pointer}/params`,
        consequence: '修正',
        message: ctx.t(
          `措置「${controlTitle(b.spec, ctx.lang)}」(${b.spec.id}) のパラメータが正しくありません: ${b.problems.join('。')}`,
          `Invalid parameters for control ${b.spec.id}: ${b.problems.join('; ')}`,
        ),
      });
    }
    return out;
  },
};
