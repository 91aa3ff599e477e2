// SARIF 2.1.0 (GitHub code scanning and other viewers): one run, rules with descriptions, results with
// file + line, the JSON Pointer and label as a logical location, waivers as suppressions.
import type { Diagnostic, Severity } from '../types.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** A relative file name as a URI reference (forward slashes, non-ASCII percent-encoded). */
export function toUri(source: string): string {
  return source
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

export function formatSarif(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'ja';
  const sorted = sortDiagnostics(diags);
  const codes = [...new Set(sorted.map((d) => d.code))].sort();
  const firstSeverity = new Map<string, Severity>();
  for (const d of sorted) if (!firstSeverity.has(d.code)) firstSeverity.set(d.code, d.severity);
  const rules = codes.map((code) => {
    const desc = opts.rules?.[code];
    const text = desc ? desc[lang] : code;
    return {
      id: code,
      name: code
        .replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())
        .replace(/^\w/, (c) => c.toUpperCase()),
      shortDescription: { text },
      fullDescription: { text: desc ? `${desc.ja} / ${desc.en}` : code },
      defaultConfiguration: { level: LEVEL[firstSeverity.get(code) ?? 'error'] },
    };
  });
  const results = sorted.map((d) => {
    const physical: Record<string, unknown> = { artifactLocation: { uri: toUri(d.source ?? '') } };
    if (d.line) physical.region = { startLine: d.line, ...(d.column ? { startColumn: d.column } : {}) };
    const result: Record<string, unknown> = {
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: LEVEL[d.severity],
      message: { text: d.label ? `${d.message} [${d.label}]` : d.message },
      locations: [
        {
          physicalLocation: physical,
          logicalLocations: [
            { fullyQualifiedName: d.path || '/', ...(d.label ? { name: d.label } : {}), kind: 'member' },
          ],
        },
      ],
    };
    if (d.related?.length) {
      result.relatedLocations = d.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: {
          artifactLocation: { uri: toUri(r.source ?? d.source ?? '') },
          ...(r.line ? { region: { startLine: r.line } } : {}),
        },
        logicalLocations: [{ fullyQualifiedName: r.path || '/', kind: 'member' }],
      }));
    }
    if (d.waived)
      result.suppressions = [{ kind: 'external', status: 'accepted', justification: d.waived.justification }];
    const props: Record<string, unknown> = { pointer: d.path };
    if (d.label) props.label = d.label;
    if (d.consequence) props.consequence = d.consequence;
    if (d.waived) props.waived = d.waived;
    result.properties = props;
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pia',
            ...(opts.toolVersion ? { version: opts.toolVersion } : {}),
            informationUri: 'https://www.ppc.go.jp/legal/assessment/',
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
