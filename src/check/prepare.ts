// Everything a check derives from the 評価書 alone, computed once: the declared model, the bound controls
// with their parameters resolved, name indexes, labels and ※ consequences of the items findings cite. A
// server checks many snapshots against one unchanging version (CI posting every hour), so it keeps one
// PreparedAssessment per version and each check then costs only the snapshot's side.
//
// Immutable once made: the model is frozen, and the caches of labels and consequences behind labelOf and
// consequenceOf depend only on the form, so sharing one PreparedAssessment between checks (or concurrent
// requests) is safe.
import type { SourcePosition } from '../load/index.ts';
import { parseUserDate, type DateProblem } from '../load/user-dates.ts';
import { findForm } from '../schema/index.ts';
import {
  containsSignificant,
  formatLabelPath,
  isSignificant,
  labelPath,
  resolveSchemaAt,
} from '../schema/navigate.ts';
import type { FormInfo } from '../schema/registry.ts';
import type { Diagnostic, FormId, JsonObject } from '../types.ts';
import {
  getCatalog,
  resolveParams,
  type ControlCatalog,
  type ControlSpec,
  type ParamValue,
} from './catalog.ts';
import { getChoices } from './choices.ts';
import { CONTROL_EVALUATORS, type ControlEvaluator } from './controls/index.ts';
import {
  collectDeclared,
  type DeclaredAttestation,
  type DeclaredControl,
  type DeclaredEntrustment,
  type DeclaredFile,
  type DeclaredMeasureBlock,
  type DeclaredModel,
  type DeclaredSystem,
} from './declared.ts';
import { nameKeys, normalizeName } from './names.ts';
import { recordItemKeys } from './record-items.ts';
import { connectionMatcher, type ConnectionMatcher } from './rules/connections.ts';

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
  /** The checked 主な記録項目 of each file (by file index). */
  readonly mainItemChoices: ReadonlyMap<number, ReadonlySet<string>>;
  /** The declared connections of each system, ready to match live ones (rules/connections.ts). */
  readonly connectionMatchers: ReadonlyMap<DeclaredSystem, readonly ConnectionMatcher[]>;
}

/** A 確認記録 with its dates read (a check only compares its expiry with the snapshot's asOf). */
export interface PreparedAttestation {
  readonly block: DeclaredMeasureBlock;
  readonly attestation: DeclaredAttestation;
  /** Dates that are not real ones in range (load/user-dates.ts), in the order date, expires. */
  readonly problems: readonly {
    readonly key: 'date' | 'expires';
    readonly value: string;
    readonly problem: DateProblem;
  }[];
}

export interface PreparedAssessment {
  /** The document as given (not copied; a check never changes it). */
  readonly doc: JsonObject;
  /** Undefined when the document names no form we have a schema for (checkPrepared reports that). */
  readonly form?: FormInfo;
  readonly declared?: DeclaredModel;
  readonly index?: DeclaredIndex;
  readonly bindings: readonly PreparedBinding[];
  /** The measure blocks that carry a 確認記録, in document order. */
  readonly attestations: readonly PreparedAttestation[];
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
  /** The 選択肢 (enum) of the item at a pointer of the 評価書, in the schema's order; [] when none. */
  choicesAt(pointer: string): readonly string[];
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
    for (const key of nameKeys(d.name)) {
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
  const mainItemChoices = new Map<number, Set<string>>();
  for (const f of declared.files)
    mainItemChoices.set(f.index, new Set((f.mainItems?.value ?? []).map((m) => m.choice)));
  const choices = getChoices();
  const connectionMatchers = new Map<DeclaredSystem, ConnectionMatcher[]>();
  for (const d of declared.systems)
    connectionMatchers.set(
      d,
      d.connections.map((c) => connectionMatcher(choices, c)),
    );
  return {
    systemsByName,
    entrustmentsByContractor,
    contractorNames,
    namedFiles: declared.files.filter((f) => f.name !== undefined),
    recordItemKeys: recordKeys,
    mainItemChoices,
    connectionMatchers,
  };
}

function prepareAttestations(declared: DeclaredModel): PreparedAttestation[] {
  const out: PreparedAttestation[] = [];
  for (const block of declared.measureBlocks) {
    const attestation = block.attestation;
    if (!attestation) continue;
    const problems: PreparedAttestation['problems'][number][] = [];
    for (const key of ['date', 'expires'] as const) {
      const value = attestation[key];
      const parsed = value === undefined ? undefined : parseUserDate(value, 'date');
      if (value !== undefined && parsed && 'problem' in parsed)
        problems.push({ key, value, problem: parsed.problem });
    }
    out.push({ block, attestation, problems });
  }
  return out;
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
  const enums = new Map<string, readonly string[]>();
  const prepared: PreparedAssessment = {
    doc,
    ...(known ? { form: known } : {}),
    ...(declared ? { declared, index: deepFreeze(indexDeclared(declared)) } : {}),
    bindings: declared ? deepFreezeBindings(prepareBindings(declared, catalog)) : [],
    // Parsing the 確認記録's dates per check was ~2 µs of every check (four dates in kakuu-city-juki).
    attestations: declared ? deepFreeze(prepareAttestations(declared)) : [],
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
    // Resolving the schema node of a pointer (parse, pattern, cache lookup) was ~1 µs per check.
    choicesAt(pointer) {
      if (!known) return [];
      let list = enums.get(pointer);
      if (list === undefined) {
        const e = resolveSchemaAt(known.key, pointer)?.enum;
        enums.set(pointer, (list = Object.freeze(Array.isArray(e) ? [...(e as string[])] : [])));
      }
      return list;
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
