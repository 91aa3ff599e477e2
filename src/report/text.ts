// Human-readable text, grouped by file: `path:line 重大度 code メッセージ [label]`, then a summary line.
import { pick } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import { consequenceTag } from './consequence.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';
import { groupBySource, severityName, summarize, summaryLine } from './summary.ts';

export function formatText(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'ja';
  const sorted = sortDiagnostics(diags);
  const lines: string[] = [];
  for (const [source, group] of groupBySource(sorted, opts.files)) {
    const name = source || pick(lang, '(入力)', '(input)');
    if (group.length === 0) {
      lines.push(pick(lang, `${name}: 問題はありません`, `${name}: no problems`));
      continue;
    }
    lines.push(name);
    for (const d of group) {
      const where = d.line ? `${name}:${d.line}` : name;
      // 未記載 messages already end with the label; do not print it twice.
      const item = d.label
        ? d.message.includes(d.label)
          ? ''
          : ` [${d.label}]`
        : d.path
          ? ` [${d.path}]`
          : '';
      const waived = d.waived
        ? pick(lang, ` (免除: ${d.waived.justification})`, ` (waived: ${d.waived.justification})`)
        : '';
      const consequence = d.consequence ? ` ${consequenceTag(d.consequence, lang)}` : '';
      lines.push(
        `  ${where} ${severityName(d.severity, lang)} ${d.code} ${oneLine(d.message)}${item}${consequence}${waived}`,
      );
      // The other side of a drift finding: where the live snapshot shows it.
      for (const r of d.related ?? []) {
        const at = r.source ? `${r.source}${r.line ? `:${r.line}` : ''}` : r.line ? `${name}:${r.line}` : '';
        if (at) lines.push(`      ↳ ${at}${r.path ? ` (${r.path})` : ''}`);
      }
    }
  }
  lines.push(summaryLine(summarize(sorted, opts.files), lang));
  return lines.join('\n') + '\n';
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, ' ');
}
