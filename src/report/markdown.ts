// Markdown (PR comments, review notes): a summary and one table per file. User text is escaped for
// Markdown tables and HTML, since these reports are shown by renderers that accept raw HTML.
import { pick } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import { consequenceName } from './consequence.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';
import { groupBySource, severityName, summarize, summaryLine } from './summary.ts';

/**
 * An empty cell is printed as this visible mark, not as spaces: a blank that renders as nothing cannot be
 * told from a cell the formatter forgot (README「出力形式の約束」; the text format uses the same mark).
 */
export const MARKDOWN_BLANK = '—';

export function escapeMarkdownCell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\r?\n/g, '<br>');
}

export function formatMarkdown(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'ja';
  const sorted = sortDiagnostics(diags);
  const out: string[] = [
    `# ${pick(lang, '検証結果', 'Validation report')}`,
    '',
    summaryLine(summarize(sorted, opts.files), lang),
    '',
  ];
  for (const [source, group] of groupBySource(sorted, opts.files)) {
    out.push(`## ${escapeMarkdownCell(source || pick(lang, '(入力)', '(input)'))}`, '');
    if (group.length === 0) {
      out.push(pick(lang, '問題はありません。', 'No problems.'), '');
      continue;
    }
    // The 帰結 column is there whenever any finding of the file has a consequence (pia check, pia diff);
    // validation findings have none and keep the five columns.
    const withConsequence = group.some((d) => d.consequence !== undefined);
    out.push(
      withConsequence
        ? pick(
            lang,
            '| 行 | 重大度 | 帰結 | コード | 項目 | メッセージ |',
            '| Line | Severity | Consequence | Code | Item | Message |',
          )
        : pick(
            lang,
            '| 行 | 重大度 | コード | 項目 | メッセージ |',
            '| Line | Severity | Code | Item | Message |',
          ),
      withConsequence ? '|---:|---|---|---|---|---|' : '|---:|---|---|---|---|',
    );
    for (const d of group) {
      const item = d.label || d.path || '/';
      const waived = d.waived
        ? pick(lang, ` (免除: ${d.waived.justification})`, ` (waived: ${d.waived.justification})`)
        : '';
      const consequence = withConsequence
        ? ` ${d.consequence ? consequenceName(d.consequence, lang) : MARKDOWN_BLANK} |`
        : '';
      out.push(
        `| ${d.line ?? MARKDOWN_BLANK} | ${severityName(d.severity, lang)} |${consequence} \`${d.code}\` | ${escapeMarkdownCell(item)} | ${escapeMarkdownCell(d.message + waived)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
