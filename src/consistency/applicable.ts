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

interface CompiledRow {
  row: ApplicabilityRow;
  scope: CompiledPattern;
  decide: RelPath;
  items: RelPath[];
  requiredItems: RelPath[];
}

const compiled = new Map<FormId, CompiledRow[]>();
const hasOwn = Object.prototype.hasOwnProperty;
const INDEX = /^(0|[1-9]\d*)$/;

function relPath(r: string): RelPath {
  if (r === '') return { rel: '', keys: [] };
  const { keys, escaped } = compilePattern(`/${r}`);
  return { rel: `/${escaped.join('/')}`, keys };
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

function rowsFor(formId: FormId): CompiledRow[] {
  let rows = compiled.get(formId);
  if (!rows) {
    rows = APPLICABILITY.filter((r) => r.forms.includes(formId)).map((row) => ({
      row,
      scope: compilePattern(row.scope),
      decide: relPath(row.decide),
      items: row.items.map(relPath),
      requiredItems: (row.requiredItems ?? row.items).map(relPath),
    }));
    compiled.set(formId, rows);
  }
  return rows;
}

/** The blocks matching a scope pattern: their pointers and values (one walk, no pointer parsed back). */
interface Scopes {
  pointers: string[];
  values: unknown[];
}

function expandScopes(doc: unknown, pattern: CompiledPattern): Scopes {
  const out: Scopes = { pointers: [], values: [] };
  expandValuesInto(doc, pattern, 0, '', out);
  return out;
}

function expandValuesInto(v: unknown, p: CompiledPattern, i: number, ptr: string, out: Scopes): void {
  if (i === p.keys.length) {
    out.pointers.push(ptr);
    out.values.push(v);
    return;
  }
  const t = p.keys[i];
  if (t === '*') {
    if (Array.isArray(v))
      for (let k = 0; k < v.length; k++) expandValuesInto(v[k], p, i + 1, `${ptr}/${k}`, out);
    return;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn.call(v, t)) return;
  expandValuesInto((v as Record<string, unknown>)[t], p, i + 1, `${ptr}/${p.escaped[i]}`, out);
}

function makeHit(
  c: CompiledRow,
  items: readonly RelPath[],
  scope: string,
  scopeValue: unknown,
  decidePointer: string,
  value: unknown,
): ApplicabilityHit {
  const pointers: string[] = [];
  const values: unknown[] = [];
  for (const it of items) {
    pointers.push(scope + it.rel);
    values.push(readRel(scopeValue, it.keys));
  }
  return { row: c.row, scope, decidePointer, value, items: pointers, itemValues: values };
}

/**
 * Runs on every validation. The lookups by rule and by row, and the set behind isNotApplicable, are built on
 * first use: a document where nothing is "not applicable" never builds them.
 */
export function evaluateApplicability(doc: unknown, formId: FormId): Applicability {
  const notApplicable: ApplicabilityHit[] = [];
  const required: ApplicabilityHit[] = [];
  // Rows share scopes (e.g. the two 接続しない rows); expand each scope pattern once per document.
  const rows = rowsFor(formId);
  let lastPattern: CompiledPattern | undefined;
  let scopes: Scopes | undefined;
  let seen: Map<CompiledPattern, Scopes> | undefined;
  for (let r = 0; r < rows.length; r++) {
    const c = rows[r];
    if (c.scope !== lastPattern) {
      seen ??= new Map();
      scopes = seen.get(c.scope);
      if (!scopes) seen.set(c.scope, (scopes = expandScopes(doc, c.scope)));
      lastPattern = c.scope;
    }
    const { pointers, values } = scopes!;
    for (let s = 0; s < pointers.length; s++) {
      const scope = pointers[s];
      const value = readRel(values[s], c.decide.keys);
      if (testCondition(c.row.notApplicable, value)) {
        notApplicable.push(makeHit(c, c.items, scope, values[s], scope + c.decide.rel, value));
      } else if (c.row.required && testCondition(c.row.required, value)) {
        required.push(makeHit(c, c.requiredItems, scope, values[s], scope + c.decide.rel, value));
      }
    }
  }

  let na: Set<string> | undefined;
  let byRule: Map<string, ApplicabilityHit[]> | undefined;
  type RowHits = { notApplicable: ApplicabilityHit[]; required: ApplicabilityHit[] };
  let byRow: Map<string, RowHits> | undefined;
  let none: RowHits | undefined;
  const indexRows = () => {
    byRow = new Map();
    const rowEntry = (id: string) => {
      let e = byRow!.get(id);
      if (!e) byRow!.set(id, (e = { notApplicable: [], required: [] }));
      return e;
    };
    for (const h of notApplicable) rowEntry(h.row.id).notApplicable.push(h);
    for (const h of required) rowEntry(h.row.id).required.push(h);
    return byRow;
  };
  return {
    notApplicable,
    required,
    notApplicableFor(rule) {
      if (notApplicable.length === 0) return [];
      if (!byRule) {
        byRule = new Map();
        for (const h of notApplicable) {
          if (!h.row.blankRule) continue;
          const list = byRule.get(h.row.blankRule);
          if (list) list.push(h);
          else byRule.set(h.row.blankRule, [h]);
        }
      }
      return byRule.get(rule) ?? [];
    },
    hitsOf(rowId) {
      const hits = notApplicable.length === 0 && required.length === 0 ? undefined : (byRow ?? indexRows()).get(rowId);
      return hits ?? (none ??= { notApplicable: [], required: [] });
    },
    isNotApplicable(p: string): boolean {
      if (notApplicable.length === 0) return false;
      if (!na) {
        na = new Set();
        for (const h of notApplicable) for (const q of h.items) na.add(q);
      }
      if (na.size === 0) return false;
      for (let q = p; q !== ''; q = q.slice(0, q.lastIndexOf('/'))) if (na.has(q)) return true;
      return false;
    },
  };
}
