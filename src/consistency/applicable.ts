// Evaluates the applicability table (applicability.ts) against one document. Runs on every validation, so
// patterns are compiled once per row and pointers are only built for the blocks that exist.
import type { FormId } from '../types.ts';
import { APPLICABILITY, type ApplicabilityRow, type Condition } from './applicability.ts';
import { getAtPointer as fastGet } from '../pointer.ts';

export interface ApplicabilityHit {
  row: ApplicabilityRow;
  /** Concrete pointer of the scope block. */
  scope: string;
  /** Pointer of the deciding item and its value. */
  decidePointer: string;
  value: unknown;
  /** Concrete pointers of the items concerned. */
  items: string[];
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

interface CompiledRow {
  row: ApplicabilityRow;
  scope: CompiledPattern;
  decide: string;
  items: string[];
  requiredItems: string[];
}

const compiled = new Map<FormId, CompiledRow[]>();

function rowsFor(formId: FormId): CompiledRow[] {
  let rows = compiled.get(formId);
  if (!rows) {
    const rel = (r: string) => (r === '' ? '' : `/${r}`);
    rows = APPLICABILITY.filter((r) => r.forms.includes(formId)).map((row) => ({
      row,
      scope: compilePattern(row.scope),
      decide: rel(row.decide),
      items: row.items.map(rel),
      requiredItems: (row.requiredItems ?? row.items).map(rel),
    }));
    compiled.set(formId, rows);
  }
  return rows;
}

export function evaluateApplicability(doc: unknown, formId: FormId): Applicability {
  const notApplicable: ApplicabilityHit[] = [];
  const required: ApplicabilityHit[] = [];
  // Rows share scopes (e.g. the two 接続しない rows); expand each scope pattern once per document.
  const scopes = new Map<CompiledPattern, string[]>();
  for (const c of rowsFor(formId)) {
    let list = scopes.get(c.scope);
    if (!list) scopes.set(c.scope, (list = expandCompiled(doc, c.scope)));
    for (const scope of list) {
      const decidePointer = scope + c.decide;
      const value = fastGet(doc, decidePointer);
      if (testCondition(c.row.notApplicable, value)) {
        notApplicable.push({ row: c.row, scope, decidePointer, value, items: c.items.map((r) => scope + r) });
      } else if (c.row.required && testCondition(c.row.required, value)) {
        required.push({
          row: c.row,
          scope,
          decidePointer,
          value,
          items: c.requiredItems.map((r) => scope + r),
        });
      }
    }
  }
  const na = new Set<string>();
  const byRule = new Map<string, ApplicabilityHit[]>();
  for (const h of notApplicable) {
    for (const p of h.items) na.add(p);
    if (h.row.blankRule) {
      const list = byRule.get(h.row.blankRule);
      if (list) list.push(h);
      else byRule.set(h.row.blankRule, [h]);
    }
  }
  const byRow = new Map<string, { notApplicable: ApplicabilityHit[]; required: ApplicabilityHit[] }>();
  const rowEntry = (id: string) => {
    let e = byRow.get(id);
    if (!e) byRow.set(id, (e = { notApplicable: [], required: [] }));
    return e;
  };
  for (const h of notApplicable) rowEntry(h.row.id).notApplicable.push(h);
  for (const h of required) rowEntry(h.row.id).required.push(h);
  const none = { notApplicable: [], required: [] };
  return {
    notApplicable,
    required,
    notApplicableFor: (rule) => byRule.get(rule) ?? [],
    hitsOf: (rowId) => byRow.get(rowId) ?? none,
    isNotApplicable(p: string): boolean {
      if (na.size === 0) return false;
      for (let q = p; q !== ''; q = q.slice(0, q.lastIndexOf('/'))) if (na.has(q)) return true;
      return false;
    },
  };
}
