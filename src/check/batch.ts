// Many 評価書 in one run (`pia check <dir…>`, `pia portfolio`): which snapshot goes with which 評価書, each
// checked in this one process (schemas compiled once, each file read and parsed once), and one report with a
// section per document and a total, in every report format.
//
// Pairing, in this order (README「複数の評価書をまとめて照合」):
//   1. a manifest (`--manifest`): {documents: [{assessment, live, waivers?, name?}]}, paths relative to it;
//   2. `--live-dir DIR`: DIR/<name>.json, .yaml or .yml, where <name> is the 評価書's directory name
//      (assessments/<name>/assessment.yaml) or, for any other file, its own name without extension;
//   3. beside the 評価書: live.json, live.yaml or live.yml (and waivers.yaml / waivers.json, if present, as
//      its waiver file) in the same directory.
// A document whose files cannot be read is reported in its section and makes the run exit 2; the others
// are still checked.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type * as Sarif from 'sarif';
import {
  addUncheckedToSarifLog,
  formatUncheckedMeasures,
  toUncheckedJson,
  type UncheckedMeasure,
} from '../collect/unchecked.ts';
import { InputError, UsageError } from '../errors.ts';
import { loadDocument, readTextFile, type LoadedDocument } from '../load/index.ts';
import {
  atLeast,
  formatDiagnostics,
  toJsonReport,
  type JsonReport,
  type ReportFormat,
} from '../report/index.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { Consequence, Diagnostic, Severity } from '../types.ts';
import { loadSnapshotText } from './fast-json.ts';
import {
  checkAssessment,
  describeCheckRules,
  MAX_SNAPSHOT_BYTES,
  type CheckResult,
  type CheckSummary,
} from './run.ts';
import { toSarifView } from './sarif-view.ts';

/** File names taken as a 評価書 inside a directory (the same as `pia validate`). */
export const ASSESSMENT_NAMES = ['assessment.yaml', 'assessment.yml', 'assessment.json'] as const;
export const LIVE_NAMES = ['live.json', 'live.yaml', 'live.yml'] as const;
export const WAIVER_NAMES = ['waivers.yaml', 'waivers.yml', 'waivers.json'] as const;
const SNAPSHOT_EXTS = ['.json', '.yaml', '.yml'] as const;

/** One 評価書 of a batch and the files that go with it (paths as the user would write them, relative to cwd). */
export interface CheckJob {
  /** Short name: the directory name of assessments/<name>/assessment.yaml, else the file name. */
  name: string;
  assessment: string;
  /** Undefined when no snapshot was found by the convention (the document is then not compared). */
  live?: string;
  waivers?: string;
}

export interface PairOptions {
  cwd: string;
  liveDir?: string;
  manifest?: string;
  /** Waiver file for every document (--waivers); otherwise waivers.yaml beside each 評価書. */
  waivers?: string;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};
const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The short name of a 評価書 file (see CheckJob.name). */
export function documentName(path: string): string {
  const b = basename(path, extname(path));
  return /^assessment$/i.test(b) ? basename(dirname(resolve(path))) || b : b;
}

/**
 * The 評価書 files named by the arguments: a file as itself; a directory holding assessment.yaml as that
 * document; any other directory as every direct subdirectory holding one (sorted by name).
 */
export function expandAssessments(args: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    if (!isDir(abs)) {
      out.push(arg);
      continue;
    }
    const own = ASSESSMENT_NAMES.find((n) => isFile(join(abs, n)));
    if (own) {
      out.push(join(arg, own));
      continue;
    }
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch {
      throw new InputError('ディレクトリを読めません', arg);
    }
    const found: string[] = [];
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const n = ASSESSMENT_NAMES.find((name) => isFile(join(abs, e, name)));
      if (n) found.push(join(arg, e, n));
    }
    if (found.length === 0)
      throw new InputError(
        `ディレクトリに評価書 (${ASSESSMENT_NAMES.join(' / ')}、またはそれを含むディレクトリ) が見つかりません`,
        arg,
      );
    out.push(...found);
  }
  return out;
}

function besideFile(assessment: string, names: readonly string[], cwd: string): string | undefined {
  const dir = dirname(assessment);
  const n = names.find((name) => isFile(resolve(cwd, dir, name)));
  return n ? join(dir, n) : undefined;
}

/** Jobs from a manifest file (YAML or JSON). Errors in the manifest itself are InputErrors (exit 2). */
export async function readManifest(path: string, cwd: string, lang: Lang = 'ja'): Promise<CheckJob[]> {
  const loaded = await loadDocument(path, { cwd, lang });
  const bad = loaded.diagnostics.find((d) => d.severity === 'error');
  const list = loaded.data?.documents;
  if (!loaded.data || bad || !Array.isArray(list))
    throw new InputError(
      bad?.message ??
        pick(
          lang,
          'マニフェストには documents: の一覧 ({assessment, live, waivers?, name?} の並び) が必要です',
          'A manifest needs a documents: list of {assessment, live, waivers?, name?}',
        ),
      path,
    );
  const base = dirname(path);
  const rel = (p: unknown) => (typeof p === 'string' && p !== '' ? join(base, p) : undefined);
  return list.map((entry, i) => {
    const o =
      entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
    const assessment = rel(o.assessment);
    if (!assessment)
      throw new InputError(
        pick(
          lang,
          `documents[${i}] に assessment (評価書のパス) がありません`,
          `documents[${i}] has no assessment`,
        ),
        path,
      );
    const live = rel(o.live);
    const waivers = rel(o.waivers);
    return {
      name: typeof o.name === 'string' && o.name ? o.name : documentName(assessment),
      assessment,
      ...(live ? { live } : {}),
      ...(waivers ? { waivers } : {}),
    };
  });
}

/** The jobs of `pia check <paths…>` by the pairing convention at the top of this file. */
export async function pairDocuments(
  args: readonly string[],
  opts: PairOptions,
  lang: Lang = 'ja',
): Promise<CheckJob[]> {
  const { cwd } = opts;
  let jobs: CheckJob[];
  if (opts.manifest) {
    if (args.length)
      throw new UsageError(
        pick(lang, '--manifest と評価書の指定は同時に使えません', '--manifest cannot be combined with paths'),
      );
    jobs = await readManifest(opts.manifest, cwd, lang);
  } else {
    jobs = expandAssessments(args, cwd).map((assessment) => {
      const name = documentName(assessment);
      let live: string | undefined;
      if (opts.liveDir) {
        const ext = SNAPSHOT_EXTS.find((e) => isFile(resolve(cwd, opts.liveDir as string, `${name}${e}`)));
        live = ext ? join(opts.liveDir, `${name}${ext}`) : undefined;
      } else live = besideFile(assessment, LIVE_NAMES, cwd);
      const waivers = opts.waivers ?? besideFile(assessment, WAIVER_NAMES, cwd);
      return { name, assessment, ...(live ? { live } : {}), ...(waivers ? { waivers } : {}) };
    });
  }
  if (opts.waivers) for (const j of jobs) j.waivers ??= opts.waivers;
  // Two documents with one name would write over each other's files in a portfolio and confuse a report.
  const seen = new Map<string, number>();
  for (const j of jobs) {
    const n = (seen.get(j.name) ?? 0) + 1;
    seen.set(j.name, n);
    if (n > 1) j.name = `${j.name}-${n}`;
  }
  return jobs;
}

/** Where a document's run ended. */
export type DocumentStatus =
  /** Compared, nothing at or above --fail-on. */
  | 'clean'
  /** Findings at or above --fail-on (including a snapshot that does not match its schema). */
  | 'findings'
  /** A file could not be read (or a snapshot of another organisation, an unusable waiver file): exit 2. */
  | 'unreadable';

export interface DocumentCheck {
  job: CheckJob;
  status: DocumentStatus;
  /** Present unless unreadable. */
  result?: CheckResult;
  /** Why the document could not be checked (unreadable). */
  error?: { message: string; source?: string };
  /** The 評価書 as loaded (to validate and render it without reading it again). */
  assessment?: LoadedDocument;
}

export interface BatchTotal extends CheckSummary {
  documents: number;
  clean: number;
  findings: number;
  unreadable: number;
}

export interface BatchResult {
  documents: DocumentCheck[];
  total: BatchTotal;
  /** 2 if any document could not be read, else 1 if any finding at or above failOn, else 0. */
  exitCode: 0 | 1 | 2;
}

export interface CheckJobOptions {
  cwd: string;
  lang?: Lang;
  failOn?: Severity;
  /** The 評価書 already loaded (the portfolio validates and renders the same object). */
  assessment?: LoadedDocument;
}

function errorOf(e: unknown): { message: string; source?: string } {
  if (e instanceof InputError) return { message: e.message, ...(e.source ? { source: e.source } : {}) };
  if (e instanceof UsageError) return { message: e.message };
  throw e;
}

/** The status a check result gives a document. */
export function statusOf(result: CheckResult, failOn: Severity): DocumentStatus {
  return result.diagnostics.some((d) => !d.waived && atLeast(d.severity, failOn)) ? 'findings' : 'clean';
}

/** Check one document of a batch; never throws for input problems (they become status 'unreadable'). */
export async function checkJob(job: CheckJob, opts: CheckJobOptions): Promise<DocumentCheck> {
  const lang = opts.lang ?? 'ja';
  const failOn = opts.failOn ?? 'error';
  let assessment = opts.assessment;
  try {
    assessment ??= await loadDocument(job.assessment, { cwd: opts.cwd, lang });
    if (!job.live)
      throw new InputError(
        pick(
          lang,
          `ライブ構成が見つかりません (同じディレクトリの ${LIVE_NAMES.join(' / ')}、--live-dir の <名前>.json、またはマニフェストで指定してください)`,
          `No snapshot found (${LIVE_NAMES.join(' / ')} beside it, <name>.json in --live-dir, or a manifest)`,
        ),
        job.assessment,
      );
    const live = job.live;
    const [snapshot, waivers] = await Promise.all([
      readTextFile(resolve(opts.cwd, live), live, lang, MAX_SNAPSHOT_BYTES).then((text) =>
        loadSnapshotText(text, { source: live, lang }),
      ),
      job.waivers ? loadDocument(job.waivers, { cwd: opts.cwd, lang }) : Promise.resolve(undefined),
    ]);
    const result = checkAssessment({ assessment, snapshot, ...(waivers ? { waivers } : {}), lang });
    return { job, status: statusOf(result, failOn), result, assessment };
  } catch (e) {
    return { job, status: 'unreadable', error: errorOf(e), ...(assessment ? { assessment } : {}) };
  }
}

export function totalOf(docs: readonly DocumentCheck[]): BatchTotal {
  const t: BatchTotal = {
    documents: docs.length,
    clean: 0,
    findings: 0,
    unreadable: 0,
    error: 0,
    warning: 0,
    info: 0,
    waived: 0,
    consequences: {},
  };
  for (const d of docs) {
    t[d.status]++;
    const s = d.result?.summary;
    if (!s) continue;
    t.error += s.error;
    t.warning += s.warning;
    t.info += s.info;
    t.waived += s.waived;
    for (const [c, n] of Object.entries(s.consequences) as [Consequence, number][])
      t.consequences[c] = (t.consequences[c] ?? 0) + n;
  }
  return t;
}

export function exitCodeOf(docs: readonly DocumentCheck[]): 0 | 1 | 2 {
  if (docs.some((d) => d.status === 'unreadable')) return 2;
  return docs.some((d) => d.status === 'findings') ? 1 : 0;
}

/**
 * Check every job in this process, one after another (each check is CPU-bound and short; reading the next
 * files overlaps nothing worth a pool). `onDocument` is called after each (progress).
 */
export async function checkBatch(
  jobs: readonly CheckJob[],
  opts: Omit<CheckJobOptions, 'assessment'> & { onDocument?: (d: DocumentCheck, done: number) => void },
): Promise<BatchResult> {
  const documents: DocumentCheck[] = [];
  for (const job of jobs) {
    const d = await checkJob(job, opts);
    // The loaded 評価書 is kept only for callers that need it; a long batch should not hold every document.
    delete d.assessment;
    documents.push(d);
    opts.onDocument?.(d, documents.length);
  }
  return { documents, total: totalOf(documents), exitCode: exitCodeOf(documents) };
}

// ---- the report -----------------------------------------------------------------------------------------

export interface BatchReportOptions {
  lang?: Lang;
  failOn?: Severity;
  cwd?: string;
  /**
   * The 「自動確認なし」 measures of each document (collect/unchecked.ts), by 評価書 path: a section in text
   * and Markdown (compared documents), `unchecked` in JSON, notes and the document's entry in SARIF.
   */
  unchecked?: ReadonlyMap<string, readonly UncheckedMeasure[]>;
}

const CONSEQUENCE_ORDER: readonly Consequence[] = ['要再評価', '重要な変更', '修正', '違反', '情報'];

/** 「帰結: 重要な変更 1 件、違反 3 件 / 免除 1 件」 (the same words as the single-document report). */
export function consequenceText(s: CheckSummary, lang: Lang): string {
  const parts = CONSEQUENCE_ORDER.filter((c) => s.consequences[c]).map((c) => `${c} ${s.consequences[c]} 件`);
  const waived = s.waived ? pick(lang, ` / 免除 ${s.waived} 件`, ` / ${s.waived} waived`) : '';
  if (parts.length === 0) return pick(lang, `帰結: なし${waived}`, `Consequences: none${waived}`);
  return pick(lang, `帰結: ${parts.join('、')}${waived}`, `Consequences: ${parts.join(', ')}${waived}`);
}

export function statusName(status: DocumentStatus, lang: Lang): string {
  return {
    clean: pick(lang, '問題なし', 'clean'),
    findings: pick(lang, '指摘あり', 'findings'),
    unreadable: pick(lang, '読めない', 'unreadable'),
  }[status];
}

/** The files of a document listed in its section (the snapshot is not: see check.ts). */
function filesOf(d: DocumentCheck): string[] {
  return d.result?.compared ? [d.job.assessment, ...(d.job.waivers ? [d.job.waivers] : [])] : [];
}

/** An unreadable document as a finding, for the formats that have only findings (JUnit, SARIF). */
function unreadableDiagnostic(d: DocumentCheck, lang: Lang): Diagnostic {
  return {
    code: 'check/unreadable',
    severity: 'error',
    message: pick(
      lang,
      `照合できません: ${d.error?.message ?? ''}`,
      `Not checked: ${d.error?.message ?? ''}`,
    ),
    path: '',
    source: d.error?.source ?? d.job.assessment,
  };
}

export function totalLine(t: BatchTotal, lang: Lang): string {
  return pick(
    lang,
    `合計: 評価書 ${t.documents} 件 (問題なし ${t.clean}、指摘あり ${t.findings}、読めない ${t.unreadable})。エラー ${t.error} 件、警告 ${t.warning} 件、情報 ${t.info} 件。${consequenceText(t, lang)}`,
    `Total: ${t.documents} documents (${t.clean} clean, ${t.findings} with findings, ${t.unreadable} unreadable). ${t.error} errors, ${t.warning} warnings, ${t.info} info. ${consequenceText(t, lang)}`,
  );
}

function footerOf(d: DocumentCheck, lang: Lang): string {
  if (!d.result) return '';
  return d.result.compared
    ? consequenceText(d.result.summary, lang)
    : pick(
        lang,
        '照合していません: 入力の誤りを直してから再実行してください',
        'Nothing was compared: fix the input and run again',
      );
}

function jsonDocument(d: DocumentCheck, unchecked: readonly UncheckedMeasure[] | undefined) {
  const report: JsonReport | undefined = d.result
    ? toJsonReport(d.result.diagnostics, { files: filesOf(d) })
    : undefined;
  return {
    name: d.job.name,
    assessment: d.job.assessment,
    ...(d.job.live ? { live: d.job.live } : {}),
    ...(d.job.waivers ? { waivers: d.job.waivers } : {}),
    status: d.status,
    ...(d.error ? { error: d.error } : {}),
    ...(d.result
      ? {
          compared: d.result.compared,
          ...(d.result.asOf ? { asOf: d.result.asOf } : {}),
          consequences: d.result.summary.consequences,
          waived: d.result.summary.waived,
        }
      : {}),
    ...(report ? { summary: report.summary, diagnostics: report.diagnostics } : {}),
    ...(unchecked ? toUncheckedJson(unchecked) : {}),
  };
}

/** One report of the whole batch: a section per document and a total, in any report format. */
export function formatCheckBatch(
  format: ReportFormat,
  batch: BatchResult,
  opts: BatchReportOptions = {},
): string {
  const lang = opts.lang ?? 'ja';
  const failOn = opts.failOn ?? 'error';
  const { documents, total } = batch;
  if (format === 'json') {
    return (
      JSON.stringify(
        {
          documents: documents.map((d) => jsonDocument(d, opts.unchecked?.get(d.job.assessment))),
          total,
          exitCode: batch.exitCode,
        },
        null,
        2,
      ) + '\n'
    );
  }
  if (format === 'text' || format === 'markdown') {
    const md = format === 'markdown';
    const parts: string[] = [];
    if (md) parts.push(pick(lang, '# 照合結果 (複数の評価書)\n', '# Check results (several documents)\n'));
    for (const d of documents) {
      const head = `${d.job.name} — ${statusName(d.status, lang)} (${d.job.assessment}${d.job.live ? ` ↔ ${d.job.live}` : ''})`;
      parts.push(md ? `## ${head}\n` : `== ${head} ==`);
      if (!d.result) {
        const where = d.error?.source && d.error.source !== d.job.assessment ? `${d.error.source}: ` : '';
        parts.push(
          pick(
            lang,
            `照合できません: ${where}${d.error?.message ?? ''}`,
            `Not checked: ${where}${d.error?.message ?? ''}`,
          ) + (md ? '\n' : ''),
        );
        continue;
      }
      let body = formatDiagnostics(format, d.result.diagnostics, {
        lang,
        files: filesOf(d),
        failOn,
        rules: describeCheckRules(),
      });
      // Each document's report one level below its section heading.
      if (md) body = body.replace(/^(#{1,4}) /gm, '##$1 ');
      parts.push(body.trimEnd());
      const list = d.result.compared ? opts.unchecked?.get(d.job.assessment) : undefined;
      const unchecked = list ? formatUncheckedMeasures([...list], d.job.assessment, format, lang) : '';
      if (unchecked)
        parts.push(md ? unchecked.replace(/^(#{1,5}) /gm, '#$1 ').trimEnd() : unchecked.trimEnd());
      parts.push(footerOf(d, lang) + (md ? '\n' : ''));
      if (!md) parts.push('');
    }
    const line = totalLine(total, lang);
    parts.push(md ? `## ${pick(lang, '合計', 'Total')}\n\n${line}` : line);
    return parts.join('\n') + '\n';
  }
  // JUnit and SARIF are lists of findings by file already: every document's findings (an unreadable
  // document as one finding), every 評価書 listed so that clean ones show, the total in the format's own
  // counters (JUnit testsuites) or in the run's property bag (SARIF).
  const diags: Diagnostic[] = [];
  const files: string[] = [];
  for (const d of documents) {
    if (d.result) diags.push(...d.result.diagnostics);
    else diags.push(unreadableDiagnostic(d, lang));
    files.push(...(d.result ? filesOf(d) : [d.error?.source ?? d.job.assessment]));
  }
  const rules = Object.assign({}, describeCheckRules(), {
    'check/unreadable': {
      ja: '評価書またはライブ構成を読めない',
      en: 'A file of the document cannot be read',
    },
  });
  if (format === 'junit') return formatDiagnostics('junit', diags, { lang, files, failOn, rules });
  const sarif = JSON.parse(
    formatDiagnostics('sarif', toSarifView(diags), {
      lang,
      files,
      failOn,
      rules,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    }),
  ) as Sarif.Log;
  for (const d of documents) {
    const list = opts.unchecked?.get(d.job.assessment);
    if (list)
      addUncheckedToSarifLog(sarif, list, d.job.assessment, {
        lang,
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
        runProperties: false,
      });
  }
  const run = sarif.runs[0];
  if (run)
    run.properties = Object.assign({}, run.properties ?? {}, {
      documents: documents.map((d) => {
        const list = opts.unchecked?.get(d.job.assessment);
        return {
          name: d.job.name,
          assessment: d.job.assessment,
          status: d.status,
          ...(d.result ? { summary: d.result.summary } : { error: d.error?.message }),
          ...(list ? toUncheckedJson(list) : {}),
        };
      }),
      total,
    });
  return JSON.stringify(sarif, null, 2) + '\n';
}
