// A control bound to a declared measure whose snapshot facts contradict it: the system breaks what the
// 評価書 promises (違反: fix the system, not the document).
import { controlTitle } from '../catalog.ts';
import { evaluateBindings } from '../bindings.ts';
import { MAX_RELATED, type CheckRule, type RuleFinding } from '../context.ts';

export const controlViolated: CheckRule = {
  id: 'control-violated',
  severity: 'error',
  title: {
    ja: '評価書に記載した措置 (コントロール) にシステムが反している',
    en: 'The system contradicts a declared control',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const b of evaluateBindings(ctx)) {
      if (b.kind !== 'evaluated') continue;
      for (const { target, result } of b.results) {
        if (result.status !== 'fail') continue;
        out.push({
          path: b.control.pointer,
          related: result.pointers.slice(0, MAX_RELATED),
          consequence: '違反',
          message: ctx.t(
            `措置「${controlTitle(b.spec, ctx.lang)}」(${b.spec.id}) に反しています。システム「${target.system.value.name}」: ${result.details.join('。')}`,
            `Control "${controlTitle(b.spec, ctx.lang)}" (${b.spec.id}) is contradicted on "${target.system.value.name}": ${result.details.join('; ')}`,
          ),
        });
      }
    }
    return out;
  },
};
