// 委託しない ⇒ no 委託事項 (nor 委託件数); 委託する ⇒ at least one 委託事項. [V-seed]
import { pick } from '../../schema/lang.ts';
import { isBlank } from '../blank.ts';
import { filledButNotApplicable, prop, shortLabel } from '../helpers.ts';
import type { ConsistencyRule } from '../types.ts';

export const entrustItems: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: '委託の有無と委託事項の記載が合っているか (委託しない ⇒ 委託事項なし、委託する ⇒ 1 件以上)',
    en: 'Entrustment presence agrees with the entrusted items (none when not entrusted, at least one otherwise)',
  },
  check(ctx) {
    const out = filledButNotApplicable(ctx, 'entrust-items');
    for (const hit of ctx.applicability.hitsOf('entrust-none').required) {
      if (!isBlank(prop(hit.scopeValue, 'items'))) continue;
      const itemsPointer = `${hit.scope}/items`;
      out.push({
        path: itemsPointer,
        related: [{ path: hit.decidePointer }],
        message: pick(
          ctx.lang,
          `「${shortLabel(ctx.form, hit.decidePointer)}」が『${String(hit.value)}』ですが、「${shortLabel(ctx.form, itemsPointer)}」が 1 件もありません`,
          `"${shortLabel(ctx.form, hit.decidePointer)}" is "${String(hit.value)}" but there is no "${shortLabel(ctx.form, itemsPointer)}"`,
        ),
      });
    }
    return out;
  },
};
