// Waivers (--waivers F): an approved, time-limited exception to one finding. A waived finding is still
// reported and counted (marked `waived`), only no longer fails the run; an expired waiver gives the finding
// back and says so. A waiver without approver or expiry is not a waiver: the file is refused (exit 2).
import { InputError } from '../errors.ts';
import type { LoadedDocument } from '../load/index.ts';
import { describeDateProblem, parseUserDate } from '../load/user-dates.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import { isExpired } from './dates.ts';
import { validateWaiverFile } from './snapshot.ts';
import type { Waiver, WaiverFile } from './snapshot-types.ts';

export interface LoadedWaiver extends Waiver {
  /** Pointer of the waiver in its file (`/waivers/3`). */
  at: string;
}

export const WAIVER_CODES = {
  expired: {
    code: 'check/waiver-expired',
    title: { ja: '例外承認 (waiver) の有効期限切れ', en: 'Expired waiver' },
  },
  unused: {
    code: 'check/waiver-unused',
    title: { ja: 'どの指摘にも当たらない例外承認', en: 'Waiver that matches no finding' },
  },
} as const;

/**
 * The waivers of a loaded file. Anything that makes the file unusable (syntax, a missing approver or
 * expiry, another organisation) is an InputError listing every problem with its line.
 */
export function readWaivers(
  loaded: LoadedDocument,
  organization: string | undefined,
  lang: Lang,
): LoadedWaiver[] {
  const fail = (problems: string[]) =>
    new InputError(
      pick(
        lang,
        `例外承認ファイルを使えません:\n  ${problems.join('\n  ')}`,
        `The waiver file cannot be used:\n  ${problems.join('\n  ')}`,
      ),
      loaded.source,
    );
  const where = (d: { path: string; line?: number }) => {
    const line = d.line ?? loaded.locate(d.path)?.line;
    return line ? pick(lang, `${line} 行目`, `line ${line}`) : d.path || '/';
  };
  const loadErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.data || loadErrors.length) throw fail(loadErrors.map((d) => `${where(d)}: ${d.message}`));
  const problems = validateWaiverFile(loaded.data, lang);
  if (problems.length)
    throw fail(problems.map((d) => `${where(d)}: ${d.label ? `${d.label}: ` : ''}${d.message}`));
  const file = loaded.data as unknown as WaiverFile;
  if (organization && file.organization && file.organization !== organization) {
    throw fail([
      pick(
        lang,
        `例外承認ファイルの機関ID「${file.organization}」が評価書の機関ID「${organization}」と一致しません`,
        `The waiver file is for "${file.organization}", the assessment for "${organization}"`,
      ),
    ]);
  }
  // The schema checks the form of `expires`; a real day in range is checked here, so that 9999-12-31
  // ("never") or 2023-02-29 is refused with its line instead of comparing as a string.
  const dateProblems: string[] = [];
  file.waivers.forEach((w, i) => {
    const parsed = parseUserDate(w.expires, 'date');
    if ('problem' in parsed) {
      const what = pick(lang, '有効期限 (expires)', 'expires');
      dateProblems.push(
        `${where({ path: `/waivers/${i}/expires` })}: ${describeDateProblem(what, w.expires, parsed.problem, lang, 'date')}`,
      );
    }
  });
  if (dateProblems.length) throw fail(dateProblems);
  return file.waivers.map((w, i) => Object.assign({}, w, { at: `/waivers/${i}` }));
}

function matches(w: Waiver, d: Diagnostic): boolean {
  if (d.code !== w.rule || d.path !== w.pointer) return false;
  return w.snapshotPointer === undefined || (d.related ?? []).some((r) => r.path === w.snapshotPointer);
}

/**
 * Marks waived findings and adds findings about the waivers themselves (expired: warning; unused: info).
 * `asOfDay` is the snapshot's day: a waiver valid through 2026-03-31 is expired on a snapshot of 04-01.
 */
export function applyWaivers(
  diagnostics: Diagnostic[],
  waivers: readonly LoadedWaiver[],
  args: {
    asOfDay: string;
    source: string;
    locate: (pointer: string) => { line: number } | undefined;
    lang: Lang;
  },
): Diagnostic[] {
  const { lang } = args;
  const extra: Diagnostic[] = [];
  const at = (pointer: string): Pick<Diagnostic, 'source' | 'line'> => {
    const line = args.locate(pointer)?.line;
    return { source: args.source, ...(line ? { line } : {}) };
  };
  for (const w of waivers) {
    const hits = diagnostics.filter((d) => matches(w, d));
    if (isExpired(w.expires, args.asOfDay)) {
      extra.push({
        code: WAIVER_CODES.expired.code,
        severity: 'warning',
        consequence: '情報',
        path: `${w.at}/expires`,
        ...at(`${w.at}/expires`),
        message: pick(
          lang,
          `${w.rule} (${w.pointer}) の例外承認は ${w.expires} で期限が切れています (承認者: ${w.approver})。${hits.length ? `対象の指摘 ${hits.length} 件を指摘に戻しました` : '対象の指摘はありません'}`,
          `The waiver of ${w.rule} (${w.pointer}) expired on ${w.expires} (approver: ${w.approver}); ${hits.length} finding(s) are reported again`,
        ),
      });
      continue;
    }
    if (hits.length === 0) {
      extra.push({
        code: WAIVER_CODES.unused.code,
        severity: 'info',
        consequence: '情報',
        path: w.at,
        ...at(w.at),
        message: pick(
          lang,
          `例外承認 ${w.rule} (${w.pointer}) に当たる指摘がありません。解消済みなら例外承認を削除してください`,
          `Waiver ${w.rule} (${w.pointer}) matches no finding; remove it if the issue is resolved`,
        ),
      });
      continue;
    }
    for (const d of hits) {
      if (!d.waived) d.waived = { justification: w.justification, approver: w.approver, expires: w.expires };
    }
  }
  return [...diagnostics, ...extra];
}
