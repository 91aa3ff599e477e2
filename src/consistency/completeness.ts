// 未記載: a required item that is missing, or present but blank. Required = the schema's `required` (checked
// inside the compiled validator, see schema/filled-keyword.ts), minus the items that do not apply, plus the
// items the applicability table makes required (委託する → 委託件数, 再委託する → 許諾方法, …). Parts the
// source lacks (sourceGaps) are one finding each instead. Severity follows the document's status: a draft
// (素案・案) gets warnings, anything else (提出・公表, or no valid status) errors.
import { runSchema } from '../schema/index.ts';
import { formatLabelPath, labelPath, type FormRef } from '../schema/navigate.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { DRAFT_STATUSES, type Diagnostic, type DocumentStatus, type Severity } from '../types.ts';
import type { Applicability } from './applicable.ts';
import { isBlank } from './blank.ts';
import { getAtPointer as fastGet } from '../pointer.ts';

export function completenessSeverity(status: unknown): Severity {
  return DRAFT_STATUSES.includes(status as DocumentStatus) ? 'warning' : 'error';
}

export function missingMessage(label: string, lang: Lang): string {
  return pick(lang, `未記載です: ${label}`, `Not filled in: ${label}`);
}

const under = (p: string, prefix: string) => p === prefix || p.startsWith(prefix + '/');

/**
 * @param blank pointers of blank required items from the schema run (runSchema().blank); computed here when
 *   omitted.
 */
export function checkCompleteness(
  doc: unknown,
  form: FormRef,
  applicability: Applicability,
  lang: Lang = 'ja',
  blank?: readonly string[],
): Diagnostic[] {
  const fromSchema = blank ?? runSchema(form, doc, lang).blank;
  // Copied only when something is added: the usual document has nothing blank.
  let candidates: string[] | undefined;
  for (const hit of applicability.required) {
    for (let i = 0; i < hit.items.length; i++)
      if (isBlank(hit.itemValues[i])) (candidates ??= [...fromSchema]).push(hit.items[i]);
  }
  candidates ??= fromSchema as string[];
  const gaps = readSourceGaps(doc);
  if (candidates.length === 0 && gaps.length === 0) return [];

  const severity = completenessSeverity((doc as { status?: unknown } | null)?.status);
  const out: Diagnostic[] = gaps.map((g) => {
    const label = formatLabelPath(labelPath(form, g.path));
    const where = `${label || g.path}${g.note ? ` (${g.note})` : ''}`;
    return {
      code: 'completeness/source-gap',
      severity,
      message: pick(lang, `元資料に欠落があります: ${where}`, `Missing in the source: ${where}`),
      path: g.path,
      label,
    };
  });
  // A block that is blank as a whole (a placeholder `{}` for a missing page) is one 未記載 at the block.
  const folded = candidates.map((p) => {
    const parent = p.slice(0, p.lastIndexOf('/'));
    const v = parent === '' ? undefined : fastGet(doc, parent);
    return v !== null && typeof v === 'object' && !Array.isArray(v) && isBlank(v) ? parent : p;
  });
  // Shortest first, so a blank block hides the blank items inside it.
  const kept: string[] = [];
  for (const p of [...new Set(folded)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))) {
    if (applicability.isNotApplicable(p)) continue;
    if (gaps.some((g) => under(p, g.path))) continue;
    if (kept.some((k) => under(p, k))) continue;
    kept.push(p);
  }
  for (const p of kept) {
    const label = formatLabelPath(labelPath(form, p));
    out.push({
      code: 'completeness/missing',
      severity,
      message: missingMessage(label, lang),
      path: p,
      label,
    });
  }
  return out;
}

const NO_GAPS: readonly { path: string; note: string }[] = [];

/** `sourceGaps: [{path, note}]` entries with a usable pointer (the schema reports malformed ones). */
function readSourceGaps(doc: unknown): readonly { path: string; note: string }[] {
  const list = (doc as { sourceGaps?: unknown } | null)?.sourceGaps;
  if (!Array.isArray(list) || list.length === 0) return NO_GAPS;
  return list
    .filter(
      (g): g is { path: string; note?: unknown } =>
        !!g && typeof g === 'object' && typeof (g as { path?: unknown }).path === 'string',
    )
    .filter((g) => /^(\/[^/]*)+$/.test(g.path))
    .map((g) => ({ path: g.path, note: typeof g.note === 'string' ? g.note : '' }));
}
