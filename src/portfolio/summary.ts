// The summary page of a portfolio run, for the privacy officer: one row per 評価書 with its status, the
// check's findings by consequence, the next statutory date and a link to its PDF. HTML (opened beside the
// PDFs) and Markdown (a CI job summary, a ticket). Pure and deterministic: the only date is the as-of day.
import { wareki } from '../calendar/index.ts';
import { CONSEQUENCE_ORDER } from '../report/index.ts';
import type { PortfolioDocument, PortfolioResult, PortfolioStatus } from './run.ts';

const STATUS_ORDER: readonly PortfolioStatus[] = ['エラー', '要対応', '注意', '問題なし'];

const STATUS_MEANING: Record<PortfolioStatus, string> = {
  エラー: '読めないファイルがある、または PDF を出力できなかった (終了コード 2)',
  要対応: '検証エラー、照合でエラーの指摘、または期限超過がある (終了コード 1)',
  注意: '警告、期限間近、判定できない期限、またはライブ構成がなく照合していない',
  問題なし: '検証・照合とも指摘なし、期限超過・期限間近なし',
};

function counts(result: PortfolioResult): Record<PortfolioStatus, number> {
  const c = { エラー: 0, 要対応: 0, 注意: 0, 問題なし: 0 } as Record<PortfolioStatus, number>;
  for (const d of result.documents) c[d.status]++;
  return c;
}

export function summaryCountsLine(result: PortfolioResult): string {
  const c = counts(result);
  return `評価書 ${result.documents.length} 件: ${STATUS_ORDER.map((s) => `${s} ${c[s]}`).join('、')}`;
}

function validationText(d: PortfolioDocument): string {
  if (!d.validation) return '—';
  const { error, warning } = d.validation;
  return error + warning === 0 ? '指摘なし' : `エラー ${error}・警告 ${warning}`;
}

function checkText(d: PortfolioDocument): string {
  if (!d.check) return '照合なし (ライブ構成なし)';
  if (d.check.status === 'unreadable') return '照合できない';
  if (!d.check.compared) return '照合していない (ライブ構成がスキーマに合わない)';
  return d.check.status === 'findings' ? '指摘あり' : '指摘なし';
}

function consequenceCell(d: PortfolioDocument, c: (typeof CONSEQUENCE_ORDER)[number]): string {
  const s = d.check?.summary;
  if (!s || !d.check?.compared) return '—';
  return String(s.consequences[c] ?? 0);
}

function nextText(d: PortfolioDocument): string {
  const n = d.next;
  if (!n) return '—';
  const date = n.dueDate ? `${wareki(n.dueDate)} (${n.dueDate})` : '日付が未記載のため判定できません';
  return `${date} ${n.title} 〔${n.state}〕`;
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const escapeMd = (s: string): string => s.replace(/([\\`*_[\]|<>])/g, '\\$1').replace(/\r?\n/g, ' ');

/** Rows in a stable order: most urgent status first, then by name. */
function ordered(result: PortfolioResult): PortfolioDocument[] {
  return [...result.documents].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.name.localeCompare(b.name),
  );
}

export function formatPortfolioMarkdown(result: PortfolioResult): string {
  const lines: string[] = [];
  lines.push('# 特定個人情報保護評価書 一覧 (ポートフォリオ)', '');
  lines.push(`基準日: ${wareki(result.asOf)} (${result.asOf})`, '');
  lines.push(summaryCountsLine(result), '');
  lines.push(
    `| 評価書 | 状態 | 検証 | 照合 | ${CONSEQUENCE_ORDER.join(' | ')} | 次の期限 | PDF |`,
    `|---|---|---|---|${CONSEQUENCE_ORDER.map(() => '---:').join('|')}|---|---|`,
  );
  for (const d of ordered(result)) {
    const pdf = d.pdf ? `[${escapeMd(d.pdf)}](${encodeURI(d.pdf)})` : '—';
    lines.push(
      `| ${escapeMd(d.title)}<br>\`${escapeMd(d.name)}\` | ${d.status} | ${validationText(d)} | ${escapeMd(checkText(d))} | ${CONSEQUENCE_ORDER.map((c) => consequenceCell(d, c)).join(' | ')} | ${escapeMd(nextText(d))} | ${pdf} |`,
    );
  }
  const problems = ordered(result).filter((d) => d.errors.length);
  if (problems.length) {
    lines.push('', '## 処理できなかったもの', '');
    for (const d of problems)
      for (const e of d.errors) lines.push(`- \`${escapeMd(d.name)}\`: ${escapeMd(e)}`);
  }
  lines.push('', '## 状態の意味', '');
  for (const s of STATUS_ORDER) lines.push(`- ${s}: ${STATUS_MEANING[s]}`);
  return lines.join('\n') + '\n';
}

export function formatPortfolioHtml(result: PortfolioResult): string {
  const h = escapeHtml;
  const rows = ordered(result).map((d) => {
    const pdf = d.pdf ? `<a href="${h(encodeURI(d.pdf))}">${h(d.pdf)}</a>` : '—';
    const errors = d.errors.length
      ? `<ul class="errors">${d.errors.map((e) => `<li>${h(e)}</li>`).join('')}</ul>`
      : '';
    return `<tr class="s-${h(d.status)}">
  <td><strong>${h(d.title)}</strong><br><code>${h(d.name)}</code>${errors}</td>
  <td class="status">${h(d.status)}</td>
  <td>${h(validationText(d))}</td>
  <td>${h(checkText(d))}</td>
${CONSEQUENCE_ORDER.map((c) => `  <td class="num">${h(consequenceCell(d, c))}</td>`).join('\n')}
  <td>${h(nextText(d))}</td>
  <td>${pdf}</td>
</tr>`;
  });
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>特定個人情報保護評価書 一覧 (基準日 ${h(result.asOf)})</title>
<style>
body { font-family: "BIZ UDPGothic", "Noto Sans CJK JP", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid #bbb; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num { text-align: right; }
td.status { font-weight: bold; white-space: nowrap; }
tr.s-エラー td.status { color: #a00; }
tr.s-要対応 td.status { color: #c60; }
tr.s-注意 td.status { color: #885; }
tr.s-問題なし td.status { color: #070; }
ul.errors { margin: 4px 0 0 1em; padding: 0; color: #a00; font-size: 13px; }
</style>
</head>
<body>
<h1>特定個人情報保護評価書 一覧</h1>
<p>基準日: ${h(wareki(result.asOf) ?? result.asOf)} (${h(result.asOf)})</p>
<p>${h(summaryCountsLine(result))}</p>
<table>
<thead><tr><th>評価書</th><th>状態</th><th>検証</th><th>照合</th>${CONSEQUENCE_ORDER.map((c) => `<th>${h(c)}</th>`).join('')}<th>次の期限</th><th>PDF</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>状態の意味</h2>
<dl>
${STATUS_ORDER.map((s) => `<dt>${h(s)}</dt><dd>${h(STATUS_MEANING[s])}</dd>`).join('\n')}
</dl>
<p>照合の列は、ライブ構成との食い違いを帰結ごとに数えたものです (免除された指摘は数えません)。</p>
</body>
</html>
`;
}
