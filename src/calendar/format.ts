// Pure formatters of a DueReport: text (terminal, cron mail), Markdown (README, tickets), JSON (machines).
// Dates are shown in 和暦 with the ISO day beside them; the data keeps ISO only.
import type { DueReport, Obligation } from './types.ts';

const SUMMARY_ORDER = ['期限超過', '判定不能', '期限間近', '予定', '完了'] as const;

function daysText(o: Obligation): string {
  if (o.daysLeft === null) return '';
  if (o.state === '完了') return '';
  if (o.daysLeft < 0) return `、${-o.daysLeft}日超過`;
  if (o.daysLeft === 0) return '、本日';
  return `、あと${o.daysLeft}日`;
}

function dueText(o: Obligation): string {
  return o.dueDate ? `${o.dueDateWareki} (${o.dueDate}${daysText(o)})` : '期限: 判定できません';
}

export function summaryLine(r: DueReport): string {
  return SUMMARY_ORDER.filter((s) => s !== '完了' || r.summary[s] > 0)
    .map((s) => `${s} ${r.summary[s]} 件`)
    .join(' ・ ');
}

export function formatDueText(r: DueReport): string {
  const lines = [`期限の一覧 (基準日 ${r.asOfWareki} = ${r.asOf})`, summaryLine(r), ''];
  if (r.obligations.length === 0) lines.push('該当する義務はありません。');
  for (const o of r.obligations) {
    lines.push(`[${o.state}] ${dueText(o)}  ${o.assessmentTitle}${o.orgName ? ` (${o.orgName})` : ''}`);
    lines.push(`  ${o.title} ・ ${o.kind} ・ ${o.basis}`);
    for (const l of o.explanation.split('\n')) lines.push(`  ${l}`);
    lines.push('');
  }
  return lines.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

export function formatDueMarkdown(r: DueReport): string {
  const lines = [
    `**期限の一覧** (基準日 ${r.asOfWareki} = ${r.asOf}): ${summaryLine(r)}`,
    '',
    '| 状態 | 期限 | 評価書 | 義務 | 区分 | 根拠 | 説明 |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const o of r.obligations) {
    lines.push(
      `| ${o.state === '期限超過' ? `**${o.state}**` : o.state} | ${cell(dueText(o))} | ${cell(o.assessmentTitle)} | ${cell(o.title)} | ${o.kind} | ${cell(o.basis)} | ${cell(o.explanation)} |`,
    );
  }
  return lines.join('\n') + '\n';
}

export function formatDueJson(r: DueReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
