// Whether a free-text cell says something: the one rule for "blank", 「なし」, dashes and punctuation only. The
// server's procedure (src/api/procedure.ts, above this module) and the calendar (facts.ts) both ask it of the
// 意見聴取's 「期間を短縮する特段の理由」, so the transition the server allows and the 意見聴取 the calendar
// reports as shortened cannot disagree.

/**
 * What the forms and officers write for "none": accepting one of these as a 特段の理由 let 意見聴取 end
 * after 0 days (issue 9). Compared after normalisation (NFKC, spaces and closing punctuation removed,
 * lower case), so 「 なし。」, 「Ｎ／Ａ」 and "n/a" count alike. The seeds print 「—」 or 「-」 in empty cells
 * [V-seed]; the rest of the list is what officers are known to type for "nothing" [M].
 */
export const NON_REASONS: readonly string[] = [
  '',
  '-',
  '－',
  '‐',
  '—',
  '―',
  'ー',
  '−',
  '.',
  '・',
  '…',
  'なし',
  '無し',
  '特になし',
  '特に無し',
  'とくになし',
  '該当なし',
  '該当無し',
  'なし(特になし)',
  'ない',
  '無',
  '未定',
  '未記載',
  '不明',
  '省略',
  '同上',
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'tbd',
  'x',
  '×',
  '○',
];
const NON_REASON_SET = new Set(NON_REASONS);

/** A 特段の理由 that says something (not blank, not one of NON_REASONS, not punctuation only). */
export function isRealReason(reason: unknown): reason is string {
  if (typeof reason !== 'string') return false;
  const n = reason
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s。、．，.,!！?？]+$/u, '')
    .replace(/\s+/gu, '');
  if (NON_REASON_SET.has(n)) return false;
  // Dashes, dots and other marks only (「――」「...」) say nothing either.
  return /[\p{L}\p{N}]/u.test(n);
}
