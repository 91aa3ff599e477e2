// Counting findings and naming severities, shared by all formatters.
import { pick, type Lang } from '../schema/lang.ts';
import type { Diagnostic, Severity } from '../types.ts';

export const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'error'];

/** True when `s` is at or above `threshold` (error > warning > info). */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITY_ORDER.indexOf(s) >= SEVERITY_ORDER.indexOf(threshold);
}

export function severityName(s: Severity, lang: Lang = 'ja'): string {
  return s === 'error'
    ? pick(lang, 'エラー', 'error')
    : s === 'warning'
      ? pick(lang, '警告', 'warning')
      : pick(lang, '情報', 'info');
}

export interface Summary {
  files: number;
  error: number;
  warning: number;
  info: number;
}

/** Waived findings are shown but not counted. */
export function summarize(diags: readonly Diagnostic[], files?: readonly string[]): Summary {
  const s: Summary = {
    files: files?.length ?? new Set(diags.map((d) => d.source ?? '')).size,
    error: 0,
    warning: 0,
    info: 0,
  };
  for (const d of diags) if (!d.waived) s[d.severity]++;
  return s;
}

/** 「エラー 2 件、警告 5 件」 / "2 errors, 5 warnings". */
export function summaryLine(s: Summary, lang: Lang = 'ja'): string {
  if (s.error + s.warning + s.info === 0) {
    return pick(
      lang,
      `問題は見つかりませんでした (${s.files} ファイル)`,
      `No problems found (${s.files} file${s.files === 1 ? '' : 's'})`,
    );
  }
  if (lang === 'en') {
    const parts = [
      `${s.error} error${s.error === 1 ? '' : 's'}`,
      `${s.warning} warning${s.warning === 1 ? '' : 's'}`,
    ];
    if (s.info) parts.push(`${s.info} info`);
    return `${parts.join(', ')} (${s.files} file${s.files === 1 ? '' : 's'})`;
  }
  const parts = [`エラー ${s.error} 件`, `警告 ${s.warning} 件`];
  if (s.info) parts.push(`情報 ${s.info} 件`);
  return `${parts.join('、')} (${s.files} ファイル)`;
}

/** Findings grouped by source, in sorted order; `files` adds clean files as empty groups. */
export function groupBySource(
  sorted: readonly Diagnostic[],
  files?: readonly string[],
): Map<string, Diagnostic[]> {
  const groups = new Map<string, Diagnostic[]>();
  for (const f of files ?? []) groups.set(f, []);
  for (const d of sorted) {
    const k = d.source ?? '';
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(d);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
