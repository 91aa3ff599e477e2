// diff/: two versions of a 評価書 → pointer-addressed changes → 変更箇所 rows classified as the law does
// (重要な変更 / 重要な変更にあたらない / その他の項目の変更), with the consequences of the revision.
// See docs/diff.md for the annotations file and the conventions of the table.
export { applyChanges } from './apply-changes.ts';
export { isPointerKey, loadAnnotations, normalizeLabelKey, parseAnnotations } from './annotations.ts';
export { buildChangeLog, type ChangeLogOptions } from './change-log.ts';
export { DIFF_CODES } from './codes.ts';
export { classifyRows, EXPLANATION, type ClassifyOptions } from './classify.ts';
export { procedureFor, summarize } from './consequences.ts';
export { assertSameOrganization, diffDocuments, formOfPair, type DiffOptions } from './diff-documents.ts';
export {
  FORMATS,
  formatChangeLog,
  formatFindings,
  formatJson,
  formatMarkdown,
  formatText,
  formatYaml,
  toChangeRow,
  toDiffJson,
  type DiffFormat,
  type FormatContext,
} from './format.ts';
export { IGNORED_PATHS, isIgnoredPath } from './ignore.ts';
export { itemLabel, itemLabels } from './labels.ts';
export { elideTexts, printValue } from './print.ts';
export { buildRows, type RowDraft } from './rows.ts';
export * from './types.ts';
export { writeChangeLog } from './write-change-log.ts';
