// Everything a check derives from the 評価書 alone, computed once: the declared model, the bound controls
// with their parameters resolved, name indexes, labels and ※ consequences of the items findings cite. A
// server checks many snapshots against one unchanging version (CI posting every hour), so it keeps one
// PreparedAssessment per version and each check then costs only the snapshot's side.
//
// Immutable once made: the model is frozen, and the caches of labels and consequences behind labelOf and
// consequenceOf depend only on the form, so sharing one PreparedAssessment between checks (or concurrent
// requests) is safe.
import type { SourcePosition } from '../load/index.ts';
import { findForm } from '../schema/index.ts';
import { containsSignificant, formatLabelPath, isSignificant, labelPath } from '../schema/navigate.ts';
import type { FormInfo } from '../schema/registry.ts';
import type { Diagnostic, FormId, JsonObject } from '../types.ts';
import {
  getCatalog,
  resolveParams,
  type ControlCatalog,
  type ControlSpec,
  type ParamValue,
} from './catalog.ts';
import { CONTROL_EVALUATORS, type ControlEvaluator } from './controls/index.ts';
import {
  collectDeclared,
  type DeclaredControl,
  type DeclaredEntrustment,
  type DeclaredFile,
  type DeclaredMeasureBlock,
  type DeclaredModel,
  type DeclaredSystem,
} from './declared.ts';
import { nameVariants, normalizeName } from './names.ts';
import { recordItemKeys } from './record-items.ts';

/** A control bound in the 評価書, with what the catalog makes of it. */
export interface PreparedBinding {
  readonly block: DeclaredMeasureBlock;
  readonly control: DeclaredControl;
  /** Undefined when the catalog (or the evaluators) do not know the id. */
  readonly spec?: ControlSpec;
  readonly evaluator?: ControlEvaluator;
  /** The parameters with the catalog's defaults filled in. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Parameter problems, in both languages (a check may ask for either). */
  readonly problems: { readonly ja: readonly string[]; readonly en: readonly string[] };
}

/** Indexes of the declared model by normalised name (names.ts), so rules never compare every pair. */
export interface DeclaredIndex {
  /** Declared systems by every name the 評価書 gives them (「…(以下「…」という。)」 defines a second). */
  readonly systemsByName: ReadonlyMap<string, DeclaredSystem>;
  /** 委託事項 by contractor name, in document order. */
  readonly entrustmentsByContractor: ReadonlyMap<
    string,
    readonly { readonly file: DeclaredFile; readonly entrustment: DeclaredEntrustment }[]
  >;
  /** Every contractor the 評価書 names (委託先), as written. */
  readonly contractorNames: readonly string[];
  /** Files that have a name (fileOf matches snapshot file names against them). */
  readonly namedFiles: readonly DeclaredFile[];
  /** Keys of the declared 記録項目 of each file (by file index); see record-items.ts. */
  readonly recordItemKeys: ReadonlyMap<number, ReadonlySet<string>>;
}

export interface PreparedAssessment {
  /** The document as given (not copied; a check never changes it). */
  readonly doc: JsonObject;
  /** Undefined when the document names no form we have a schema for (checkPrepared reports that). */
  readonly form?: FormInfo;
  readonly declared?: DeclaredModel;
  readonly index?: DeclaredIndex;
  readonly bindings: readonly PreparedBinding[];
  readonly catalog: ControlCatalog;
  /** Where findings about the 評価書 point (checkPrepared can override both, e.g. per version). */
  readonly source: string;
  readonly locate: (pointer: string) => SourcePosition | undefined;
  /** Findings of loading the 評価書, reported with every check. */
  readonly diagnostics: readonly Diagnostic[];
  /** The label path of an item (「Ⅱ … › 3. … › 使用者数」), from the schema; '' for the root. */
  labelOf(pointer: string): string;
  /** 重要な変更 when the item (or, with `block`, anything inside it) is ※ in the form; otherwise 修正. */
  consequenceOf(pointer: string, block?: boolean): '重要な変更' | '修正';
}

export interface PrepareOptions {
  /** Name of the 評価書 in findings (default: ''). */
  source?: string;
  /** Positions in the 評価書 file (LoadedDocument.locate); default: none. */
  locate?: (pointer: string) => SourcePosition | undefined;
  /** Findings of loading the 評価書 (LoadedDocument.diagnostics). */
  diagnostics?: readonly Diagnostic[];
  /** Another control catalog (tests). */
  catalog?: ControlCatalog;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function indexDeclared(declared: DeclaredModel): DeclaredIndex {
  const systemsByName = new Map<string, DeclaredSystem>();
  for (const d of declared.systems) {
    for (const v of nameVariants(d.name)) {
      const key = normalizeName(v);
      if (!systemsByName.has(key)) systemsByName.set(key, d);
    }
  }
  const entrustmentsByContractor = new Map<
    string,
    { file: DeclaredFile; entrustment: DeclaredEntrustment }[]
  >();
  const contractorNames: string[] = [];
  for (const file of declared.files) {
    for (const entrustment of file.entrustments) {
      if (!entrustment.contractor) continue;
      contractorNames.push(entrustment.contractor.value);
      const key = normalizeName(entrustment.contractor.value);
      const list = entrustmentsByContractor.get(key) ?? [];
      list.push({ file, entrustment });
      entrustmentsByContractor.set(key, list);
    }
  }
  const recordKeys = new Map<number, Set<string>>();
  for (const f of declared.files)
    recordKeys.set(f.index, new Set((f.recordItems?.value ?? []).flatMap(recordItemKeys)));
  return {
    systemsByName,
    entrustmentsByContractor,
    contractorNames,
    namedFiles: declared.files.filter((f) => f.name !== undefined),
    recordItemKeys: recordKeys,
  };
}

function prepareBindings(declared: DeclaredModel, catalog: ControlCatalog): PreparedBinding[] {
  const out: PreparedBinding[] = [];
  for (const block of declared.measureBlocks) {
    for (const control of block.controls) {
      const spec = catalog.get(control.id);
      // control.id is the document's text: own keys only (toString, constructor… are not controls).
      const evaluator = Object.hasOwn(CONTROL_EVALUATORS, control.id)
        ? CONTROL_EVALUATORS[control.id]
        : undefined;
      if (!spec || !evaluator) {
        out.push({ block, control, params: {}, problems: { ja: [], en: [] } });
        continue;
      }
      const ja = resolveParams(spec, control.params, 'ja');
      // The same problems in English only when there are any (the common case has none).
      const en = ja.problems.length ? resolveParams(spec, control.params, 'en').problems : [];
      out.push({ block, control, spec, evaluator, params: ja.params, problems: { ja: ja.problems, en } });
    }
  }
  return out;
}

/** Prepare a 評価書 for any number of checks (see the top of this file). */
export function prepareAssessment(doc: JsonObject, opts: PrepareOptions = {}): PreparedAssessment {
  const form = findForm(doc);
  const catalog = opts.catalog ?? getCatalog();
  const known = form?.formId ? form : undefined;
  const declared = known ? deepFreeze(collectDeclared(doc, known.formId as FormId, known.key)) : undefined;
  const labels = new Map<string, string>();
  const consequences = new Map<string, '重要な変更' | '修正'>();
  const prepared: PreparedAssessment = {
    doc,
    ...(known ? { form: known } : {}),
    ...(declared ? { declared, index: deepFreeze(indexDeclared(declared)) } : {}),
    bindings: declared ? deepFreezeBindings(prepareBindings(declared, catalog)) : [],
    catalog,
    source: opts.source ?? '',
    locate: opts.locate ?? (() => undefined),
    diagnostics: Object.freeze([...(opts.diagnostics ?? [])]),
    labelOf(pointer) {
      if (!known || !pointer) return '';
      let label = labels.get(pointer);
      if (label === undefined) labels.set(pointer, (label = formatLabelPath(labelPath(known.key, pointer))));
      return label;
    },
    consequenceOf(pointer, block = false) {
      if (!known) return '修正';
      const key = `${block ? 'b' : 'i'}${pointer}`;
      let c = consequences.get(key);
      if (!c) {
        const sig = block ? containsSignificant(known.key, pointer) : isSignificant(known.key, pointer);
        consequences.set(key, (c = sig ? '重要な変更' : '修正'));
      }
      return c;
    },
  };
  return Object.freeze(prepared);
}

/** Bindings are frozen without their catalog entries (shared by every check of the process). */
function deepFreezeBindings(bindings: PreparedBinding[]): readonly PreparedBinding[] {
  for (const b of bindings) {
    deepFreeze(b.params);
    deepFreeze(b.problems);
    Object.freeze(b);
  }
  return Object.freeze(bindings);
}
