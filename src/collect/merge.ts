// pia collect merge: partial snapshots (one per source) → one snapshot. Lists are joined by their natural key
// (systems, data stores and contractors by name; accounts by id; connections by destination; fields by
// column), objects are merged field by field, and a fact given twice with different values is an error that
// names both sources — never a silent choice, because either could be the stale one.
import { InputError } from '../errors.ts';
import { normalizeName } from '../check/names.ts';
import { appendPointer } from '../pointer.ts';
import type { Provenance, Unattributed } from './provenance.ts';
import type { PartialSnapshot, Rec } from './snapshot-builder.ts';

export interface MergeInput {
  /** File name (messages). */
  source: string;
  snapshot: Rec;
}

type KeyFn = (x: Rec) => string | undefined;
const byName: KeyFn = (x) => (typeof x.name === 'string' ? normalizeName(x.name) : undefined);

/** Keyed lists, by the path of their parent with indexes replaced by '*'. */
const KEYS: Readonly<Record<string, KeyFn>> = {
  '/systems': byName,
  '/systems/*/accounts': (x) => (typeof x.id === 'string' ? x.id : undefined),
  '/systems/*/connections': (x) => (typeof x.to === 'string' ? normalizeName(x.to) : undefined),
  '/dataStores': byName,
  '/dataStores/*/fields': (x) => (typeof x.column === 'string' ? x.column : undefined),
  '/contractors': byName,
  '/contractors/*/subcontractors': byName,
  '/provisions': (x) => `${String(x.kind)}:${normalizeName(String(x.to))}`,
  '/incidents': (x) => `${String(x.date)}:${String(x.summary ?? '')}`,
};
/** Lists of plain values: the union. */
const SETS = new Set(['/systems/*/aliases']);

const LABELS: Record<string, string> = {
  systems: 'システム',
  dataStores: 'データストア',
  contractors: '委託先',
  provisions: '提供・移転',
  incidents: '事故',
  counts: '計数',
};
const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const shape = (pointer: string) => pointer.replace(/\/\d+(?=\/|$)/g, '/*');

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => equal(x, (b as unknown[])[i]));
  const ka = Object.keys(a as Rec);
  const kb = Object.keys(b as Rec);
  return ka.length === kb.length && ka.every((k) => equal((a as Rec)[k], (b as Rec)[k]));
}

interface Origin {
  input: number;
  pointer: string;
}

class Merger {
  /** merged pointer → where its value was first written (nearest ancestor applies). */
  private readonly origins = new Map<string, Origin>();
  /** per input: its pointer of a keyed element → merged pointer. */
  readonly remaps: Map<string, string>[];
  private readonly provenance: Provenance[][];

  constructor(
    private readonly inputs: MergeInput[],
    /** Later inputs win instead of conflicting (a plan over the live state: the plan is the future). */
    private readonly override = false,
  ) {
    this.remaps = inputs.map(() => new Map());
    this.provenance = inputs.map((i) =>
      Array.isArray(i.snapshot.provenance) ? (i.snapshot.provenance as Provenance[]) : [],
    );
  }

  origin(pointer: string): Origin | undefined {
    let p = pointer;
    for (;;) {
      const o = this.origins.get(p);
      // A subtree copied whole keeps its shape: the rest of the path is the same in the source.
      if (o) return { input: o.input, pointer: o.pointer + pointer.slice(p.length) };
      if (p === '') return undefined;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  /** 「plan.json (terraform-plan, aws_lb_listener.web)」: the input file and the provenance of the fact. */
  describe(o: Origin): string {
    const parts: string[] = [];
    const list = this.provenance[o.input];
    let best: Provenance[] = [];
    let bestLen = -1;
    for (const p of list) {
      if ((o.pointer === p.pointer || o.pointer.startsWith(p.pointer + '/')) && p.pointer.length >= bestLen) {
        if (p.pointer.length > bestLen) best = [];
        best.push(p);
        bestLen = p.pointer.length;
      }
    }
    if (best.length) {
      const p = best[0];
      parts.push(p.kind);
      if (p.source !== this.inputs[o.input].source) parts.push(p.source);
      const addresses = [...new Set(best.map((x) => x.address).filter(Boolean))];
      if (addresses.length) parts.push(addresses.slice(0, 3).join('、'));
    }
    return `${this.inputs[o.input].source}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  conflict(merged: string, a: unknown, b: unknown, incoming: Origin, label: string): never {
    const first = this.origin(merged);
    const fmt = (v: unknown) => (typeof v === 'string' ? `「${v}」` : JSON.stringify(v));
    throw new InputError(
      `ライブ構成を統合できません: ${label} が ${first ? this.describe(first) : '先の入力'} では ${fmt(a)}、` +
        `${this.describe(incoming)} では ${fmt(b)} です。どちらが正しいか確かめ、元の出力 (またはマッピング) を直してください`,
    );
  }

  merge(target: Rec, incoming: Rec, mergedPtr: string, srcPtr: string, input: number, label: string): void {
    for (const [k, v] of Object.entries(incoming)) {
      if (v === undefined) continue;
      const mp = appendPointer(mergedPtr, k);
      const sp = appendPointer(srcPtr, k);
      const here = label ? `${label}.${k}` : (LABELS[k] ?? k);
      const cur = target[k];
      if (cur === undefined) {
        target[k] = structuredClone(v);
        this.origins.set(mp, { input, pointer: sp });
        this.recordRemaps(v, mp, sp, input);
        continue;
      }
      if (Array.isArray(cur) && Array.isArray(v)) this.mergeList(cur, v, mp, sp, input, here);
      else if (isObject(cur) && isObject(v)) this.merge(cur, v, mp, sp, input, here);
      else if (!equal(cur, v)) {
        // The key a list element was matched by may be spelled differently (spaces, full-width): same thing.
        if (
          k === 'name' &&
          typeof cur === 'string' &&
          typeof v === 'string' &&
          normalizeName(cur) === normalizeName(v)
        )
          continue;
        if (!this.override) this.conflict(mp, cur, v, { input, pointer: sp }, here);
        target[k] = structuredClone(v);
        this.origins.set(mp, { input, pointer: sp });
      }
    }
  }

  /** A newly copied subtree: its keyed elements keep their indexes, offset by nothing. */
  private recordRemaps(v: unknown, mp: string, sp: string, input: number): void {
    if (!Array.isArray(v) || !KEYS[shape(mp)]) return;
    const remap = this.remaps[input];
    v.forEach((x, i) => {
      remap.set(appendPointer(sp, i), appendPointer(mp, i));
      if (isObject(x))
        for (const [k, y] of Object.entries(x))
          this.recordRemaps(y, appendPointer(mp, i, k), appendPointer(sp, i, k), input);
    });
  }

  mergeList(cur: unknown[], incoming: unknown[], mp: string, sp: string, input: number, label: string): void {
    const s = shape(mp);
    if (SETS.has(s)) {
      for (const x of incoming) if (!cur.some((y) => equal(x, y))) cur.push(x);
      return;
    }
    const key = KEYS[s];
    if (!key) {
      if (!equal(cur, incoming)) {
        if (!this.override) this.conflict(mp, cur, incoming, { input, pointer: sp }, label);
        cur.splice(0, cur.length, ...structuredClone(incoming));
      }
      return;
    }
    const index = new Map<string, number>();
    cur.forEach((x, i) => {
      const k = isObject(x) ? key(x) : undefined;
      if (k !== undefined) index.set(k, i);
    });
    incoming.forEach((x, j) => {
      const sj = appendPointer(sp, j);
      const k = isObject(x) ? key(x) : undefined;
      const i = k !== undefined ? index.get(k) : undefined;
      if (i === undefined || !isObject(x)) {
        const at = cur.length;
        cur.push(structuredClone(x));
        const mj = appendPointer(mp, at);
        this.origins.set(mj, { input, pointer: sj });
        this.remaps[input].set(sj, mj);
        if (isObject(x))
          for (const [kk, y] of Object.entries(x))
            this.recordRemaps(y, appendPointer(mj, kk), appendPointer(sj, kk), input);
        if (k !== undefined) index.set(k, at);
        return;
      }
      const mi = appendPointer(mp, i);
      this.remaps[input].set(sj, mi);
      // Named as the earlier input spells it (the key matched; spacing may differ).
      const first = cur[i] as Rec;
      const name = [first.name, first.id, first.to, first.column].find((v) => typeof v === 'string') ?? k;
      this.merge(cur[i] as Rec, x, mi, sj, input, `${label}「${String(name)}」`);
    });
  }

  remap(input: number, pointer: string): string {
    const remap = this.remaps[input];
    let p = pointer;
    let rest = '';
    for (;;) {
      const hit = remap.get(p);
      if (hit !== undefined) return hit + rest;
      if (p === '') return pointer;
      const cut = p.lastIndexOf('/');
      rest = p.slice(cut) + rest;
      p = p.slice(0, cut);
    }
  }
}

export function mergeSnapshots(
  inputs: MergeInput[],
  opts: { asOf?: string; override?: boolean } = {},
): PartialSnapshot {
  if (inputs.length === 0) throw new InputError('統合するライブ構成を 1 つ以上指定してください');
  const orgs = inputs.map((i) => i.snapshot.organization);
  const firstOrg = inputs.findIndex((i) => typeof i.snapshot.organization === 'string');
  if (firstOrg < 0) throw new InputError(`${inputs[0].source}: organization (機関ID) がありません`);
  inputs.forEach((inp, i) => {
    if (typeof orgs[i] !== 'string')
      throw new InputError(`${inp.source}: organization (機関ID) がありません`);
    if (orgs[i] !== orgs[firstOrg])
      throw new InputError(
        `ライブ構成を統合できません: 機関ID が ${inputs[firstOrg].source} では「${String(orgs[firstOrg])}」、${inp.source} では「${String(orgs[i])}」です`,
      );
  });
  // asOf: the latest; each fact keeps its own collectedAt in provenance.
  const asOfs = inputs.map((i) => i.snapshot.asOf).filter((x): x is string => typeof x === 'string');
  const asOf = opts.asOf ?? asOfs.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  if (!asOf) throw new InputError(`${inputs[0].source}: asOf (取得日時) がありません`);

  const m = new Merger(inputs, opts.override === true);
  const out: Rec = { organization: orgs[firstOrg], asOf };
  const exporters = [
    ...new Set(inputs.map((i) => i.snapshot.exporter).filter((x): x is string => typeof x === 'string')),
  ];
  out.exporter = exporters.length ? `pia collect merge: ${exporters.join(' + ')}` : 'pia collect merge';
  inputs.forEach((inp, i) => {
    const {
      organization: _o,
      asOf: _a,
      exporter: _e,
      provenance: _p,
      unattributed: _u,
      $schema: _s,
      ...rest
    } = inp.snapshot;
    m.merge(out, rest, '', '', i, '');
  });
  const provenance: Provenance[] = [];
  const unattributed: Unattributed[] = [];
  const seenU = new Set<string>();
  inputs.forEach((inp, i) => {
    for (const p of (inp.snapshot.provenance as Provenance[] | undefined) ?? [])
      provenance.push({ ...p, pointer: m.remap(i, p.pointer) });
    for (const u of (inp.snapshot.unattributed as Unattributed[] | undefined) ?? []) {
      const k = `${u.source}\n${u.address}`;
      if (!seenU.has(k)) {
        seenU.add(k);
        unattributed.push(u);
      }
    }
  });
  if (provenance.length) out.provenance = provenance;
  if (unattributed.length) out.unattributed = unattributed;
  return out as PartialSnapshot;
}
