// Composition root: the functions drivers (cli, api, web) call. Loading, schema validation,
// completeness, consistency and しきい値判断 are joined here; source and line numbers are added here;
// the result is sorted here (report/sort.ts) so every driver prints the same order.
import { CONSISTENCY_RULES, checkDocumentRules } from './consistency/index.ts';
import { DIFF_CODES } from './diff/index.ts';
import {
  fromValue,
  loadDocument,
  loadText,
  LOAD_CODES,
  type LoadedDocument,
  type SourcePosition,
} from './load/index.ts';
import { sortDiagnostics, type RuleDescription } from './report/index.ts';
import {
  findForm,
  getRegistry,
  SCHEMA_CODES,
  unknownFormDiagnostic,
  runSchema,
  type FormInfo,
  type Lang,
  type SchemaRegistry,
} from './schema/index.ts';
import type { Diagnostic, JsonObject } from './types.ts';

export {
  decideThreshold,
  explainThreshold,
  type ThresholdDecision,
  type ThresholdInput,
} from './threshold/index.ts';
export {
  formatDiagnostics,
  REPORT_FORMATS,
  summarize,
  atLeast,
  type ReportFormat,
  type ReportOptions,
} from './report/index.ts';
export { loadDocument, loadText, fromValue, type LoadedDocument } from './load/index.ts';
// Which items of a document apply (the editor greys out the rest): drivers reach it through the engine.
export { evaluateApplicability, type Applicability, type Condition } from './consistency/index.ts';
export {
  formatLabelPath,
  isSignificant,
  containsSignificant,
  labelPath,
  listItems,
  resolveSchemaAt,
  getRegistry,
  type FormInfo,
  type FormItem,
  type Lang,
} from './schema/index.ts';

export interface ValidateOptions {
  /** File name put on every Diagnostic. */
  source?: string;
  lang?: Lang;
  /** Position lookup from the loader, for line numbers. */
  locate?: (pointer: string) => SourcePosition | undefined;
  /** Another schema set (tests). */
  registry?: SchemaRegistry;
}

export interface FileResult {
  source: string;
  /** The form the document declares, when known. */
  form: FormInfo | undefined;
  diagnostics: Diagnostic[];
}

function decorate(diags: Diagnostic[], opts: ValidateOptions): Diagnostic[] {
  for (const d of diags) {
    if (opts.source !== undefined && d.source === undefined) d.source = opts.source;
    if (d.line === undefined && opts.locate) {
      const pos = opts.locate(d.path);
      if (pos) {
        d.line = pos.line;
        d.column = pos.column;
      }
    }
    if (d.related && opts.locate) {
      for (const r of d.related) {
        if (r.line === undefined && r.source === undefined) {
          const pos = opts.locate(r.path);
          if (pos) r.line = pos.line;
        }
      }
    }
  }
  return diags;
}

/**
 * Validate a parsed document (a value from loadDocument/loadText/fromValue): schema, 未記載, consistency,
 * しきい値判断. Returns sorted Diagnostics with source and (when `locate` is given) lines.
 */
export function validateDocument(doc: unknown, opts: ValidateOptions = {}): Diagnostic[] {
  const lang = opts.lang ?? 'ja';
  const registry = opts.registry ?? getRegistry();
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    // Not from the loader (which reports this itself): run it through the same checks.
    return decorate(fromValue(doc as JsonObject, { source: opts.source, lang }).diagnostics, opts);
  }
  const data = doc as JsonObject;
  const form = findForm(data, registry);
  if (!form) return decorate([unknownFormDiagnostic(data, lang, registry)], opts);
  const formRef = opts.registry ? { registry, key: form.key } : form.key;
  const schema = runSchema(formRef, data, lang);
  const rules = form.formId
    ? checkDocumentRules(data, { form: formRef, formId: form.formId, lang, blank: schema.blank })
    : [];
  // A clean document (the common case when validating warm, e.g. the API) returns without copying or sorting.
  const diags = schema.diagnostics.length === 0 ? rules : schema.diagnostics.concat(rules);
  if (diags.length === 0) return diags;
  return sortDiagnostics(decorate(diags, opts));
}

/** Loader findings plus, when the document could be read, everything validateDocument finds. */
export function validateLoaded(
  loaded: LoadedDocument,
  opts: Omit<ValidateOptions, 'source' | 'locate'> = {},
): FileResult {
  const registry = opts.registry ?? getRegistry();
  const diagnostics = [...loaded.diagnostics];
  let form: FormInfo | undefined;
  if (loaded.data) {
    form = findForm(loaded.data, registry);
    diagnostics.push(
      ...validateDocument(loaded.data, { ...opts, source: loaded.source, locate: loaded.locate }),
    );
  }
  return { source: loaded.source, form, diagnostics: sortDiagnostics(diagnostics) };
}

/** Read and validate a file. Throws InputError (exit 2) when the file cannot be read at all. */
export async function validateFile(
  path: string,
  opts: Omit<ValidateOptions, 'locate'> & { cwd?: string } = {},
): Promise<FileResult> {
  const loaded = await loadDocument(path, { lang: opts.lang, cwd: opts.cwd, source: opts.source });
  return validateLoaded(loaded, opts);
}

/** Validate text already in memory (API uploads). */
export function validateText(text: string, opts: Omit<ValidateOptions, 'locate'> = {}): FileResult {
  return validateLoaded(loadText(text, { source: opts.source, lang: opts.lang }), opts);
}

/** Descriptions of every code this engine emits (SARIF rules, docs). Other modules' codes are added by their owners. */
export function describeRules(): Record<string, RuleDescription> {
  const out: Record<string, RuleDescription> = { ...LOAD_CODES, ...SCHEMA_CODES };
  for (const [id, rule] of Object.entries(CONSISTENCY_RULES)) out[`consistency/${id}`] = rule.description;
  // The 変更箇所 judgement's findings reach the same pages and reports (history page, diff --format sarif).
  Object.assign(out, DIFF_CODES);
  return out;
}
