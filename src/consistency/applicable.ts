// Evaluates the applicability table (applicability.ts) against one document. Runs on every validation, so
// patterns are compiled once per row and pointers are only built for the blocks that exist.
import type { FormId } from '../types.ts';
import { APPLICABILITY, type ApplicabilityRow, type Condition } from './applicability.ts';

export interface ApplicabilityHit {
  row: ApplicabilityRow;
  /** Concrete pointer of the scope block. */
  scope: string;
  /** Pointer of the deciding item and its value. */
  decidePointer: string;
  value: unknown;
  /** Concrete pointers of the items concerned. */
  items: string[];
  /**
   * The values at `items`, in the same order, read while the table was evaluated: completeness and the
   * *-blank rules test them without parsing each pointer again.
   */
  itemValues: unknown[];
  /** The scope block itself. */
  scopeValue: unknown;
  /** The list indices the scope pattern's `*`s stand for, in order (`[1]` for `/files/1/entrustment`). */
  indices: readonly number[];
}

export interface Applicability {
  notApplicable: ApplicabilityHit[];
  required: ApplicabilityHit[];
  /** Pointer `p` (or an item it lies inside) does not apply. */
  isNotApplicable(pointer: string): boolean;
  /** The not-applicable hits of the rows whose blankRule is `rule`. */
  notApplicableFor(rule: string): ApplicabilityHit[];
  /** Hits of one row (by row id): where its items do not apply, and where they are required. */
  hitsOf(rowId: string): { notApplicable: ApplicabilityHit[]; required: ApplicabilityHit[] };
}

export function testCondition(c: Condition, v: unknown): boolean {
  if ('equals' in c) return v === c.equals;
  if ('oneOf' in c) return typeof v === 'string' && c.oneOf.includes(v);
  if ('checked' in c) return v === true;
  if ('unchecked' in c) return v !== true;
  if (!Array.isArray(v)) return false;
  let has = false;
  for (const e of v)
    if (
      e &&
      typeof e === 'object' &&
      (e as { choice?: unknown }).choice === ('lacks' in c ? c.lacks : c.includes)
    )
      has = true;
  return 'lacks' in c ? v.length > 0 && !has : has;
}

/** Concrete pointers matching a pattern whose `*` tokens stand for array indices. */
export function expandPattern(doc: unknown, pattern: string): string[] {
  return expandCompiled(doc, compilePattern(pattern));
}

/** A pattern split once: raw keys for lookup, escaped keys for building pointers. */
export interface CompiledPattern {
  keys: readonly string[];
  escaped: readonly string[];
}

const patternCache = new Map<string, CompiledPattern>();

export function compilePattern(pattern: string): CompiledPattern {
  let c = patternCache.get(pattern);
  if (!c) {
    const escaped = pattern === '' ? [] : pattern.slice(1).split('/');
    const keys = escaped.map((t) => (t.includes('~') ? t.replace(/~1/g, '/').replace(/~0/g, '~') : t));
    patternCache.set(pattern, (c = { keys, escaped }));
  }
  return c;
}

export function expandCompiled(doc: unknown, pattern: CompiledPattern): string[] {
  const out: string[] = [];
  expandInto(doc, pattern, 0, '', out);
  return out;
}

function expandInto(v: unknown, p: CompiledPattern, i: number, ptr: string, out: string[]): void {
  if (i === p.keys.length) {
    out.push(ptr);
    return;
  }
  const t = p.keys[i];
  if (t === '*') {
    if (Array.isArray(v)) for (let k = 0; k < v.length; k++) expandInto(v[k], p, i + 1, `${ptr}/${k}`, out);
    return;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, t))
    return;
  expandInto((v as Record<string, unknown>)[t], p, i + 1, `${ptr}/${p.escaped[i]}`, out);
}

/** A pointer relative to a scope block, split once: `rel` for building pointers, `keys` for reading. */
interface RelPath {
  rel: string;
  keys: readonly string[];
}

/** A Condition in a form that tests without `in` checks: which kind, and its operand. */
interface TestFn {
  kind: 'equals' | 'oneOf' | 'checked' | 'unchecked' | 'lacks' | 'includes';
  value: string | readonly string[] | undefined;
}

interface CompiledRow {
  row: ApplicabilityRow;
  scope: CompiledPattern;
  /** The literal pieces of the scope pattern between its `*`s, e.g. `/risks` and `/network` (Ⅲ6). */
  scopeSegments: readonly string[];
  /** Rows with the same scope pattern share one expansion per document: its number among the form's. */
  scopeIndex: number;
  decide: RelPath;
  notApplicable: TestFn;
  required: TestFn | undefined;
  items: RelPath[];
  requiredItems: RelPath[];
}

interface CompiledForm {
  rows: CompiledRow[];
  /** How many distinct scope patterns the rows have. */
  scopes: number;
}

const compiled = new Map<FormId, CompiledForm>();
const hasOwn = Object.prototype.hasOwnProperty;
const INDEX = /^(0|[1-9]\d*)$/;

function relPath(r: string): RelPath {
  if (r === '') return { rel: '', keys: [] };
  const { keys, escaped } = compilePattern(`/${r}`);
  return { rel: `/${escaped.join('/')}`, keys };
}

function compileCondition(c: Condition): TestFn {
  if ('equals' in c) return { kind: 'equals', value: c.equals };
  if ('oneOf' in c) return { kind: 'oneOf', value: c.oneOf };
  if ('checked' in c) return { kind: 'checked', value: undefined };
  if ('unchecked' in c) return { kind: 'unchecked', value: undefined };
  if ('lacks' in c) return { kind: 'lacks', value: c.lacks };
  return { kind: 'includes', value: c.includes };
}

/** testCondition on a compiled condition (same answers). */
function test(t: TestFn, v: unknown): boolean {
  switch (t.kind) {
    case 'equals':
      return v === t.value;
    case 'oneOf':
      return typeof v === 'string' && (t.value as readonly string[]).includes(v);
    case 'checked':
      return v === true;
    case 'unchecked':
      return v !== true;
    default: {
      if (!Array.isArray(v)) return false;
      let has = false;
      for (const e of v)
        if (e && typeof e === 'object' && (e as { choice?: unknown }).choice === t.value) has = true;
      return t.kind === 'lacks' ? v.length > 0 && !has : has;
    }
  }
}

function segmentsOf(p: CompiledPattern): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < p.keys.length; i++) {
    if (p.keys[i] === '*') {
      out.push(cur);
      cur = '';
    } else cur += `/${p.escaped[i]}`;
  }
  out.push(cur);
  return out;
}

/** `getAtPointer(v, rel)` for a pre-split relative pointer: own properties, canonical list indices. */
function readRel(v: unknown, keys: readonly string[]): unknown {
  let cur = v;
  for (let i = 0; i < keys.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const k = keys[i];
    if (Array.isArray(cur)) {
      if (!INDEX.test(k)) return undefined;
      cur = cur[Number(k)];
    } else {
      if (!hasOwn.call(cur, k)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
  }
  return cur;
}

function rowsFor(formId: FormId): CompiledForm {
  let form = compiled.get(formId);
  if (!form) {
    const scopeIndex = new Map<string, number>();
    const rows = APPLICABILITY.filter((r) => r.forms.includes(formId)).map((row) => {
      const scope = compilePattern(row.scope);
      if (!scopeIndex.has(row.scope)) scopeIndex.set(row.scope, scopeIndex.size);
      return {
        row,
        scope,
        scopeSegments: segmentsOf(scope),
        scopeIndex: scopeIndex.get(row.scope)!,
        decide: relPath(row.decide),
        notApplicable: compileCondition(row.notApplicable),
        required: row.required ? compileCondition(row.required) : undefined,
        items: row.items.map(relPath),
        requiredItems: (row.requiredItems ?? row.items).map(relPath),
      };
    });
    compiled.set(formId, (form = { rows, scopes: scopeIndex.size }));
  }
  return form;
}

/** The blocks matching a scope pattern: their pointers, values and indices (one walk, nothing parsed back). */
interface Scopes {
  pointers: string[];
  values: unknown[];
  indices: (readonly number[])[];
}

const NO_INDICES: readonly number[] = Object.freeze([]);

function expandScopes(doc: unknown, pattern: CompiledPattern, segments: readonly string[]): Scopes {
  const out: Scopes = { pointers: [], values: [], indices: [] };
  expandValuesInto(doc, pattern, segments, 0, segments[0], 1, NO_INDICES, out);
  return out;
}

/** `ptr` is the pointer so far, up to the next `*` (segment `seg` follows that index). */
function expandValuesInto(
  v: unknown,
  p: CompiledPattern,
  segments: readonly string[],
  i: number,
  ptr: string,
  seg: number,
  indices: readonly number[],
  out: Scopes,
): void {
  for (; i < p.keys.length; i++) {
    const t = p.keys[i];
    if (t === '*') {
      if (Array.isArray(v))
        for (let k = 0; k < v.length; k++)
          expandValuesInto(
            v[k],
            p,
            segments,
            i + 1,
            `${ptr}/${k}${segments[seg]}`,
            seg + 1,
            withIndex(indices, k),
            out,
          );
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn.call(v, t)) return;
    v = (v as Record<string, unknown>)[t];
  }
  out.pointers.push(ptr);
  out.values.push(v);
  out.indices.push(indices);
}

function withIndex(indices: readonly number[], k: number): number[] {
  const out = new Array<number>(indices.length + 1);
  for (let i = 0; i < indices.length; i++) out[i] = indices[i];
  out[indices.length] = k;
  return out;
}

function makeHit(
  row: ApplicabilityRow,
  items: readonly RelPath[],
  scope: string,
  scopeValue: unknown,
  indices: readonly number[],
  decidePointer: string,
  value: unknown,
): ApplicabilityHit {
  const pointers: string[] = [];
  const values: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    pointers.push(scope + items[i].rel);
    values.push(readRel(scopeValue, items[i].keys));
  }
  return { row, scope, decidePointer, value, items: pointers, itemValues: values, scopeValue, indices };
}

interface RowHits {
  notApplicable: ApplicabilityHit[];
  required: ApplicabilityHit[];
}

/**
 * The evaluated table of one document. A class, not an object of closures: it is made on every validation.
 * Lookups scan the hits (a few dozen at most) instead of indexing them in Maps first.
 */
class EvaluatedApplicability implements Applicability {
  private none: RowHits | undefined;

  constructor(
    readonly notApplicable: ApplicabilityHit[],
    readonly required: ApplicabilityHit[],
  ) {}

  isNotApplicable(p: string): boolean {
    // p, or an item p lies inside (a prefix of p that ends before a '/').
    const na = this.notApplicable;
    for (let h = 0; h < na.length; h++) {
      const items = na[h].items;
      for (let i = 0; i < items.length; i++) {
        const q = items[i];
        if (
          q.length > 0 &&
          (p.length === q.length
            ? p === q
            : p.length > q.length && p.charCodeAt(q.length) === 0x2f && p.startsWith(q))
        )
          return true;
      }
    }
    return false;
  }

  notApplicableFor(rule: string): ApplicabilityHit[] {
    const out: ApplicabilityHit[] = [];
    const na = this.notApplicable;
    for (let h = 0; h < na.length; h++) if (na[h].row.blankRule === rule) out.push(na[h]);
    return out;
  }

  hitsOf(rowId: string): RowHits {
    let hits: RowHits | undefined;
    for (const h of this.notApplicable)
      if (h.row.id === rowId) (hits ??= { notApplicable: [], required: [] }).notApplicable.push(h);
    for (const h of this.required)
      if (h.row.id === rowId) (hits ??= { notApplicable: [], required: [] }).required.push(h);
    return hits ?? (this.none ??= { notApplicable: [], required: [] });
  }
}

export function evaluateApplicability(doc: unknown, formId: FormId): Applicability {
  const notApplicable: ApplicabilityHit[] = [];
  const required: ApplicabilityHit[] = [];
  // Rows share scopes (e.g. the two 接続しない rows); expand each scope pattern once per document.
  const { rows, scopes: scopeCount } = rowsFor(formId);
  const expanded: (Scopes | undefined)[] = new Array<Scopes | undefined>(scopeCount);
  for (let r = 0; r < rows.length; r++) {
    const c = rows[r];
    const { pointers, values, indices } = (expanded[c.scopeIndex] ??= expandScopes(
      doc,
      c.scope,
      c.scopeSegments,
    ));
    for (let s = 0; s < pointers.length; s++) {
      const value = readRel(values[s], c.decide.keys);
      if (test(c.notApplicable, value)) {
        const scope = pointers[s];
        notApplicable.push(
          makeHit(c.row, c.items, scope, values[s], indices[s], scope + c.decide.rel, value),
        );
      } else if (c.required && test(c.required, value)) {
        const scope = pointers[s];
        required.push(
          makeHit(c.row, c.requiredItems, scope, values[s], indices[s], scope + c.decide.rel, value),
        );
      }
    }
  }
  return new EvaluatedApplicability(notApplicable, required);
}
