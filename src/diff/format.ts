// Output of `pia diff`: pure functions from the result to a string. Column titles come from the schema's
// changeRow definition (変更日, 項目, 変更前の記載, …), the table's title from the form's changeLog item.
import { stringify } from 'yaml';
import { formatWareki } from '../wareki.ts';
import { consequenceTag } from '../report/consequence.ts';
import { groupDigits } from '../report/number.ts';
import { pick, resolveSchemaAt, type Lang } from '../schema/index.ts';
import type { ChangeRow, Diagnostic } from '../types.ts';
import type { ChangeLogResult, ChangeSummary, ClassifiedRow } from './types.ts';

const KEYS = ['date', 'item', 'before', 'after', 'timing', 'explanation'] as const;

/** The six fields of a row, in the table's column order (what JSON/YAML print and changeLog stores). */
export function toChangeRow(r: ClassifiedRow | ChangeRow): ChangeRow {
  return { date: r.date, item: r.item, before: r.before, after: r.after, timing: r.timing, explanation: r.explanation };
}

function columnTitles(form: string): Record<(typeof KEYS)[number], string> {
  const out = {} as Record<(typeof KEYS)[number], string>;
  for (const k of KEYS) {
    const t = resolveSchemaAt(form, `/changeLog/0/${k}`)?.title;
    out[k] = typeof t === 'string' ? t : k;
  }
  return out;
}

function tableTitle(form: string): string {
  const t = resolveSchemaAt(form, '/changeLog')?.title;
  return typeof t === 'string' ? t : '変更箇所';
}

export interface FormatContext {
  /** Form key (`juten-h30`). */
  form: string;
  lang?: Lang;
}

/** The JSON of `pia diff --format json`; the API answers the same object (plus the version ids). */
export function toDiffJson(result: ChangeLogResult) {
  return {
    rows: result.rows.map(toChangeRow),
    rowDetails: result.rows.map((r) => ({
      path: r.path,
      paths: r.paths,
      kind: r.kind,
      significant: r.significant,
      ...(r.annotation ? { annotation: r.annotation } : {}),
    })),
    summary: result.summary,
    findings: result.findings,
  };
}

export function formatJson(result: ChangeLogResult): string {
  return JSON.stringify(toDiffJson(result), null, 2) + '\n';
}

/** Rows ready to paste under `changeLog:` (a YAML sequence). */
export function formatYaml(result: ChangeLogResult): string {
  if (result.rows.length === 0) return '[]\n';
  return stringify(result.rows.map(toChangeRow), { lineWidth: 0, blockQuote: 'literal' });
}

/**
 * The one blank convention per format (docs/diff.md「空欄の表記」): an empty 記載 is 「—」 in text and
 * Markdown (a visible mark: a cell of spaces cannot be told from a cell the printer lost) and "" in JSON/YAML.
 */
export const BLANK = '—';

const mdCell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>') || BLANK;

export function formatMarkdown(result: ChangeLogResult, ctx: FormatContext): string {
  const lang = ctx.lang ?? 'ja';
  const t = columnTitles(ctx.form);
  const lines = [`## ${tableTitle(ctx.form)}`, ''];
  if (result.rows.length === 0) lines.push(pick(lang, '変更はありません。', 'No changes.'), '');
  else {
    lines.push(`| ${KEYS.map((k) => t[k]).join(' | ')} |`, `|${KEYS.map(() => '---').join('|')}|`);
    for (const r of result.rows) {
      lines.push(`| ${KEYS.map((k) => mdCell(k === 'date' ? formatWareki(r.date) : r[k])).join(' | ')} |`);
    }
    lines.push('');
  }
  const s = result.summary;
  lines.push(`### ${pick(lang, '結果', 'Result')}`, '');
  lines.push(`- ${countsLine(result, lang)}`, `- ${reassessLine(result, lang)}`, ...s.consequences.map((c) => `- ${c}`), '');
  if (s.procedure.length) {
    lines.push(`### ${procedureTitle(result, lang)}`, '');
    s.procedure.forEach((p, i) => lines.push(`${i + 1}. ${procedureLine(p, lang)}`));
    lines.push('');
  }
  if (result.findings.length) {
    lines.push(`### ${pick(lang, '指摘', 'Findings')}`, '');
    for (const f of result.findings) lines.push(`- ${findingLine(f, lang)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? l : pad + l))
    .join('\n');
}

export function formatText(result: ChangeLogResult, ctx: FormatContext): string {
  const lang = ctx.lang ?? 'ja';
  const t = columnTitles(ctx.form);
  const width = Math.max(...KEYS.map((k) => [...t[k]].length));
  const label = (s: string) => s + '\u3000'.repeat(Math.max(0, width - [...s].length));
  const pad = '    ' + '\u3000'.repeat(width) + '  ';
  const out: string[] = [`${tableTitle(ctx.form)} (${result.summary.form}) ${pick(lang, `${groupDigits(result.rows.length)} 件`, `${groupDigits(result.rows.length)} row(s)`)}`];
  result.rows.forEach((r, i) => {
    out.push('');
    out.push(`${String(i + 1).padStart(2)}. ${r.item}`);
    for (const k of ['date', 'before', 'after', 'timing', 'explanation'] as const) {
      const v = k === 'date' ? formatWareki(r.date) : r[k];
      out.push(`    ${label(t[k])}  ${indent(v || BLANK, pad)}`);
    }
    out.push(`    ${pick(lang, 'ポインタ', 'pointer')}: ${r.path}`);
  });
  out.push('', ...summaryLines(result, lang));
  if (result.findings.length) {
    out.push('', pick(lang, '指摘:', 'Findings:'));
    for (const f of result.findings) out.push(`  ${findingLine(f, lang)}`);
  }
  return out.join('\n') + '\n';
}

function countsLine(result: ChangeLogResult, lang: Lang): string {
  const s = result.summary;
  return pick(
    lang,
    `重要な変更による評価の再実施 ${groupDigits(s.significantRows)} 件 / 重要な変更にあたらない ${groupDigits(s.exceptionRows)} 件 / その他の項目の変更 ${groupDigits(s.otherRows)} 件`,
    `significant ${s.significantRows} / excepted ${s.exceptionRows} / other ${s.otherRows}`,
  );
}

function reassessLine(result: ChangeLogResult, lang: Lang): string {
  return result.summary.needsReassessment
    ? pick(lang, '評価の再実施が必要です (変更の前に)。', 'The assessment must be carried out again (before the change).')
    : pick(lang, '評価の再実施は不要です (評価書の修正)。', 'No re-assessment is needed (a revision of the document).');
}

function procedureTitle(result: ChangeLogResult, lang: Lang): string {
  const s = result.summary;
  const org = s.organizationType ? pick(lang, `、${s.organizationType}`, `, ${s.organizationType}`) : '';
  return pick(lang, `手続 (${s.form}${org})`, `Procedure (${s.form}${org})`);
}

function procedureLine(p: ChangeSummary['procedure'][number], lang: Lang): string {
  return `${p.step}${p.required ? '' : pick(lang, ' 【任意】', ' (optional)')}${p.note ? ` — ${p.note}` : ''}`;
}

function summaryLines(result: ChangeLogResult, lang: Lang): string[] {
  const s = result.summary;
  const out = [pick(lang, '結果:', 'Result:'), `  ${countsLine(result, lang)}`, `  ${reassessLine(result, lang)}`];
  for (const c of s.consequences) out.push(`  ${c}`);
  if (s.procedure.length) {
    out.push(`${procedureTitle(result, lang)}:`);
    s.procedure.forEach((p, i) => out.push(`  ${i + 1}. ${procedureLine(p, lang)}`));
  }
  return out;
}

const SEVERITY: Record<Diagnostic['severity'], [string, string]> = {
  error: ['エラー', 'error'],
  warning: ['警告', 'warning'],
  info: ['情報', 'info'],
};

function findingLine(f: Diagnostic, lang: Lang): string {
  const where = [f.source, f.line].filter((x) => x !== undefined && x !== '').join(':');
  const tag = f.consequence ? ` ${consequenceTag(f.consequence, lang)}` : '';
  return `${pick(lang, ...SEVERITY[f.severity])} ${f.code}${where ? ` (${where})` : ''}: ${f.message}${tag}`;
}

export const FORMATS = ['text', 'json', 'md', 'yaml'] as const;
export type DiffFormat = (typeof FORMATS)[number];

export function formatChangeLog(result: ChangeLogResult, format: DiffFormat, ctx: FormatContext): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'yaml':
      return formatYaml(result);
    case 'md':
      return formatMarkdown(result, ctx);
    default:
      return formatText(result, ctx);
  }
}

/** Findings as text lines, for stderr when stdout carries YAML/Markdown rows. */
export function formatFindings(findings: readonly Diagnostic[], lang: Lang = 'ja'): string {
  return findings.map((f) => findingLine(f, lang)).join('\n') + (findings.length ? '\n' : '');
}
