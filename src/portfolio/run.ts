// A city's whole portfolio in one run: every 評価書 under a directory validated, checked against its live
// snapshot, rendered to PDF and its statutory dates listed — each file read and parsed once, the schemas
// compiled once, one browser for all PDFs. A problem with one document is recorded in its row and never
// stops the others.
//
// Documents are found and paired with their snapshots as by `pia check <dir>` (check/batch.ts); a document
// without a snapshot is validated, rendered and dated but not checked (「照合なし」). Rendering of one
// document runs in Chromium while the next is validated and checked here, so the two cores both work.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  historyFromDocuments,
  listDue,
  nextPerAssessment,
  isIsoDate,
  type AssessmentHistory,
  type CheckRunFacts,
  type Obligation,
  type ReviewFacts,
} from '../calendar/index.ts';
import { checkJob, pairDocuments, type CheckJob, type DocumentStatus } from '../check/batch.ts';
import type { CheckSummary } from '../check/run.ts';
import { validateLoaded } from '../engine.ts';
import { InputError } from '../errors.ts';
import { loadDocument, type LoadedDocument } from '../load/index.ts';
import { createPdfRenderer, type PdfRenderer, type PdfRendererOptions } from '../pdf/index.ts';
import { bannerDiagnostics, documentTitle, renderAssessmentHtml } from '../render/index.ts';
import type { Lang } from '../schema/lang.ts';
import { REVIEW_RESULTS } from '../store/types.ts';
import type { JsonObject } from '../types.ts';

/** The row of a document in the summary. */
export type PortfolioStatus = 'エラー' | '要対応' | '注意' | '問題なし';

export interface PortfolioDocument {
  name: string;
  /** The 評価書 path as found (relative to the working directory when the directory was given so). */
  assessment: string;
  live?: string;
  /** 事務の名称 (or the 評価書名); the name when the document could not be read. */
  title: string;
  status: PortfolioStatus;
  /** Problems that kept a step from running (unreadable files, a PDF that failed), in order. */
  errors: string[];
  /** Validation findings by severity; undefined when the 評価書 could not be read. */
  validation?: { error: number; warning: number; info: number };
  /** undefined: no snapshot (not checked). */
  check?: { status: DocumentStatus; compared: boolean; summary?: CheckSummary; asOf?: string };
  /** The first obligation that is not 完了 (calendar/nextPerAssessment), if any. */
  next?: Obligation;
  /** Obligations by state that matter now. */
  overdue: number;
  dueSoon: number;
  undeterminable: number;
  /** File name of the PDF in the output directory, once written. */
  pdf?: string;
}

export interface PortfolioResult {
  asOf: string;
  documents: PortfolioDocument[];
  /** 2 if any document (or its snapshot, or its PDF) could not be processed; 1 if any needs action; else 0. */
  exitCode: 0 | 1 | 2;
}

export interface PortfolioOptions {
  /** Directories (or 評価書 files) as for `pia check`. */
  paths: readonly string[];
  cwd: string;
  /** Where the PDFs and the summary go (created). Relative to cwd. */
  outDir: string;
  /** YYYY-MM-DD. */
  asOf: string;
  lang?: Lang;
  /** Pairing options (check/batch.ts). */
  liveDir?: string;
  manifest?: string;
  /** Skip the PDFs (tests, quick runs): the summary then links none. */
  noPdf?: boolean;
  rendererOptions?: PdfRendererOptions;
  /** A renderer the caller owns (benchmarks); not closed here. */
  renderer?: PdfRenderer;
  /** After each document is complete (rendered or failed). */
  onDocument?: (doc: PortfolioDocument, done: number, total: number) => void;
}

const messageOf = (e: unknown): string => {
  if (e instanceof Error) return e.message;
  return String(e);
};

async function readOptional(path: string, cwd: string, lang: Lang): Promise<JsonObject | undefined> {
  if (!existsSync(resolve(cwd, path))) return undefined;
  const loaded = await loadDocument(path, { cwd, lang });
  const bad = loaded.diagnostics.find((d) => d.severity === 'error');
  if (!loaded.data || bad) throw new InputError(bad?.message ?? '読めません', path);
  return loaded.data;
}

/** The documents' dates as `pia due` reads them: previous.yaml, the 評価書, reviews.yaml beside it. */
async function historyOf(
  job: CheckJob,
  doc: JsonObject,
  cwd: string,
  lang: Lang,
  checkRun: CheckRunFacts | undefined,
): Promise<AssessmentHistory> {
  const dir = dirname(job.assessment);
  const previous = await readOptional(join(dir, 'previous.yaml'), cwd, lang);
  const reviewsDoc = await readOptional(join(dir, 'reviews.yaml'), cwd, lang);
  const reviews: ReviewFacts[] = [];
  if (reviewsDoc) {
    const list = Array.isArray(reviewsDoc.reviews) ? reviewsDoc.reviews : [];
    for (const r of list) {
      const o = (r && typeof r === 'object' && !Array.isArray(r) ? r : {}) as JsonObject;
      if (isIsoDate(o.date) && REVIEW_RESULTS.includes(o.result as never))
        reviews.push({ date: o.date as string, result: o.result as ReviewFacts['result'] });
    }
  }
  const docs = [...(previous ? [{ doc: previous }] : []), { doc }];
  const history = historyFromDocuments({ id: job.name, docs, reviews });
  return checkRun
    ? {
        ...history,
        checkRuns: [{ ...checkRun, versionId: history.versions[history.versions.length - 1].id }],
      }
    : history;
}

function statusOf(d: PortfolioDocument): PortfolioStatus {
  if (d.errors.length || d.check?.status === 'unreadable') return 'エラー';
  if ((d.validation?.error ?? 0) > 0 || d.check?.status === 'findings' || d.overdue > 0) return '要対応';
  if ((d.validation?.warning ?? 0) > 0 || d.dueSoon > 0 || d.undeterminable > 0 || !d.check) return '注意';
  return '問題なし';
}

export function portfolioExitCode(docs: readonly PortfolioDocument[]): 0 | 1 | 2 {
  if (docs.some((d) => d.status === 'エラー')) return 2;
  return docs.some((d) => d.status === '要対応') ? 1 : 0;
}

/** Run the whole portfolio (see the top of this file). Throws only for unusable arguments. */
export async function runPortfolio(opts: PortfolioOptions): Promise<PortfolioResult> {
  const lang = opts.lang ?? 'ja';
  const { cwd } = opts;
  if (!isIsoDate(opts.asOf)) throw new RangeError(`as-of must be YYYY-MM-DD: ${opts.asOf}`);
  const jobs = await pairDocuments(
    opts.paths,
    {
      cwd,
      ...(opts.liveDir ? { liveDir: opts.liveDir } : {}),
      ...(opts.manifest ? { manifest: opts.manifest } : {}),
    },
    lang,
  );
  const outAbs = resolve(cwd, opts.outDir);
  mkdirSync(outAbs, { recursive: true });
  const total = jobs.length;
  const docs: PortfolioDocument[] = [];
  const histories = new Map<string, AssessmentHistory>();
  const renders: Promise<void>[] = [];
  let done = 0;
  const complete = (d: PortfolioDocument) => opts.onDocument?.(d, ++done, total);
  let renderer = opts.renderer;
  const own = !renderer && !opts.noPdf;
  try {
    for (const job of jobs) {
      const d: PortfolioDocument = {
        name: job.name,
        assessment: job.assessment,
        ...(job.live ? { live: job.live } : {}),
        title: job.name,
        status: '問題なし',
        errors: [],
        overdue: 0,
        dueSoon: 0,
        undeterminable: 0,
      };
      docs.push(d);
      let loaded: LoadedDocument;
      try {
        loaded = await loadDocument(job.assessment, { cwd, lang });
      } catch (e) {
        d.errors.push(`評価書を読めません: ${messageOf(e)}`);
        complete(d);
        continue;
      }
      // 1. validation of the document as loaded (the same object is checked and rendered).
      const validated = validateLoaded(loaded, { lang });
      const count = (s: string) => validated.diagnostics.filter((x) => x.severity === s).length;
      d.validation = { error: count('error'), warning: count('warning'), info: count('info') };
      const doc = loaded.data;
      if (!doc) {
        d.errors.push(`評価書として読めません: ${validated.diagnostics[0]?.message ?? ''}`);
        complete(d);
        continue;
      }
      try {
        d.title = documentTitle(doc);
      } catch {
        // keep the name
      }
      // 2. the check, when a snapshot goes with it.
      let checkRun: CheckRunFacts | undefined;
      if (job.live) {
        const c = await checkJob(job, { cwd, lang, assessment: loaded });
        d.check = {
          status: c.status,
          compared: c.result?.compared ?? false,
          ...(c.result ? { summary: c.result.summary } : {}),
          ...(c.result?.asOf ? { asOf: c.result.asOf } : {}),
        };
        if (c.error)
          d.errors.push(`照合できません: ${c.error.source ? `${c.error.source}: ` : ''}${c.error.message}`);
        if (c.result?.asOf)
          checkRun = {
            id: `${job.name}/check`,
            versionId: '',
            createdAt: c.result.asOf,
            diagnostics: c.result.diagnostics,
          };
      }
      // 3. the dates.
      try {
        histories.set(job.name, await historyOf(job, doc, cwd, lang, checkRun));
      } catch (e) {
        d.errors.push(`期限を判定できません: ${messageOf(e)}`);
      }
      // 4. the PDF, queued: Chromium renders while the next document is read here.
      if (opts.noPdf) {
        complete(d);
        continue;
      }
      let html: string;
      try {
        html = renderAssessmentHtml(doc, {
          diagnostics: bannerDiagnostics(validated.diagnostics),
          source: job.assessment,
        });
      } catch (e) {
        d.errors.push(`PDF を出力できません: ${messageOf(e)}`);
        complete(d);
        continue;
      }
      renderer ??= createPdfRenderer({ maxPages: 2, ...opts.rendererOptions });
      const file = `${job.name}.pdf`;
      const title = d.title;
      renders.push(
        renderer
          .renderPdf(html, { title })
          .then((bytes) => {
            writeFileSync(join(outAbs, file), bytes);
            d.pdf = file;
          })
          .catch((e: unknown) => {
            d.errors.push(`PDF を出力できません: ${messageOf(e)}`);
          })
          .finally(() => complete(d)),
      );
    }
    await Promise.all(renders);
  } finally {
    if (own) await renderer?.close();
  }

  const report = listDue([...histories.values()], { asOf: opts.asOf });
  const next = nextPerAssessment(report.obligations);
  for (const d of docs) {
    const mine = report.obligations.filter((o) => o.assessmentId === d.name);
    d.overdue = mine.filter((o) => o.state === '期限超過').length;
    d.dueSoon = mine.filter((o) => o.state === '期限間近').length;
    d.undeterminable = mine.filter((o) => o.state === '判定不能').length;
    const n = next.get(d.name);
    if (n) d.next = n;
    d.status = statusOf(d);
  }
  return { asOf: opts.asOf, documents: docs, exitCode: portfolioExitCode(docs) };
}
