// Rows → classified 変更箇所 rows (pia-domain.md §4.3):
//   ※ item, no exception annotated  → 重要な変更による評価の再実施（理由）, 事前 (always: the law requires the
//                                      re-assessment before the change; an annotation saying 事後 is an error)
//   ※ item, exception annotated     → 重要な変更にあたらない（例外の種類）, 事前 unless annotated 事後
//   any other item                   → その他の項目の変更（理由）, 事前 unless annotated 事後
//   基礎項目評価書                     → no ※ items: every row is その他の項目の変更
// Whether a ※ change clearly reduces risk is a human judgement: a ※ row without any annotation is
// classified as 重要な変更 (the safe side) and reported, so the officer records the decision.
import { isPrefixPointer } from '../pointer.ts';
import { pick, suggestNearest, type Lang } from '../schema/index.ts';
import type { Diagnostic } from '../types.ts';
import { isPointerKey, normalizeLabelKey } from './annotations.ts';
import type { RowDraft } from './rows.ts';
import type { Annotation, Annotations, ClassifiedRow } from './types.ts';

export interface ClassifyOptions {
  /** `kiso` forms have no ※ items. */
  formId?: string;
  annotations?: Annotations;
  /** 変更日 (ISO) of rows without their own date. */
  date: string;
  /** Names used in findings. */
  source?: string;
  lang?: Lang;
}

export const EXPLANATION = {
  significant: '重要な変更による評価の再実施',
  exception: '重要な変更にあたらない',
  other: 'その他の項目の変更',
} as const;

const paren = (s: string | undefined) => (s ? `（${s}）` : '');
/** One pair of brackets for the exception and its reason: 「（誤字脱字の修正：○○の誤記）」, never 「（…）（…）」. */
const exceptionParen = (exception: string, reason: string | undefined) => paren(reason ? `${exception}：${reason}` : exception);

export function classifyRows(drafts: readonly RowDraft[], opts: ClassifyOptions): { rows: ClassifiedRow[]; findings: Diagnostic[] } {
  const lang = opts.lang ?? 'ja';
  const entries = opts.annotations?.entries ?? [];
  const used = new Set<Annotation>();
  const findings: Diagnostic[] = [];
  const annSource = opts.annotations?.source;
  const rows: ClassifiedRow[] = [];

  for (const d of drafts) {
    const paths = rowPaths(d);
    const ann = bestAnnotation(entries, d, paths);
    if (ann) used.add(ann);
    const significant = opts.formId !== 'kiso' && d.significant;
    let kind: ClassifiedRow['kind'];
    let explanation: string;
    let timing: ClassifiedRow['timing'] = ann?.timing ?? '事前';
    const where = { path: d.path, label: d.item, ...(opts.source ? { source: opts.source } : {}) };
    if (significant && ann?.exception) {
      kind = '例外';
      explanation = `${EXPLANATION.exception}${exceptionParen(ann.exception, ann.reason)}`;
    } else if (significant) {
      kind = '重要な変更';
      explanation = `${EXPLANATION.significant}${paren(ann?.reason)}`;
      if (ann?.timing === '事後') {
        findings.push({
          code: 'diff/significant-after',
          severity: 'error',
          message: pick(
            lang,
            `「${d.item}」は※の項目で、例外の記録がないため重要な変更です。重要な変更は変更の前に評価を再実施するため、提出時期は「事前」しかありえません (注釈は「事後」)。事後とするなら、例外 (exception) に当たる理由を記録してください。`,
            `"${d.item}" is a ※ item without a recorded exception, so it is a significant change, which must be assessed before the change: its timing can only be 事前 (the annotation says 事後).`,
          ),
          ...where,
          consequence: '重要な変更',
          ...(annSource ? { related: [{ source: annSource, path: '', ...(ann.line ? { line: ann.line } : {}) }] } : {}),
        });
        timing = '事前';
      }
      if (!ann) {
        findings.push({
          code: 'diff/significant-unjudged',
          severity: 'warning',
          message: pick(
            lang,
            `※の項目「${d.item}」が変更されています。重要な変更 (評価の再実施) として扱いました。例外 (リスクを明らかに軽減させる変更・誤字脱字の修正・形式的な変更) に当たるかは人の判断です: 注釈ファイルに exception を、当たらない場合は reason (理由) を記録してください (キー: ${d.path})。`,
            `The ※ item "${d.item}" changed and was treated as a significant change (re-assessment). Whether an exception applies is a human judgement: record exception, or a reason, in the annotations file (key: ${d.path}).`,
          ),
          ...where,
          consequence: '重要な変更',
        });
      }
    } else {
      kind = '修正';
      explanation = `${EXPLANATION.other}${paren(ann?.reason)}`;
      if (ann?.exception) {
        findings.push({
          code: 'diff/exception-not-significant',
          severity: 'warning',
          message: pick(
            lang,
            `「${d.item}」は※の項目ではないため、重要な変更の例外 (${ann.exception}) を記録する必要はありません。「その他の項目の変更」としました。`,
            `"${d.item}" is not a ※ item; the exception (${ann.exception}) does not apply. Classified as その他の項目の変更.`,
          ),
          ...where,
          consequence: '修正',
        });
      }
    }
    rows.push({
      date: ann?.date ?? opts.date,
      item: d.item,
      before: d.before,
      after: d.after,
      timing,
      explanation,
      path: d.path,
      paths,
      significant,
      kind,
      ...(ann ? { annotation: ann.key } : {}),
    });
  }

  for (const e of entries) {
    if (used.has(e) || relatesToChange(e, drafts)) continue;
    const suggestion = isPointerKey(e.key)
      ? suggestNearest(e.key, drafts.map((d) => d.path))
      : suggestNearest(normalizeLabelKey(e.key), drafts.map((d) => normalizeLabelKey(d.item)));
    const hint = suggestion ? drafts.find((d) => d.path === suggestion || normalizeLabelKey(d.item) === suggestion) : undefined;
    findings.push({
      code: 'diff/annotation-unchanged',
      severity: 'error',
      message: pick(
        lang,
        `注釈「${e.key}」の項目は、2つの版の間で変更されていません (項目名・ポインタの誤りか、変更がなくなった判断です)。${hint ? `近い変更: 「${hint.item}」 (${hint.path})` : ''}`,
        `The annotation "${e.key}" is for an item that did not change between the two versions.${hint ? ` Nearest change: "${hint.item}" (${hint.path})` : ''}`,
      ),
      path: isPointerKey(e.key) ? e.key : '',
      ...(annSource ? { source: annSource } : {}),
      ...(e.line ? { line: e.line } : {}),
    });
  }
  // Findings about rows come in row order (the order of the table the officer reads), then the annotations
  // that match no row, in the order of the annotations file.
  return { rows, findings };
}

function rowPaths(d: RowDraft): string[] {
  const s = new Set<string>([d.path]);
  for (const c of d.changes) {
    s.add(c.path);
    if (c.oldPath) s.add(c.oldPath);
    s.add(c.item);
    if (c.oldItem) s.add(c.oldItem);
    if (c.within) s.add(c.within);
  }
  return [...s];
}

/**
 * The annotation for a row: one naming the row's label; else a pointer equal to one of its changes; else
 * the nearest pointer above them (a whole 委託事項); else one below a wholly added/removed part of it.
 */
function bestAnnotation(entries: readonly Annotation[], d: RowDraft, paths: readonly string[]): Annotation | undefined {
  if (entries.length === 0) return undefined;
  const label = normalizeLabelKey(d.item);
  const own = [d.path, ...d.changes.flatMap((c) => [c.path, ...(c.oldPath ? [c.oldPath] : [])])];
  let best: Annotation | undefined;
  let bestScore = -Infinity;
  for (const e of entries) {
    let score = -Infinity;
    if (!isPointerKey(e.key)) {
      if (normalizeLabelKey(e.key) === label) score = 1e6;
    } else if (own.includes(e.key)) score = 1e5 + e.key.length;
    else if (paths.some((p) => isPrefixPointer(e.key, p))) score = e.key.length;
    else if (d.changes.some((c) => c.op !== 'replace' && isPrefixPointer(c.path, e.key))) score = -e.key.length;
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

function relatesToChange(e: Annotation, drafts: readonly RowDraft[]): boolean {
  if (!isPointerKey(e.key)) return drafts.some((d) => normalizeLabelKey(d.item) === normalizeLabelKey(e.key));
  return drafts.some((d) =>
    d.changes.some(
      (c) =>
        [c.path, c.oldPath, c.item, c.oldItem].some((p) => p !== undefined && isPrefixPointer(e.key, p)) ||
        // a pointer inside something added or removed as a whole (a part of a new block)
        (c.op !== 'replace' && isPrefixPointer(c.path, e.key)),
    ),
  );
}
