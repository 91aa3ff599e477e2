// A connection the 評価書 declares that the live system no longer has.
import type { CheckRule, RuleFinding } from '../context.ts';
import { covers, liveConnectionKey } from './connections.ts';

export const declaredConnectionAbsent: CheckRule = {
  id: 'declared-connection-absent',
  severity: 'warning',
  title: { ja: '評価書に記載した接続がライブ構成にない', en: 'A declared connection is no longer present' },
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const d of ctx.declared.systems) {
      const s = ctx.findSnapshotSystem(d.name);
      // No connections list in the export: nothing is known about them.
      if (!s || !s.value.connections) continue;
      const live = s.value.connections;
      const keys = live.map(liveConnectionKey);
      for (const m of ctx.index.connectionMatchers.get(d) ?? []) {
        if (live.some((c, i) => covers(m, c, keys[i]))) continue;
        const dc = m.declared;
        const label = dc.detail ? `${dc.choice} (${dc.detail})` : dc.choice;
        out.push({
          path: dc.pointer,
          related: [`${s.pointer}/connections`],
          consequence: ctx.consequenceOf(dc.pointer),
          message: ctx.t(
            `評価書はシステム「${d.shortName}」の接続先として「${label}」を記載していますが、ライブ構成にその接続がありません`,
            `The assessment declares a connection of "${d.shortName}" to "${label}", which the live system no longer has`,
          ),
        });
      }
    }
    return out;
  },
};
