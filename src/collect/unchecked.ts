// 「自動確認なし」: the measure blocks of a 評価書 that bind no control. A clean `pia check` says nothing about
// them, and must not be read as "everything was checked": every report of a check carries them — a section
// of its own in text and Markdown, an `unchecked` list (and its count) in JSON and the API's answer, notes
// and run properties in SARIF. A list, never findings: a clean run stays clean (exit code 0).
import { pathToFileURL } from 'node:url';
import { sep } from 'node:path';
import type * as Sarif from 'sarif';
import { prepareAssessment, type PreparedAssessment } from '../check/prepare.ts';
import type { LoadedDocument, SourcePosition } from '../load/index.ts';
import { artifactLocation, SRCROOT } from '../report/index.ts';
import { comparePointers } from '../report/sort.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { JsonObject } from '../types.ts';

export interface UncheckedMeasure {
  pointer: string;
  label?: string;
  line?: number;
  heading?: string;
  system?: string;
  /** An attestation (人による確認の記録) stands in for the automatic check. */
  attestation?: { by?: string; date?: string; expires?: string };
}

/** The measures of a prepared 評価書 that bind no control, sorted by pointer (deterministic output). */
export function uncheckedOfPrepared(
  prepared: PreparedAssessment,
  locate: (pointer: string) => SourcePosition | undefined = prepared.locate,
): UncheckedMeasure[] {
  const out: UncheckedMeasure[] = [];
  for (const b of prepared.declared?.measureBlocks ?? []) {
    if (b.controls.length) continue;
    const label = prepared.labelOf(b.pointer);
    const line = locate(b.pointer)?.line;
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
  return out.sort((a, b) => comparePointers(a.pointer, b.pointer));
}

export function listUncheckedMeasures(assessment: LoadedDocument): UncheckedMeasure[] {
  if (!assessment.data) return [];
  return uncheckedOfPrepared(
    prepareAssessment(assessment.data, { source: assessment.source, locate: assessment.locate }),
  );
}

/** The same list for a document held in memory (the API's stored versions: no lines). */
export function listUncheckedMeasuresOfDocument(doc: JsonObject): UncheckedMeasure[] {
  return uncheckedOfPrepared(prepareAssessment(doc));
}

// ---- JSON (`pia check --format json`, the API's answer) ---------------------------------------------------

export interface UncheckedJsonItem {
  path: string;
  label?: string;
  heading?: string;
  system?: string;
  line?: number;
  /** True when an attestation (人による確認の記録) is recorded for the measure. */
  attested: boolean;
  attestation?: { by?: string; date?: string; expires?: string };
}

export interface UncheckedJson {
  /** Measures that bind no control (this check did not verify them). */
  uncheckedCount: number;
  /** Of those, the ones with an attestation. */
  uncheckedAttested: number;
  unchecked: UncheckedJsonItem[];
}

/** The JSON fields, keys in a fixed order. */
export function toUncheckedJson(list: readonly UncheckedMeasure[]): UncheckedJson {
  return {
    uncheckedCount: list.length,
    uncheckedAttested: list.filter((m) => m.attestation).length,
    unchecked: list.map((m) => ({
      path: m.pointer,
      ...(m.label ? { label: m.label } : {}),
      ...(m.heading ? { heading: m.heading } : {}),
      ...(m.system ? { system: m.system } : {}),
      ...(m.line ? { line: m.line } : {}),
      attested: m.attestation !== undefined,
      ...(m.attestation ? { attestation: m.attestation } : {}),
    })),
  };
}

/** A JSON report (report/json.ts: summary, diagnostics) with the unchecked fields after them. */
export function withUncheckedJson(json: string, list: readonly UncheckedMeasure[]): string {
  const report = JSON.parse(json) as JsonObject;
  return JSON.stringify({ ...report, ...toUncheckedJson(list) }, null, 2) + '\n';
}

// ---- SARIF --------------------------------------------------------------------------------------------------

/** The descriptor of the notes (not a rule: nothing here is a result). */
export const UNCHECKED_NOTIFICATION_ID = 'check/unchecked';

export function uncheckedTitle(list: readonly UncheckedMeasure[], lang: Lang): string {
  const attested = list.filter((m) => m.attestation).length;
  return pick(
    lang,
    `自動確認なし: コントロールを結び付けていない措置 ${list.length} 件 (うち確認記録あり ${attested} 件)。この照合では確かめていません`,
    `Not checked automatically: ${list.length} measure(s) bind no control (${attested} with an attestation); this check did not verify them`,
  );
}

function describeMeasure(m: UncheckedMeasure, lang: Lang): string {
  const what = [m.heading, m.label].filter(Boolean).join(' — ') || m.pointer;
  if (!m.attestation) return what;
  const who = [m.attestation.by, m.attestation.date].filter(Boolean).join(' ');
  return lang === 'en'
    ? `${what} (attested: ${who})`
    : `${what} (確認記録: ${who}${m.attestation.expires ? `、期限 ${m.attestation.expires}` : ''})`;
}

/**
 * SARIF: one tool-execution notification of level "note" per measure (viewers list them apart from the
 * results; the run stays successful and result-free, so code scanning opens no alert), a summary note
 * first, and the same list as JSON in the run's property bag (`unchecked`, `uncheckedCount`) for scripts.
 * Applied to run `runIndex` of a log made by report/sarif.ts.
 */
export function addUncheckedToSarifLog(
  log: Sarif.Log,
  list: readonly UncheckedMeasure[],
  source: string,
  opts: {
    lang?: Lang;
    cwd?: string;
    runIndex?: number;
    /** False for a run of several 評価書 (check/batch.ts puts each list in its document's entry). */
    runProperties?: boolean;
  } = {},
): Sarif.Log {
  const run = log.runs[opts.runIndex ?? 0];
  if (!run) return log;
  const lang = opts.lang ?? 'ja';
  const cwd = opts.cwd ?? process.cwd();
  const location = artifactLocation(source, cwd);
  const notes: Sarif.Notification[] = list.map((m) => ({
    descriptor: { id: UNCHECKED_NOTIFICATION_ID },
    level: 'note',
    message: {
      text: `${pick(lang, '自動確認なし', 'Not checked automatically')}: ${describeMeasure(m, lang)}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: location,
          ...(m.line ? { region: { startLine: m.line } } : {}),
        },
        logicalLocations: [
          { fullyQualifiedName: m.pointer, ...(m.label ? { name: m.label } : {}), kind: 'member' },
        ],
      },
    ],
    properties: { pointer: m.pointer, attested: m.attestation !== undefined },
  }));
  const invocation: Sarif.Invocation = run.invocations?.[0] ?? { executionSuccessful: true };
  invocation.toolExecutionNotifications = [
    ...(invocation.toolExecutionNotifications ?? []),
    ...(list.length
      ? [
          {
            descriptor: { id: UNCHECKED_NOTIFICATION_ID },
            level: 'note' as const,
            message: { text: uncheckedTitle(list, lang) },
            locations: [{ physicalLocation: { artifactLocation: location } }],
          },
        ]
      : []),
    ...notes,
  ];
  run.invocations = [invocation, ...(run.invocations?.slice(1) ?? [])];
  if (location.uriBaseId === SRCROOT && !run.originalUriBaseIds?.[SRCROOT])
    run.originalUriBaseIds = {
      ...(run.originalUriBaseIds ?? {}),
      [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href },
    };
  if (opts.runProperties !== false) run.properties = { ...(run.properties ?? {}), ...toUncheckedJson(list) };
  return log;
}

/** A SARIF text (report/sarif.ts) with the unchecked measures added (addUncheckedToSarifLog). */
export function withUncheckedSarif(
  sarif: string,
  list: readonly UncheckedMeasure[],
  source: string,
  opts: { lang?: Lang; cwd?: string } = {},
): string {
  return (
    JSON.stringify(addUncheckedToSarifLog(JSON.parse(sarif) as Sarif.Log, list, source, opts), null, 2) + '\n'
  );
}

// ---- text and Markdown --------------------------------------------------------------------------------------

/** The report section (text or Markdown); empty when every measure binds a control. */
export function formatUncheckedMeasures(
  list: UncheckedMeasure[],
  source: string,
  format: 'text' | 'markdown',
  lang: Lang,
): string {
  if (!list.length) return '';
  const ja = lang !== 'en';
  const title = uncheckedTitle(list, lang);
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

/** The unchecked measures of the 評価書 at a path (read again: the check result carries no blocks). */
export async function loadUncheckedMeasures(
  assessmentPath: string,
  lang: Lang,
  cwd: string,
): Promise<UncheckedMeasure[]> {
  const { loadDocument } = await import('../load/index.ts');
  return listUncheckedMeasures(await loadDocument(assessmentPath, { lang, cwd }));
}
