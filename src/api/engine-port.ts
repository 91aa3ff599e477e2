// What the server needs from the engine, as one object. createApp() takes an ApiEngine so that tests can
// pass a stub and the server never reaches past the composition root into a module's internals.
//
// createApiEngine() assembles it from src/engine.ts. render/, diff/ and check/ are imported from their
// public index files until src/engine.ts re-exports them (then only the imports below change).
import { isUtf8 } from 'node:buffer';
import * as core from '../engine.ts';
import {
  checkAssessment,
  checkPrepared,
  describeCheckRules,
  loadSnapshotText,
  prepareAssessment,
  toSarifView,
  type PreparedAssessment,
} from '../check/index.ts';
import { buildChangeLog, type Annotations, type ChangeLogResult } from '../diff/index.ts';
import {
  decodeUtf8,
  FORBIDDEN_KEYS,
  loadTextOffThread,
  MAX_DEPTH,
  prewarmParseWorkers,
  MAX_FILE_BYTES,
} from '../load/index.ts';
import { buildDocumentView, renderDocument, schemasForDocument, type DocumentView } from '../render/index.ts';
import { toJsonReport, type JsonReport, type RuleDescription } from '../report/index.ts';
import {
  findForm,
  formatLabelPath,
  getRegistry,
  labelPath,
  type FormInfo,
  type Lang,
} from '../schema/index.ts';
import type { Diagnostic, JsonObject } from '../types.ts';

export type { ChangeLogResult, DocumentView, JsonReport };
export type LoadedDocument = core.LoadedDocument;
export type ReportFormat = core.ReportFormat;

export interface ApiEngine {
  /** Parse YAML/JSON text (uploads) with line numbers; parse errors are Diagnostics. */
  loadText(text: string, opts: { source?: string; lang?: Lang }): LoadedDocument;
  /**
   * loadText for request bodies: a large text is parsed in a worker thread with a time and memory limit
   * (findings `load/timeout`, `load/resource-limit`), so no body holds the event loop. Throws an error
   * named LoadBusyError when too many parses wait. Absent: bodies are parsed with loadText.
   */
  loadTextAsync?(text: string, opts: { source?: string; lang?: Lang }): Promise<LoadedDocument>;
  /**
   * A live snapshot's text: plain JSON is parsed once and positions are found only for what findings cite
   * (`plainJson`); anything else goes through loadText. Absent: snapshots load like any other body.
   */
  loadSnapshot?(
    text: string,
    /** parsed: JSON.parse(text) already done by the caller (the text is then not parsed again). */
    opts: { source: string; lang?: Lang; parsed?: { value: unknown } },
  ): { doc: LoadedDocument; plainJson: boolean };
  /** Strict UTF-8 (BOM dropped); throws InputError with a hint (Shift_JIS, UTF-16) otherwise. */
  decodeText(bytes: Uint8Array, source: string, lang?: Lang): string;
  /** Limits the loader applies to files; the API applies the same to bodies. */
  limits: { maxBytes: number; maxDepth: number; forbiddenKeys: readonly string[] };
  /** Schema, 未記載, consistency and しきい値判断 findings of a parsed document, sorted. */
  validateDocument(
    doc: JsonObject,
    opts: { source?: string; lang?: Lang; locate?: LoadedDocument['locate'] },
  ): Diagnostic[];
  /** The form a document declares, or undefined. */
  findForm(doc: JsonObject): FormInfo | undefined;
  /** The label path of an item (「Ⅵ 評価実施手続 › 2. … › ③…」), from the schema. */
  labelOf(formKey: string, pointer: string): string;
  decideThreshold(input: core.ThresholdInput, lang?: Lang): core.ThresholdDecision;
  formatDiagnostics(format: ReportFormat, diags: readonly Diagnostic[], opts?: core.ReportOptions): string;
  /** The JSON of `--format json`: `{ summary, diagnostics }`. */
  toJsonReport(diags: readonly Diagnostic[], opts?: core.ReportOptions): JsonReport;
  /** Rule descriptions for SARIF. */
  describeRules(): Record<string, RuleDescription>;
  /** Column titles of the 変更箇所 table, from the schema (`$defs/changeRow`). */
  changeRowTitles(): Record<'date' | 'item' | 'before' | 'after' | 'timing' | 'explanation', string>;
  /** Printable HTML of a document. Absent until the render module is available. */
  renderHtml?(doc: JsonObject, opts: { public?: boolean; diagnostics?: Diagnostic[] }): string;
  /** The view model the printed HTML is made from (sections, rows with pointers). */
  documentView?(doc: JsonObject, opts: { public?: boolean }): DocumentView;
  /** 変更箇所 rows between two versions. Absent until diff/ is available. Throws InputError for different forms. */
  changeLog?(
    oldDoc: JsonObject,
    newDoc: JsonObject,
    opts: {
      lang?: Lang;
      date?: string;
      /** The judgements recorded on the new version (例外, 事前/事後, 理由), as the annotations file holds them. */
      annotations?: Annotations;
      /** The fallback 変更日 when neither `date`, the annotations nor 公表日 give one (a stored version: its save day). */
      today?: () => string;
    },
  ): ChangeLogResult;
  /** A check result as `pia check --format <f>` prints it (SARIF located at the snapshot). */
  formatCheck(
    format: 'json' | 'sarif' | 'junit',
    diags: readonly Diagnostic[],
    opts: {
      lang?: Lang;
      files: string[];
      /** JSON only: fields after `summary` and `diagnostics` (the 「自動確認なし」 list), in one serialisation. */
      extra?: object;
    },
  ): string;
  /** Drift findings of a live snapshot against a document. Absent until check/ is available. */
  checkSnapshot?(
    assessment: LoadedDocument,
    snapshot: LoadedDocument,
    opts: { lang?: Lang },
  ): { diagnostics: Diagnostic[] };
  /**
   * What a check derives from a version alone (its declared model, bound controls, labels), computed once
   * and shared by every later check of the same document: the server keeps one per document hash. Opaque
   * to the server. Absent when the engine has no prepared checks (then checkSnapshot does all the work).
   */
  prepareCheck?(doc: JsonObject): PreparedCheck;
  /** checkSnapshot against a prepared version: the same findings, for the snapshot's side of the work only. */
  checkPrepared?(
    prepared: PreparedCheck,
    snapshot: LoadedDocument,
    opts: { lang?: Lang; source: string },
  ): { diagnostics: Diagnostic[] };
}

/** A version prepared for checks (prepareCheck); only the engine looks inside. */
export type PreparedCheck = { readonly __preparedCheck?: never } & object;

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * decodeUtf8 with a fast path for what nearly every request body is: valid UTF-8. The validation
 * (simdutf) accepts exactly what a fatal TextDecoder does; anything else goes to decodeUtf8, which refuses
 * it with the hint for Shift_JIS or UTF-16.
 */
export function decodeUtf8Fast(bytes: Uint8Array, source: string, lang?: Lang): string {
  if (!isUtf8(bytes)) return decodeUtf8(bytes, source, lang);
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = buf.length >= 3 && buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2];
  return buf.toString('utf8', bom ? 3 : 0);
}

export function createApiEngine(): ApiEngine {
  // The parser's worker thread loads while the server starts, not during the first large request.
  prewarmParseWorkers();
  // Rule descriptions never change: computed on the first SARIF answer, not on every check.
  let checkRules: Record<string, RuleDescription> | undefined;
  const rulesOfCheck = () => (checkRules ??= describeCheckRules());
  return {
    loadText: (text, opts) => core.loadText(text, opts),
    loadTextAsync: (text, opts) => loadTextOffThread(text, opts),
    decodeText: (bytes, source, lang) => decodeUtf8Fast(bytes, source, lang),
    limits: { maxBytes: MAX_FILE_BYTES, maxDepth: MAX_DEPTH, forbiddenKeys: FORBIDDEN_KEYS },
    validateDocument: (doc, opts) => core.validateDocument(doc, opts),
    findForm: (doc) => findForm(doc),
    labelOf: (formKey, pointer) => formatLabelPath(labelPath(formKey, pointer)),
    decideThreshold: (input, lang) => core.decideThreshold(input, lang),
    formatDiagnostics: (format, diags, opts) => core.formatDiagnostics(format, diags, opts),
    toJsonReport: (diags, opts) => toJsonReport(diags, opts),
    describeRules: () => ({ ...core.describeRules(), ...rulesOfCheck() }),
    changeRowTitles: () => {
      const props = (getRegistry().def('changeRow')?.properties ?? {}) as Record<string, { title?: string }>;
      const keys = ['date', 'item', 'before', 'after', 'timing', 'explanation'] as const;
      return Object.fromEntries(keys.map((k) => [k, props[k]?.title ?? k])) as Record<
        (typeof keys)[number],
        string
      >;
    },
    renderHtml: (doc, opts) => renderDocument(doc, schemasForDocument(doc), opts),
    documentView: (doc, opts) => buildDocumentView(doc, schemasForDocument(doc), opts),
    changeLog: (oldDoc, newDoc, opts) => buildChangeLog(oldDoc, newDoc, opts),
    formatCheck: (format, diags, opts) =>
      format === 'json' && opts.extra
        ? // The report of formatJson with the extra fields after it (not parsed back and written again).
          JSON.stringify({ ...toJsonReport(diags, { files: opts.files }), ...opts.extra }, null, 2) + '\n'
        : core.formatDiagnostics(format, format === 'sarif' ? toSarifView(diags) : diags, {
            lang: opts.lang,
            files: opts.files,
            rules: rulesOfCheck(),
          }),
    checkSnapshot: (assessment, snapshot, opts) => checkAssessment({ assessment, snapshot, lang: opts.lang }),
    prepareCheck: (doc) => prepareAssessment(doc),
    checkPrepared: (prepared, snapshot, opts) =>
      checkPrepared(prepared as PreparedAssessment, snapshot, { lang: opts.lang, source: opts.source }),
    loadSnapshot: (text, opts) => {
      const doc = loadSnapshotText(text, opts);
      // The JSON fast path is the one that computes positions on demand.
      return { doc, plainJson: typeof doc.prefetch === 'function' };
    },
  };
}
