// check: hold a live snapshot against the 評価書 and say, for every difference, what the law makes of it.
// Input problems that make a run meaningless (unreadable files, a snapshot of another organisation, an
// unusable waiver file) are InputErrors (exit 2); a snapshot that does not match its schema is a finding
// (exit 1), reported instead of any drift finding, because facts from a malformed export cannot be trusted.
import { InputError } from '../errors.ts';
import { resolve } from 'node:path';
import { loadDocument, readTextFile, type LoadedDocument, type SourcePosition } from '../load/index.ts';
import { severityOf } from '../report/consequence.ts';
import { sortDiagnostics } from '../report/sort.ts';
import { unknownFormDiagnostic } from '../schema/index.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { Consequence, Diagnostic, Severity } from '../types.ts';
import type { ControlCatalog } from './catalog.ts';
import { createContext, type CheckRule, type RuleFinding } from './context.ts';
import { describeDateProblem, parseUserDate } from '../load/user-dates.ts';

/** Why an asOf the schema let through is still not usable (does not exist, or out of range). */
function describeAsOf(asOf: unknown, lang: 'ja' | 'en'): string {
  const parsed = parseUserDate(asOf);
  const problem = 'problem' in parsed ? parsed.problem : 'nonexistent';
  return describeDateProblem(pick(lang, '取得日時', 'asOf'), asOf, problem, lang);
}
import { loadSnapshotText } from './fast-json.ts';
import { prepareAssessment, type PreparedAssessment } from './prepare.ts';
import { CHECK_RULES } from './rules/index.ts';
import { validateSnapshot } from './snapshot.ts';
import type { Snapshot } from './snapshot-types.ts';
import { applyWaivers, readWaivers, WAIVER_CODES } from './waivers.ts';

export interface CheckInput {
  assessment: LoadedDocument;
  snapshot: LoadedDocument;
  waivers?: LoadedDocument;
  lang?: Lang;
  /** Another rule set (tests). */
  rules?: Readonly<Record<string, CheckRule>>;
  catalog?: ControlCatalog;
}

export interface CheckSummary {
  /** Findings not waived, by severity. */
  error: number;
  warning: number;
  info: number;
  /** Waived findings (reported, not failing). */
  waived: number;
  /** Findings not waived, by consequence. */
  consequences: Partial<Record<Consequence, number>>;
}

export interface CheckResult {
  /** Sorted by (consequence weight, source, path, code): report/sort.ts. */
  diagnostics: Diagnostic[];
  /** False when the inputs could not be compared (unreadable YAML, unknown form, invalid snapshot). */
  compared: boolean;
  summary: CheckSummary;
  /** The snapshot's asOf, when it was valid. */
  asOf?: string;
}

export function summarizeCheck(diags: readonly Diagnostic[]): CheckSummary {
  const s: CheckSummary = { error: 0, warning: 0, info: 0, waived: 0, consequences: {} };
  for (const d of diags) {
    if (d.waived) {
      s.waived++;
      continue;
    }
    s[d.severity]++;
    if (d.consequence) s.consequences[d.consequence] = (s.consequences[d.consequence] ?? 0) + 1;
  }
  return s;
}

/**
 * A finding's severity is its consequence's (report/consequence.ts), whatever the rule or the waiver code
 * declared: the one place that decides whether a drift fails the run. Findings without a consequence (load
 * errors, a snapshot that does not match its schema) keep their own.
 */
function withConsequenceSeverity(d: Diagnostic): Diagnostic {
  if (!d.consequence) return d;
  const severity = severityOf(d.consequence);
  return severity === d.severity ? d : Object.assign({}, d, { severity });
}

function finish(diags: Diagnostic[], asOf?: string): CheckResult {
  const diagnostics = sortDiagnostics(diags.map(withConsequenceSeverity));
  return {
    diagnostics,
    compared: asOf !== undefined,
    summary: summarizeCheck(diagnostics),
    ...(asOf ? { asOf } : {}),
  };
}

/** Where findings point: the 評価書 (for its items) and the snapshot (for the facts). */
interface Sources {
  source: string;
  locate: (pointer: string) => SourcePosition | undefined;
  snapshot: LoadedDocument;
  snapshotSource: string;
}

function toDiagnostic(
  code: string,
  severity: Severity,
  f: RuleFinding,
  prepared: PreparedAssessment,
  at: Sources,
): Diagnostic {
  const line = at.locate(f.path)?.line;
  const label = prepared.labelOf(f.path);
  return {
    code,
    severity: f.severity ?? severity,
    message: f.message,
    path: f.path,
    ...(label ? { label } : {}),
    source: at.source,
    ...(line ? { line } : {}),
    consequence: f.consequence,
    ...(f.related?.length
      ? {
          related: f.related.map((p) => {
            const l = at.snapshot.locate(p)?.line;
            return { source: at.snapshotSource, path: p, ...(l ? { line: l } : {}) };
          }),
        }
      : {}),
  };
}

/** Positions of many snapshot pointers in one pass, when the snapshot came the JSON way (fast-json.ts). */
function prefetch(snapshot: LoadedDocument, pointers: string[]): void {
  if (pointers.length) (snapshot as { prefetch?: (p: Iterable<string>) => void }).prefetch?.(pointers);
}

export interface CheckPreparedOptions {
  waivers?: LoadedDocument;
  lang?: Lang;
  /** The snapshot's name in findings (default: the LoadedDocument's source; 'snapshot' for text). */
  snapshotSource?: string;
  /** Positions in the 評価書 file, and its name in findings (default: those given to prepareAssessment). */
  locate?: (pointer: string) => SourcePosition | undefined;
  source?: string;
  /** Another rule set (tests). */
  rules?: Readonly<Record<string, CheckRule>>;
}

/** The rule set's entries, listed once rather than per check. */
const CHECK_RULE_ENTRIES = Object.entries(CHECK_RULES);

/**
 * Check a snapshot against a prepared 評価書 (prepare.ts). `snapshot` is a loaded document or its text
 * (JSON takes the fast path of fast-json.ts). Throws InputError for input that makes the run meaningless
 * (exit 2). The result is the same as checkAssessment's for the same documents.
 */
export function checkPrepared(
  prepared: PreparedAssessment,
  snapshotInput: LoadedDocument | string,
  opts: CheckPreparedOptions = {},
): CheckResult {
  const lang = opts.lang ?? 'ja';
  const snapshot =
    typeof snapshotInput === 'string'
      ? loadSnapshotText(snapshotInput, { source: opts.snapshotSource ?? 'snapshot', lang })
      : snapshotInput;
  const at: Sources = {
    source: opts.source ?? prepared.source,
    locate: opts.locate ?? prepared.locate,
    snapshot,
    snapshotSource: opts.snapshotSource ?? snapshot.source,
  };
  const loadFindings = [...prepared.diagnostics, ...snapshot.diagnostics];
  if (!snapshot.data) return finish(loadFindings);

  const { doc, form, declared } = prepared;
  if (!form || !declared) {
    return finish([
      ...loadFindings,
      Object.assign({}, unknownFormDiagnostic(doc, lang), {
        source: at.source,
        line: at.locate('/form')?.line ?? 1,
      }),
    ]);
  }

  const invalid = validateSnapshot(snapshot.data, lang);
  prefetch(
    snapshot,
    invalid.map((d) => d.path),
  );
  const schemaFindings = invalid.map((d) => {
    const line = snapshot.locate(d.path)?.line;
    return Object.assign({}, d, { source: at.snapshotSource, ...(line ? { line } : {}) });
  });
  const snap = snapshot.data as unknown as Snapshot;
  // One parse of asOf for the check and the context: when parseUserDate accepts it, toEpochMs gives the
  // same instant (both read a date as the start of its JST day and a date-time with Date.parse).
  const asOf = parseUserDate(snap.asOf);
  if (schemaFindings.length === 0 && 'problem' in asOf) {
    const line = snapshot.locate('/asOf')?.line;
    schemaFindings.push({
      code: 'check/snapshot-schema',
      severity: 'error',
      path: '/asOf',
      source: at.snapshotSource,
      ...(line ? { line } : {}),
      message: describeAsOf(snap.asOf, lang),
    });
  }
  if (schemaFindings.length) return finish([...loadFindings, ...schemaFindings]);

  if (declared.organizationId && snap.organization !== declared.organizationId) {
    throw new InputError(
      pick(
        lang,
        `ライブ構成の機関ID「${snap.organization}」が評価書の機関ID「${declared.organizationId}」と一致しません。別の機関のライブ構成を指定していないか確認してください`,
        `The snapshot is for organisation "${snap.organization}", the assessment for "${declared.organizationId}"`,
      ),
      at.snapshotSource,
    );
  }
  const waivers = opts.waivers ? readWaivers(opts.waivers, declared.organizationId, lang) : [];

  const ctx = createContext(prepared, snap, lang, 'ms' in asOf ? asOf.ms : undefined);
  const raw: { id: string; rule: CheckRule; finding: RuleFinding }[] = [];
  for (const [id, rule] of opts.rules ? Object.entries(opts.rules) : CHECK_RULE_ENTRIES) {
    for (const finding of rule.run(ctx)) raw.push({ id, rule, finding });
  }
  // One pass over a large JSON snapshot for every position the findings cite (see fast-json.ts).
  prefetch(
    snapshot,
    raw.flatMap((r) => r.finding.related ?? []),
  );
  const findings = raw.map(({ id, rule, finding }) =>
    toDiagnostic(`check/${id}`, rule.severity, finding, prepared, at),
  );
  const waived = opts.waivers
    ? applyWaivers(findings, waivers, {
        asOfDay: ctx.asOfDay,
        source: opts.waivers.source,
        locate: opts.waivers.locate,
        lang,
      })
    : findings;
  return finish([...loadFindings, ...waived], snap.asOf);
}

/** Check loaded documents. Throws InputError for input that makes the run meaningless (exit 2). */
export function checkAssessment(input: CheckInput): CheckResult {
  const { assessment, snapshot } = input;
  // Nothing to prepare from a 評価書 that did not load: its findings (and the snapshot's) are the result.
  if (!assessment.data || !snapshot.data) return finish([...assessment.diagnostics, ...snapshot.diagnostics]);
  const prepared = prepareAssessment(assessment.data, {
    source: assessment.source,
    locate: assessment.locate,
    diagnostics: assessment.diagnostics,
    ...(input.catalog ? { catalog: input.catalog } : {}),
  });
  return checkPrepared(prepared, snapshot, {
    ...(input.waivers ? { waivers: input.waivers } : {}),
    ...(input.lang ? { lang: input.lang } : {}),
    ...(input.rules ? { rules: input.rules } : {}),
  });
}

/**
 * A snapshot may be far larger than a 評価書 (an export of 100,000 accounts is ~25 MB of JSON); the JSON
 * path reads it in well under a second, so its limit is higher than the loader's 10 MB for documents.
 */
export const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024;

export interface CheckFilesOptions {
  assessment: string;
  snapshot: string;
  waivers?: string;
  lang?: Lang;
  cwd?: string;
}

/** Read the files and check. Unreadable files are InputErrors (exit 2). */
export async function checkFiles(opts: CheckFilesOptions): Promise<CheckResult> {
  const load = (path: string) => loadDocument(path, { lang: opts.lang, cwd: opts.cwd });
  const [assessment, snapshot, waivers] = await Promise.all([
    load(opts.assessment),
    readTextFile(
      resolve(opts.cwd ?? process.cwd(), opts.snapshot),
      opts.snapshot,
      opts.lang ?? 'ja',
      MAX_SNAPSHOT_BYTES,
    ).then((text) =>
      loadSnapshotText(text, { source: opts.snapshot, ...(opts.lang ? { lang: opts.lang } : {}) }),
    ),
    opts.waivers ? load(opts.waivers) : Promise.resolve(undefined),
  ]);
  return checkAssessment({ assessment, snapshot, ...(waivers ? { waivers } : {}), lang: opts.lang });
}

/** Descriptions of every code `pia check` emits (SARIF rules, docs). */
export function describeCheckRules(
  rules: Readonly<Record<string, CheckRule>> = CHECK_RULES,
): Record<string, { ja: string; en: string }> {
  const out: Record<string, { ja: string; en: string }> = {
    'check/snapshot-schema': {
      ja: 'ライブ構成がスキーマに合わない',
      en: 'The snapshot does not match its schema',
    },
  };
  for (const [id, rule] of Object.entries(rules)) out[`check/${id}`] = rule.title;
  for (const w of Object.values(WAIVER_CODES)) out[w.code] = w.title;
  return out;
}
