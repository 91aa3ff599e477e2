// A live connection the 評価書 does not declare for that system (「③他のシステムとの接続」).
import type { CheckRule, RuleFinding } from '../context.ts';
import { covers, liveConnectionKey } from './connections.ts';

export const undeclaredConnection: CheckRule = {
  id: 'undeclared-connection',
  severity: 'error',
  title: {
    ja: '評価書に記載のない他のシステムとの接続がある',
    en: 'A connection is not declared in the assessment',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const s of ctx.systems) {
      const d = ctx.findDeclaredSystem(s.value);
      // A system whose connections the 評価書 does not state (a seed's missing page) cannot be compared.
      if (!d || !d.connectionsStated) continue;
      const matchers = ctx.index.connectionMatchers.get(d) ?? [];
      const live = s.value.connections ?? [];
      for (let i = 0; i < live.length; i++) {
        const c = live[i];
        const key = liveConnectionKey(c);
        if (matchers.some((m) => covers(m, c, key))) continue;
        out.push({
          path: d.connectionsPointer,
          related: [`${s.pointer}/connections/${i}`],
          consequence: ctx.consequenceOf(d.connectionsPointer),
          message: ctx.t(
            `システム「${d.shortName}」から「${c.to}」への接続${c.protocol ? ` (${c.protocol})` : ''}がありますが、評価書の他のシステムとの接続に記載がありません`,
            `System "${d.shortName}" connects to "${c.to}"${c.protocol ? ` (${c.protocol})` : ''}, which the assessment does not declare`,
          ),
        });
      }
    }
    return out;
  },
};
