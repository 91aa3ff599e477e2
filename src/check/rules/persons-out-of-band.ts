// 対象人数 (Ⅰ1③ / 基礎 Ⅱ1) and 対象となる本人の数 (Ⅱ2②) against the persons the live data stores hold.
import { personsBandIndex } from '../../threshold/decide.ts';
import { groupDigits } from '../../report/number.ts';
import { bandOf } from '../bands.ts';
import type { CheckRule, RuleFinding } from '../context.ts';
import { filePersons, jimuPersons } from '../counts.ts';

const fmt = groupDigits;

export const personsOutOfBand: CheckRule = {
  id: 'persons-out-of-band',
  severity: 'error',
  title: {
    ja: '対象人数・対象となる本人の数が記載の区分を外れている',
    en: 'Persons outside the declared band',
  },
  run(ctx) {
    const out: RuleFinding[] = [];
    const jimu = ctx.declared.jimuPersons;
    const n = jimuPersons(ctx);
    if (jimu && n) {
      // Every 対象人数 list in the schema is in band order from P0 (threshold/table.ts), so the enum index is the band.
      const choices = ctx.prepared.choicesAt(jimu.pointer);
      const declaredIndex = choices.indexOf(jimu.value);
      const observedIndex = personsBandIndex(n.value);
      if (declaredIndex >= 0 && declaredIndex !== observedIndex) {
        const observed = choices[observedIndex];
        out.push({
          path: jimu.pointer,
          related: n.from,
          consequence: ctx.consequenceOf(jimu.pointer),
          message: observed
            ? ctx.t(
                `ライブ構成の対象人数 ${fmt(n.value)} 人は「${observed}」に当たり、評価書の「${jimu.value}」と異なります`,
                `The live count of ${fmt(n.value)} persons falls in "${observed}", not the declared "${jimu.value}"`,
              )
            : ctx.t(
                `ライブ構成の対象人数 ${fmt(n.value)} 人は、この様式の選択肢のどれにも当たりません (評価書: 「${jimu.value}」)`,
                `The live count of ${fmt(n.value)} persons is beyond every choice of this form (declared "${jimu.value}")`,
              ),
        });
      }
    }
    for (const f of ctx.declared.files) {
      if (!f.persons) continue;
      const c = filePersons(ctx, f);
      if (!c) continue;
      const observed = bandOf(ctx.choices.filePersons, c.value);
      if (observed === f.persons.value) continue;
      out.push({
        path: f.persons.pointer,
        related: c.from,
        consequence: ctx.consequenceOf(f.persons.pointer),
        message: ctx.t(
          `特定個人情報ファイル「${f.name ?? f.index + 1}」の本人の数はライブ構成で ${fmt(c.value)} 人 (「${observed}」) で、評価書の「${f.persons.value}」と異なります`,
          `File "${f.name ?? f.index + 1}" holds ${fmt(c.value)} persons ("${observed}"), not the declared "${f.persons.value}"`,
        ),
      });
    }
    return out;
  },
};
