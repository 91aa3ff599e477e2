// report/: pure formatters Diagnostic[] → string. Each sorts with sortDiagnostics (sort.ts), the one place
// the order is defined.
import type { Diagnostic } from '../types.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import type { ReportOptions } from './options.ts';
import { formatSarif } from './sarif.ts';
import { formatText } from './text.ts';

export {
  actionFor,
  CONSEQUENCE_ORDER,
  CONSEQUENCES,
  consequenceName,
  consequenceTag,
  consequenceWeight,
  foreignActions,
  severityOf,
  type ConsequenceInfo,
} from './consequence.ts';
export { formatJson, normalizeDiagnostic, toJsonReport, type JsonReport } from './json.ts';
export { formatJunit } from './junit.ts';
export { escapeMarkdownCell, formatMarkdown, MARKDOWN_BLANK } from './markdown.ts';
export type { ReportOptions, RuleDescription } from './options.ts';
export { artifactLocation, FINGERPRINT_KEY, formatSarif, SRCROOT, toUri } from './sarif.ts';
export { compareDiagnostics, sortDiagnostics } from './sort.ts';
export {
  atLeast,
  groupBySource,
  SEVERITY_ORDER,
  severityName,
  summarize,
  summaryLine,
  type Summary,
} from './summary.ts';
export { formatText } from './text.ts';
export { groupDigits } from './number.ts';
export { piaVersion } from './version.ts';
export { escapeXml } from './xml.ts';

export const REPORT_FORMATS = ['text', 'json', 'junit', 'sarif', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FORMATTERS: Record<ReportFormat, (d: readonly Diagnostic[], o?: ReportOptions) => string> = {
  text: formatText,
  json: formatJson,
  junit: formatJunit,
  sarif: formatSarif,
  markdown: formatMarkdown,
};

export function formatDiagnostics(
  format: ReportFormat,
  diags: readonly Diagnostic[],
  opts: ReportOptions = {},
): string {
  return FORMATTERS[format](diags, opts);
}
