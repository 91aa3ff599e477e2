// A control id in the 評価書 that the catalog does not know (a typo, or a control from a newer catalog).
// The binding is machine metadata, not a printed item of the form: correcting it is a 修正.
import { suggestNearest } from '../../schema/suggest.ts';
import { evaluateBindings } from '../bindings.ts';
import type { CheckRule, RuleFinding } from '../context.ts';

export const unknownControl: CheckRule = {
  id: 'unknown-control',
  severity: 'error',
  title: { ja: 'カタログにないコントロール ID', en: 'Control id not in the catalog' },
  run(ctx) {
    const out: RuleFinding[] = [];
    const ids = ctx.catalog.controls.map((c) => c.id);
    for (const b of evaluateBindings(ctx)) {
      if (b.kind !== 'unknown-control') continue;
      const guess = suggestNearest(b.control.id, ids);
      out.push({
        path: `${b.control.pointer}/id`,
        consequence: '修正',
        message: ctx.t(
          `コントロール ID「${b.control.id}」はカタログにありません。${guess ? `もしかして「${guess}」ですか? ` : ''}使用できる ID: ${ids.join(', ')}`,
          `Control id "${b.control.id}" is not in the catalog.${guess ? ` Did you mean "${guess}"?` : ''} Known ids: ${ids.join(', ')}`,
        ),
      });
    }
    return out;
  },
};
