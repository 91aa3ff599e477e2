// A bound control the snapshot cannot confirm: the facts it reads, or the system it names, are absent.
// Never a pass on missing evidence; a warning so that CI can require complete exports (--fail-on warning).
import { controlTitle } from '../catalog.ts';
import { evaluateBindings } from '../bindings.ts';
import type { CheckRule, RuleFinding } from '../context.ts';

export const controlUnverifiable: CheckRule = {
  id: 'control-unverifiable',
  severity: 'warning',
  title: {
    ja: '評価書に記載した措置 (コントロール) をライブ構成で確認できない',
    en: 'A declared control cannot be verified from the snapshot',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const b of evaluateBindings(ctx)) {
      if (b.kind === 'missing-system') {
        const title = controlTitle(b.spec, ctx.lang);
        out.push({
          path: b.control.pointer,
          related: ['/systems'],
          consequence: '情報',
          message: b.system
            ? ctx.t(
                `措置「${title}」(${b.spec.id}) の対象システム「${b.system}」がライブ構成にないため確認できません`,
                `Control "${title}" (${b.spec.id}): system "${b.system}" is not in the snapshot`,
              )
            : ctx.t(
                `措置「${title}」(${b.spec.id}) を確認するシステムがライブ構成にありません`,
                `Control "${title}" (${b.spec.id}): the snapshot has no systems`,
              ),
        });
        continue;
      }
      if (b.kind !== 'evaluated') continue;
      for (const { target, result } of b.results) {
        if (result.status !== 'unknown') continue;
        out.push({
          path: b.control.pointer,
          related: [target.system.pointer],
          consequence: '情報',
          message: ctx.t(
            `措置「${controlTitle(b.spec, ctx.lang)}」(${b.spec.id}) をシステム「${target.system.value.name}」で確認できません。ライブ構成に ${result.missing} がありません`,
            `Control "${controlTitle(b.spec, ctx.lang)}" (${b.spec.id}) cannot be verified on "${target.system.value.name}": the snapshot lacks ${result.missing}`,
          ),
        });
      }
    }
    return out;
  },
};
