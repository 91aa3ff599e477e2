// Ⅲ4 「再委託先による特定個人情報ファイルの適切な取扱いの確保」 agrees with the 委託事項 of the same file:
// 再委託しない everywhere ⇒ 『再委託していない』 (warning); 再委託する somewhere ⇒ not 『再委託していない』
// (error); 『再委託していない』 ⇒ 具体的な方法 blank. [I] (pia-domain.md §3.4)
import { pick } from '../../schema/lang.ts';
import { APPLICABILITY } from '../applicability.ts';
import { entry, filledButNotApplicable, listOf, prop, shortLabel } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

const NOT_SUBCONTRACTING = (() => {
  const c = APPLICABILITY.find((r) => r.id === 'subcontract-assurance-none')?.notApplicable;
  return c && 'equals' in c ? c.equals : undefined;
})();

export const subcontractAssurance: ConsistencyRule = {
  severity: 'warning',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: 'Ⅲ4 再委託先による適切な取扱いの確保が、Ⅱ4 の再委託の有無と合っているか',
    en: 'Ⅲ4 subcontractor assurance agrees with the subcontracting of the entrusted items',
  },
  check(ctx) {
    const out: Finding[] = filledButNotApplicable(ctx, 'subcontract-assurance');
    const sub = ctx.applicability.hitsOf('subcontract-none');
    // Both findings below need a 再委託の有無 that decides something.
    if (sub.notApplicable.length === 0 && sub.required.length === 0) return out;
    const files = listOf(ctx.doc, 'files');
    const risks = prop(ctx.doc, 'risks');
    for (let i = 0; i < files.length; i++) {
      const assurance = prop(prop(prop(entry(risks, i), 'entrustment'), 'risk'), 'subcontractAssurance');
      if (typeof assurance !== 'string') continue;
      const assurancePointer = `/risks/${i}/entrustment/risk/subcontractAssurance`;
      if (ctx.applicability.isNotApplicable(assurancePointer)) continue;
      // The row's scope is /files/*/entrustment/items/*/subcontract: hits of file i have indices [i, …].
      const none = sub.notApplicable.filter((h) => h.indices[0] === i);
      const some = sub.required.filter((h) => h.indices[0] === i);
      if (some.length > 0 && assurance === NOT_SUBCONTRACTING) {
        out.push({
          path: assurancePointer,
          severity: 'error',
          related: some.map((h) => ({ path: h.decidePointer })),
          message: pick(
            ctx.lang,
            `「${shortLabel(ctx.form, some[0].decidePointer)}」が『${String(some[0].value)}』の委託事項があるのに、『${assurance}』が選ばれています`,
            `An entrusted item is "${String(some[0].value)}" but "${assurance}" is chosen`,
          ),
        });
      } else if (
        some.length === 0 &&
        none.length > 0 &&
        NOT_SUBCONTRACTING &&
        assurance !== NOT_SUBCONTRACTING
      ) {
        out.push({
          path: assurancePointer,
          related: none.map((h) => ({ path: h.decidePointer })),
          message: pick(
            ctx.lang,
            `すべての委託事項で「${shortLabel(ctx.form, none[0].decidePointer)}」が『${String(none[0].value)}』のため、『${NOT_SUBCONTRACTING}』を選ぶのが適切です (『${assurance}』が選ばれています)`,
            `No entrusted item is subcontracted, so "${NOT_SUBCONTRACTING}" is expected (found "${assurance}")`,
          ),
        });
      }
    }
    return out;
  },
};
