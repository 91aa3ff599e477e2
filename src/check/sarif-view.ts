// For SARIF (GitHub code scanning), a drift finding is located where the change under review is: the
// live snapshot file and line. The 評価書 item stays attached as the first related location (and the label
// stays in the message), so a reviewer sees both. Findings with no snapshot location (an expired
// attestation, an unknown control id) keep their 評価書 location.
import type { Diagnostic } from '../types.ts';

export function toSarifView(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.map((d) => {
    const primary = d.related?.find((r) => r.source !== undefined && r.source !== d.source);
    if (!primary) return d;
    const rest = (d.related ?? []).filter((r) => r !== primary);
    const { column: _column, ...base } = d;
    return Object.assign({}, base, {
      source: primary.source,
      path: primary.path,
      ...(primary.line ? { line: primary.line } : { line: undefined }),
      related: [{ source: d.source, path: d.path, ...(d.line ? { line: d.line } : {}) }, ...rest],
    });
  });
}
