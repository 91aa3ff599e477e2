// A provision or transfer configured in the live systems that the 評価書 does not declare (Ⅱ5 提供・移転,
// Ⅲ5 「提供・移転しない」, 基礎 Ⅳ5).
import type { CheckRule, RuleFinding } from '../context.ts';
import { mentions, sameName } from '../names.ts';
import { worstOf } from './entrustment.ts';

export const undeclaredProvision: CheckRule = {
  id: 'undeclared-provision',
  severity: 'error',
  title: { ja: '評価書に記載のない提供・移転がある', en: 'A provision or transfer is not declared' },
  run(ctx) {
    const out: RuleFinding[] = [];
    const { declared, choices } = ctx;
    (ctx.snapshot.provisions ?? []).forEach((p, i) => {
      const related = [`/provisions/${i}`];
      const what = ctx.t(
        `「${p.to}」への${p.kind}`,
        `${p.kind === '提供' ? 'provision' : 'transfer'} to "${p.to}"`,
      );
      if (declared.formId === 'kiso') {
        const flag = declared.kisoNotProvided;
        if (flag?.value !== true) return;
        out.push({
          path: flag.pointer,
          related,
          consequence: ctx.consequenceOf(flag.pointer),
          message: ctx.t(
            `${what}が設定されていますが、評価書は「提供・移転しない」としています`,
            `A ${what} is configured, but the assessment says none`,
          ),
        });
        return;
      }
      const f = ctx.fileOf(p.file);
      if (!f) return;
      const kind = p.kind === '提供' ? 'provisions' : 'transfers';
      const presenceChoice = p.kind === '提供' ? choices.provisionYes : choices.transferYes;
      const presence = f.provisionPresence;
      const saysYes = presence?.value.some((c) => c.choice === presenceChoice) ?? false;
      const listed = f.provisionDestinations.some(
        (d) => d.kind === kind && (sameName(d.name, p.to) || mentions(d.name, p.to)),
      );
      if (saysYes && listed) return;
      if (!presence && f.notProvided?.value !== true) return; // the 評価書 states nothing about Ⅱ5 (seed gap)
      const touched = [
        ...(presence && !saysYes ? [{ pointer: presence.pointer }] : []),
        ...(saysYes ? [{ pointer: `${f.pointer}/provision/${kind}`, block: true }] : []),
        ...(f.notProvided?.value === true ? [{ pointer: f.notProvided.pointer }] : []),
      ];
      out.push({
        path: touched[0].pointer,
        related,
        consequence: worstOf(ctx, touched),
        message: saysYes
          ? ctx.t(
              `${what}が設定されていますが、評価書の${p.kind}先に記載がありません`,
              `A ${what} is configured but not listed among the destinations`,
            )
          : ctx.t(
              `${what}が設定されていますが、評価書は${p.kind}を行っていないとしています`,
              `A ${what} is configured, but the assessment declares none`,
            ),
      });
    });
    return out;
  },
};
