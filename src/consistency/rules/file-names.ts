// Ⅰ3 特定個人情報ファイル名, Ⅱ1 (per file) and Ⅲ1 (per file) name the same files. Seed 000 has
// 「…予防接種事務情報ファイル」 in Ⅰ3 but 「…予防接種情報ファイル」 in Ⅱ1. [V-seed]
import { pick } from '../../schema/lang.ts';
import { levenshtein } from '../../schema/suggest.ts';
import { fullLabel, listOf, prop } from '../helpers.ts';
import type { ConsistencyRule, Finding } from '../types.ts';

const q = (s: string) => `『${s}』`;
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * norm() of each string, computed on first request: names that agree character for character (the usual
 * case) are compared without normalizing. Equal strings have equal norms, so `includesNorm` may answer
 * true from an exact match alone.
 */
class Normalized {
  private readonly cache: (string | undefined)[] = [];
  constructor(readonly raw: readonly string[]) {}
  at(i: number): string {
    return (this.cache[i] ??= norm(this.raw[i]));
  }
  /** Some entry's norm equals norm(`s`) (`sNorm` computes it). */
  includesNorm(s: string, sNorm: () => string): boolean {
    if (this.raw.includes(s)) return true;
    const n = sNorm();
    for (let j = 0; j < this.raw.length; j++) if (this.at(j) === n) return true;
    return false;
  }
}

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
    const listedRaw = listOf(prop(ctx.doc, 'basic'), 'fileNames');
    const listed: string[] = [];
    for (let j = 0; j < listedRaw.length; j++) {
      const v = listedRaw[j];
      listed.push(typeof v === 'string' ? v : '');
    }
    const files = listOf(ctx.doc, 'files');
    const names: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const v = prop(files[i], 'name');
      names.push(typeof v === 'string' ? v : '');
    }
    const listedNorm = new Normalized(listed);
    const namesNorm = new Normalized(names);

    const unmatchedListed = new Set<number>();
    for (let j = 0; j < listed.length; j++)
      if (listed[j].trim() && !namesNorm.includesNorm(listed[j], () => listedNorm.at(j)))
        unmatchedListed.add(j);
    if (listed.some((s) => s.trim())) {
      names.forEach((name, i) => {
        if (!name.trim() || listedNorm.includesNorm(name, () => namesNorm.at(i))) return;
        // Pair with the closest unmatched Ⅰ3 entry, so one typo is one finding.
        let best = -1;
        let bestD = Infinity;
        for (const j of unmatchedListed) {
          const d = levenshtein(listedNorm.at(j), namesNorm.at(i));
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

    const risks = listOf(ctx.doc, 'risks');
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
    risks.forEach((risk, i) => {
      const r = prop(risk, 'fileName');
      const name = names[i];
      if (typeof r !== 'string' || !r.trim() || !name?.trim() || r === name || norm(r) === namesNorm.at(i))
        return;
      const rp = `/risks/${i}/fileName`;
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
