// What every rule receives: the declared model (from the 評価書), the snapshot with indexes by name, the
// as-of time, and the one place that turns a pointer into a consequence from the schema's ※ marks.
import { InternalError } from '../errors.ts';
import { groupDigits } from '../report/number.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { FormInfo } from '../schema/registry.ts';
import type { Consequence, JsonObject, Severity } from '../types.ts';
import type { ControlCatalog } from './catalog.ts';
import { getChoices, type Choices } from './choices.ts';
import { jstDay, toEpochMs } from './dates.ts';
import type { DeclaredFile, DeclaredModel, DeclaredSystem } from './declared.ts';
import type { DeclaredIndex, PreparedAssessment } from './prepare.ts';
import { mentions, nameKeys, normalizeName, sameName } from './names.ts';
import type { Snapshot, SnapshotContractor, SnapshotDataStore, SnapshotSystem } from './snapshot-types.ts';

export interface At<T> {
  value: T;
  /** JSON Pointer into the snapshot. */
  pointer: string;
}

/** One finding as a rule returns it; the runner adds code, severity default, source, lines and label. */
export interface RuleFinding {
  /** JSON Pointer into the 評価書 (the item the finding is about). */
  path: string;
  /** JSON Pointers into the snapshot (the facts that show it). */
  related?: string[];
  message: string;
  consequence: Consequence;
  /** Overrides the rule's default severity. */
  severity?: Severity;
}

export interface CheckRule {
  /** = file name under src/check/rules/; the finding code is `check/<id>`. */
  id: string;
  severity: Severity;
  /** One line for SARIF rule descriptions and the README. */
  title: { ja: string; en: string };
  run(ctx: CheckContext): RuleFinding[];
}

/** A key of CheckContext.memo: one per computation shared by several rules, typed by its result. */
export class MemoKey<T> {
  declare private readonly result: T;
  constructor(readonly name: string) {}
}

export interface CheckContext {
  lang: Lang;
  form: FormInfo;
  doc: JsonObject;
  snapshot: Snapshot;
  asOfMs: number;
  /** The JST day of asOf (YYYY-MM-DD). */
  asOfDay: string;
  declared: DeclaredModel;
  /** The 評価書 side, derived once (prepare.ts): bindings, name indexes, labels. */
  prepared: PreparedAssessment;
  /** prepared.index (always there once the form is known). */
  index: DeclaredIndex;
  catalog: ControlCatalog;
  choices: Choices;
  systems: At<SnapshotSystem>[];
  dataStores: At<SnapshotDataStore>[];
  contractors: At<SnapshotContractor>[];
  /** Japanese or English, whichever the run asked for. */
  t(ja: string, en: string): string;
  /** 重要な変更 when the item (or, with `block`, anything inside it) is ※ in the form; otherwise 修正. */
  consequenceOf(pointer: string, block?: boolean): '重要な変更' | '修正';
  findSnapshotSystem(name: string): At<SnapshotSystem> | undefined;
  findDeclaredSystem(system: SnapshotSystem): DeclaredSystem | undefined;
  /** The 評価書 file a snapshot data store holds (by name; the only file when there is one). */
  fileOf(fileName: string | undefined): DeclaredFile | undefined;
  storesOf(file: DeclaredFile): At<SnapshotDataStore>[];
  /** Snapshot systems that hold a file (through its data stores), in snapshot order. */
  systemsHolding(file: DeclaredFile): At<SnapshotSystem>[];
  /** Data stores whose `system` names this system (or one of its aliases), in snapshot order. */
  storesOfSystem(system: At<SnapshotSystem>): At<SnapshotDataStore>[];
  /**
   * A result several rules of this check share (contractor matching, control bindings, staff counts),
   * computed on first use and held by this context. Not a module-level WeakMap keyed by the context: V8's
   * scavenger keeps a WeakMap's young values through one more scavenge after their key died, so each
   * check's memos were copied once more. Measured 2026-12-06 (API server, one check per request, ~50
   * requests per scavenge): objects surviving a scavenge 2.2 MB → 0.6 MB, scavenge pause 4.2 → 2.7 ms and
   * its background work 3.6 → 1.8 ms (test: test/check/controls.test.ts).
   */
  memo<T>(key: MemoKey<T>, compute: () => T): T;
}

function indexed<T>(list: T[] | undefined, base: string): At<T>[] {
  const out: At<T>[] = [];
  if (list) for (let i = 0; i < list.length; i++) out.push({ value: list[i], pointer: `${base}/${i}` });
  return out;
}

function groupBy<T>(list: T[], key: (x: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    if (k === undefined) continue;
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/** The context of one check: a prepared 評価書 (with a known form) and a valid snapshot. */
export function createContext(
  prepared: PreparedAssessment,
  snapshot: Snapshot,
  lang: Lang,
  /** toEpochMs(snapshot.asOf), when the caller has it already (run.ts). */
  asOf?: number,
): CheckContext {
  const { form, declared, index } = prepared;
  if (!form || !declared || !index) throw new InternalError('createContext: the 評価書 has no known form');
  const asOfMs = asOf ?? toEpochMs(snapshot.asOf) ?? 0;
  const systems = indexed(snapshot.systems, '/systems');
  const dataStores = indexed(snapshot.dataStores, '/dataStores');
  const contractors = indexed(snapshot.contractors, '/contractors');

  const systemsByName = new Map<string, At<SnapshotSystem>>();
  for (const s of systems) {
    for (const n of [s.value.name, ...(s.value.aliases ?? [])]) {
      const key = normalizeName(n);
      if (!systemsByName.has(key)) systemsByName.set(key, s);
    }
  }

  // A snapshot names the same file in each of its data stores: match each distinct name once.
  const filesByName = new Map<string, DeclaredFile | undefined>();
  const fileOf = (fileName: string | undefined): DeclaredFile | undefined => {
    if (fileName) {
      if (filesByName.has(fileName)) return filesByName.get(fileName);
      const hit = index.namedFiles.find((f) => sameName(f.name, fileName));
      // A document with one file: everything in the snapshot is about it, however the export names it.
      const file = hit ?? (declared.files.length === 1 ? declared.files[0] : undefined);
      filesByName.set(fileName, file);
      return file;
    }
    return declared.files.length === 1 ? declared.files[0] : undefined;
  };

  const storesByFile = new Map<number, At<SnapshotDataStore>[]>();
  for (const d of dataStores) {
    const f = fileOf(d.value.file);
    if (!f) continue;
    const list = storesByFile.get(f.index);
    if (list) list.push(d);
    else storesByFile.set(f.index, [d]);
  }
  // Like sameName: an empty name matches nothing.
  const storesBySystemName = groupBy(dataStores, (d) =>
    d.value.system ? normalizeName(d.value.system) : undefined,
  );
  const holding = new Map<number, At<SnapshotSystem>[]>();
  let memos: Map<MemoKey<unknown>, unknown> | undefined;

  return {
    lang,
    form,
    doc: prepared.doc,
    snapshot,
    asOfMs,
    asOfDay: jstDay(asOfMs),
    declared,
    prepared,
    index,
    catalog: prepared.catalog,
    choices: getChoices(),
    systems,
    dataStores,
    contractors,
    t: (ja, en) => pick(lang, ja, en),
    consequenceOf: (pointer, block = false) => prepared.consequenceOf(pointer, block),
    findSnapshotSystem: (name) => {
      for (const key of nameKeys(name)) {
        const hit = systemsByName.get(key);
        if (hit) return hit;
      }
      return undefined;
    },
    findDeclaredSystem(system) {
      const hit = index.systemsByName.get(normalizeName(system.name));
      if (hit || !system.aliases) return hit;
      for (const n of system.aliases) {
        const alias = index.systemsByName.get(normalizeName(n));
        if (alias) return alias;
      }
      return undefined;
    },
    fileOf,
    storesOf: (file) => storesByFile.get(file.index) ?? [],
    systemsHolding(file) {
      let out = holding.get(file.index);
      if (!out) {
        const set = new Set<At<SnapshotSystem>>();
        for (const d of storesByFile.get(file.index) ?? []) {
          const s = d.value.system ? systemsByName.get(normalizeName(d.value.system)) : undefined;
          if (s) set.add(s);
        }
        holding.set(file.index, (out = [...set]));
      }
      return out;
    },
    storesOfSystem(system) {
      const names = [system.value.name, ...(system.value.aliases ?? [])].filter((n) => n);
      if (names.length <= 1)
        return names.length ? (storesBySystemName.get(normalizeName(names[0])) ?? []) : [];
      const keys = new Set(names.map(normalizeName));
      return dataStores.filter((d) => d.value.system && keys.has(normalizeName(d.value.system)));
    },
    memo<T>(key: MemoKey<T>, compute: () => T): T {
      memos ??= new Map();
      if (memos.has(key)) return memos.get(key) as T;
      const value = compute();
      memos.set(key, value);
      return value;
    },
  };
}

/** Does the 基礎 Ⅰ1③ text name this system (or one of its aliases)? */
export function kisoNamesSystem(text: string, system: SnapshotSystem): boolean {
  return [system.name, ...(system.aliases ?? [])].some((n) => mentions(text, n));
}

/** First few names of a list, then 「ほか N 件」: messages stay short when 10,000 accounts fail. */
export function summarize(ctx: CheckContext, names: string[], max = 5): string {
  const shown = names.slice(0, max).join(ctx.t('、', ', '));
  const rest = names.length - max;
  return rest > 0 ? shown + ctx.t(` ほか ${groupDigits(rest)} 件`, ` and ${groupDigits(rest)} more`) : shown;
}

/** Related pointers are capped: SARIF viewers and terminals do not need 10,000 locations. */
export const MAX_RELATED = 20;
