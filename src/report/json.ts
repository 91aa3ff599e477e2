// JSON: the machine contract (the API returns exactly this). Keys in a fixed order, findings sorted,
// absent fields omitted, two-space indent, trailing newline.
import type { Diagnostic } from '../types.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';
import { summarize, type Summary } from './summary.ts';

export interface JsonReport {
  summary: Summary;
  diagnostics: Diagnostic[];
}

/** A Diagnostic with its keys in the documented order and no undefined values. */
export function normalizeDiagnostic(d: Diagnostic): Diagnostic {
  const o: Diagnostic = { code: d.code, severity: d.severity, message: d.message, path: d.path };
  if (d.label !== undefined) o.label = d.label;
  if (d.source !== undefined) o.source = d.source;
  if (d.line !== undefined) o.line = d.line;
  if (d.column !== undefined) o.column = d.column;
  if (d.consequence !== undefined) o.consequence = d.consequence;
  if (d.related !== undefined) {
    o.related = d.related.map((r) => {
      const x: NonNullable<Diagnostic['related']>[number] =
        r.source !== undefined ? { source: r.source, path: r.path } : { path: r.path };
      if (r.line !== undefined) x.line = r.line;
      return x;
    });
  }
  if (d.waived !== undefined)
    o.waived = {
      justification: d.waived.justification,
      approver: d.waived.approver,
      expires: d.waived.expires,
    };
  return o;
}

export function toJsonReport(diags: readonly Diagnostic[], opts: ReportOptions = {}): JsonReport {
  const sorted = sortDiagnostics(diags);
  return { summary: summarize(sorted, opts.files), diagnostics: sorted.map(normalizeDiagnostic) };
}

export function formatJson(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  return JSON.stringify(toJsonReport(diags, opts), null, 2) + '\n';
}
