// 「自動確認なし」: the measure blocks of a 評価書 that bind no control. A clean `pia check` says nothing about
// them, and must not be read as "everything was checked"; the check report lists them in a section of its own
// (text and Markdown) — a list, not findings, so a clean run stays clean (exit code and JSON unchanged).
import { prepareAssessment } from '../check/prepare.ts';
import type { LoadedDocument } from '../load/index.ts';
import type { Lang } from '../schema/lang.ts';

export interface UncheckedMeasure {
  pointer: string;
  label?: string;
  line?: number;
  heading?: string;
  system?: string;
  /** An attestation (人による確認の記録) stands in for the automatic check. */
  attestation?: { by?: string; date?: string; expires?: string };
}

export function listUncheckedMeasures(assessment: LoadedDocument): UncheckedMeasure[] {
  if (!assessment.data) return [];
  const prepared = prepareAssessment(assessment.data, {
    source: assessment.source,
    locate: assessment.locate,
  });
  const out: UncheckedMeasure[] = [];
  for (const b of prepared.declared?.measureBlocks ?? []) {
    if (b.controls.length) continue;
    const label = prepared.labelOf(b.pointer);
    const line = assessment.locate(b.pointer)?.line;
    out.push({
      pointer: b.pointer,
      ...(label ? { label } : {}),
      ...(line ? { line } : {}),
      ...(b.heading ? { heading: b.heading } : {}),
      ...(b.system ? { system: b.system } : {}),
      ...(b.attestation
        ? {
            attestation: {
              ...(b.attestation.by ? { by: b.attestation.by } : {}),
              ...(b.attestation.date ? { date: b.attestation.date } : {}),
              ...(b.attestation.expires ? { expires: b.attestation.expires } : {}),
            },
          }
        : {}),
    });
  }
  return out;
}

/** The report section (text or Markdown); empty when every measure binds a control. */
export function formatUncheckedMeasures(
  list: UncheckedMeasure[],
  source: string,
  format: 'text' | 'markdown',
  lang: Lang,
): string {
  if (!list.length) return '';
  const ja = lang !== 'en';
  const attested = list.filter((m) => m.attestation).length;
  const title = ja
    ? `自動確認なし: コントロールを結び付けていない措置 ${list.length} 件 (うち確認記録あり ${attested} 件)。この照合では確かめていません`
    : `Not checked automatically: ${list.length} measure(s) bind no control (${attested} with an attestation); this check did not verify them`;
  const line = (m: UncheckedMeasure) => {
    const where = `${source}${m.line ? `:${m.line}` : ''}`;
    const what = [m.heading, m.label].filter(Boolean).join(' — ') || m.pointer;
    const att = m.attestation
      ? ja
        ? ` (確認記録: ${[m.attestation.by, m.attestation.date].filter(Boolean).join(' ')}${m.attestation.expires ? `、期限 ${m.attestation.expires}` : ''})`
        : ` (attested: ${[m.attestation.by, m.attestation.date].filter(Boolean).join(' ')})`
      : '';
    return { where, what: what + att };
  };
  if (format === 'markdown') {
    return `\n### ${ja ? '自動確認なし' : 'Not checked automatically'}\n\n${title}\n\n${list
      .map((m) => {
        const l = line(m);
        return `- \`${l.where}\` ${l.what.replace(/([\\`*_[\]|<>])/g, '\\$1')}`;
      })
      .join('\n')}\n`;
  }
  return `${title}\n${list.map((m) => `  ${line(m).where} ${line(m).what}`).join('\n')}\n`;
}

/** The section for `pia check` (text/Markdown), reading the 評価書 again: the check result carries no blocks. */
export async function uncheckedSection(
  assessmentPath: string,
  format: 'text' | 'markdown',
  lang: Lang,
  cwd: string,
): Promise<string> {
  const { loadDocument } = await import('../load/index.ts');
  const doc = await loadDocument(assessmentPath, { lang, cwd });
  return formatUncheckedMeasures(listUncheckedMeasures(doc), assessmentPath, format, lang);
}
