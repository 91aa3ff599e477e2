// Ⅰ3 特定個人情報ファイル名, Ⅱ1 (per file) and Ⅲ1 (per file) name the same files. Seed 000 has
// 「…予防接種事務情報ファイル」 in Ⅰ3 but 「…予防接種情報ファイル」 in Ⅱ1. [V-seed]
import { pick } from '../../schema/lang.ts';
import { levenshtein } from '../../schema/suggest.ts';
import { arrayAt, at, fullLabel } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

export const fileNames: ConsistencyRule = {
  severity: 'error',
  forms: ['juten', 'zenkomoku'],
  description: {
    ja: 'Ⅰ3・Ⅱ1・Ⅲ1 の特定個人情報ファイル名が一致するか',
    en: 'The file names in Ⅰ3, Ⅱ1 and Ⅲ1 agree',
  },
  check(ctx) {
    const out: Finding[] = [];
    const listPointer = '/basic/fileNames';
    const listed = arrayAt(ctx.doc, listPointer).map((v) => (typeof v === 'string' ? v : ''));
    const files = arrayAt(ctx.doc, '/files');
    const names = files
      .map((_, i) => at(ctx.doc, `/files/${i}/name`))
      .map((v) => (typeof v === 'string' ? v : ''));
    const q = (s: string) => `『${s}』`;
    const listedNorm = listed.map(norm);
    const namesNorm = names.map(norm);

    const unmatchedListed = new Set(
      listed.map((s, j) => (s.trim() && !namesNorm.includes(listedNorm[j]) ? j : -1)).filter((j) => j >= 0),
    );
    if (listed.some((s) => s.trim())) {
      names.forEach((name, i) => {
        if (!name.trim() || listedNorm.includes(namesNorm[i])) return;
        // Pair with the closest unmatched Ⅰ3 entry, so one typo is one finding.
        let best = -1;
        let bestD = Infinity;
        for (const j of unmatchedListed) {
          const d = levenshtein(listedNorm[j], namesNorm[i]);
          if (d < bestD) [best, bestD] = [j, d];
        }
        if (best >= 0) unmatchedListed.delete(best);
        const namePointer = `/files/${i}/name`;
        out.push({
          path: namePointer,
          related: [{ path: best >= 0 ? `${listPointer}/${best}` : listPointer }],
          message:
            best >= 0
              ? pick(
                  ctx.lang,
                  `ファイル名 ${q(name)} が「${fullLabel(ctx.form, listPointer)}」の ${q(listed[best])} と一致しません`,
                  `File name "${name}" does not match "${listed[best]}" in "${fullLabel(ctx.form, listPointer)}"`,
                )
              : pick(
                  ctx.lang,
                  `ファイル名 ${q(name)} が「${fullLabel(ctx.form, listPointer)}」にありません`,
                  `File name "${name}" is not listed in "${fullLabel(ctx.form, listPointer)}"`,
                ),
        });
      });
      if (names.some((n) => n.trim())) {
        for (const j of unmatchedListed) {
          out.push({
            path: `${listPointer}/${j}`,
            message: pick(
              ctx.lang,
              `${q(listed[j])} に対応する「${fullLabel(ctx.form, '/files')}」がありません`,
              `"${listed[j]}" has no matching entry in "${fullLabel(ctx.form, '/files')}"`,
            ),
          });
        }
      }
    }

    const risks = arrayAt(ctx.doc, '/risks');
    if (files.length > 0 && risks.length > 0 && files.length !== risks.length) {
      out.push({
        path: '/risks',
        related: [{ path: '/files' }],
        message: pick(
          ctx.lang,
          `「${fullLabel(ctx.form, '/risks')}」は ${risks.length} ファイル分、「${fullLabel(ctx.form, '/files')}」は ${files.length} ファイル分あります。ファイルごとに 1 つずつ記載してください`,
          `"${fullLabel(ctx.form, '/risks')}" has ${risks.length} entries but "${fullLabel(ctx.form, '/files')}" has ${files.length}`,
        ),
      });
    }
    risks.forEach((_, i) => {
      const rp = `/risks/${i}/fileName`;
      const r = at(ctx.doc, rp);
      const name = names[i];
      if (typeof r !== 'string' || !r.trim() || !name?.trim() || norm(r) === namesNorm[i]) return;
      out.push({
        path: rp,
        related: [{ path: `/files/${i}/name` }],
        message: pick(
          ctx.lang,
          `ファイル名 ${q(r)} が「${fullLabel(ctx.form, `/files/${i}/name`)}」の ${q(name)} と一致しません`,
          `File name "${r}" does not match "${name}" in "${fullLabel(ctx.form, `/files/${i}/name`)}"`,
        ),
      });
    });
    return out;
  },
};
