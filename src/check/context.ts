// What every rule receives: the declared model (from the 評価書), the snapshot with indexes by name, the
// as-of time, and the one place that turns a pointer into a consequence from the schema's ※ marks.
import { containsSignificant, isSignificant } from '../schema/navigate.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { FormInfo } from '../schema/registry.ts';
import type { Consequence, JsonObject, Severity } from '../types.ts';
import type { ControlCatalog } from './catalog.ts';
import { getChoices, type Choices } from './choices.ts';
import { jstDay, toEpochMs } from './dates.ts';
import type { DeclaredFile, DeclaredModel, DeclaredSystem } from './declared.ts';
import { mentions, nameVariants, normalizeName, sameName } from './names.ts';
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

export interface CheckContext {
  lang: Lang;
  form: FormInfo;
  doc: JsonObject;
  snapshot: Snapshot;
  asOfMs: number;
  /** The JST day of asOf (YYYY-MM-DD). */
  asOfDay: string;
  declared: DeclaredModel;
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
  /** Snapshot systems that hold a file (through its data stores). */
  systemsHolding(file: DeclaredFile): At<SnapshotSystem>[];
}

function indexed<T>(list: T[] | undefined, base: string): At<T>[] {
  return (list ?? []).map((value, i) => ({ value, pointer: `${base}/${i}` }));
}

export function createContext(args: {
  lang: Lang;
  form: FormInfo;
  doc: JsonObject;
  snapshot: Snapshot;
  declared: DeclaredModel;
  catalog: ControlCatalog;
}): CheckContext {
  const { lang, form, snapshot, declared } = args;
  const asOfMs = toEpochMs(snapshot.asOf) ?? 0;
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

  const fileOf = (fileName: string | undefined): DeclaredFile | undefined => {
    const named = declared.files.filter((f) => f.name !== undefined);
    if (fileName) {
      const hit = named.find((f) => sameName(f.name, fileName));
      if (hit) return hit;
    }
    // A document with one file: everything in the snapshot is about it, however the export names it.
    return declared.files.length === 1 ? declared.files[0] : undefined;
  };

  // Indexes by normalised name: a snapshot of 2,000 systems must not compare every name with every name.
  const declaredByName = new Map<string, DeclaredSystem>();
  for (const d of declared.systems) {
    for (const v of nameVariants(d.name)) {
      const key = normalizeName(v);
      if (!declaredByName.has(key)) declaredByName.set(key, d);
    }
  }

  const storesByFile = new Map<number, At<SnapshotDataStore>[]>();
  for (const d of dataStores) {
    const f = fileOf(d.value.file);
    if (!f) continue;
    const list = storesByFile.get(f.index) ?? [];
    list.push(d);
    storesByFile.set(f.index, list);
  }

  const consequences = new Map<string, '重要な変更' | '修正'>();
  const ctx: CheckContext = {
    lang,
    form,
    doc: args.doc,
    snapshot,
    asOfMs,
    asOfDay: jstDay(asOfMs),
    declared,
    catalog: args.catalog,
    choices: getChoices(),
    systems,
    dataStores,
    contractors,
    t: (ja, en) => pick(lang, ja, en),
    consequenceOf(pointer, block = false) {
      const key = `${block ? 'b' : 'i'}${pointer}`;
      let c = consequences.get(key);
      if (!c) {
        const sig = block ? containsSignificant(form.key, pointer) : isSignificant(form.key, pointer);
        c = sig ? '重要な変更' : '修正';
        consequences.set(key, c);
      }
      return c;
    },
    findSnapshotSystem: (name) => {
      for (const n of nameVariants(name)) {
        const hit = systemsByName.get(normalizeName(n));
        if (hit) return hit;
      }
      return undefined;
    },
    findDeclaredSystem(system) {
      for (const n of [system.name, ...(system.aliases ?? [])]) {
        const hit = declaredByName.get(normalizeName(n));
        if (hit) return hit;
      }
      return undefined;
    },
    fileOf,
    storesOf: (file) => storesByFile.get(file.index) ?? [],
    systemsHolding(file) {
      const out = new Set<At<SnapshotSystem>>();
      for (const d of storesByFile.get(file.index) ?? []) {
        const s = d.value.system ? systemsByName.get(normalizeName(d.value.system)) : undefined;
        if (s) out.add(s);
      }
      return [...out];
    },
  };
  return ctx;
}

/** Does the 基礎 Ⅰ1③ text name this system (or one of its aliases)? */
export function kisoNamesSystem(text: string, system: SnapshotSystem): boolean {
  return [system.name, ...(system.aliases ?? [])].some((n) => mentions(text, n));
}

/** First few names of a list, then 「ほか N 件」: messages stay short when 10,000 accounts fail. */
export function summarize(ctx: CheckContext, names: string[], max = 5): string {
  const shown = names.slice(0, max).join(ctx.t('、', ', '));
  const rest = names.length - max;
  return rest > 0 ? shown + ctx.t(` ほか ${rest} 件`, ` and ${rest} more`) : shown;
}

/** Related pointers are capped: SARIF viewers and terminals do not need 10,000 locations. */
export const MAX_RELATED = 20;
