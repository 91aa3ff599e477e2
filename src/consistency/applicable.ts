// Evaluates the applicability table (applicability.ts) against one document.
import { appendPointer, getAtPointer, parsePointer } from '../pointer.ts';
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
}

export interface Applicability {
  notApplicable: ApplicabilityHit[];
  required: ApplicabilityHit[];
  /** Fast membership: pointers (and everything below them) that do not apply. */
  isNotApplicable(pointer: string): boolean;
}

export function testCondition(c: Condition, v: unknown): boolean {
  if ('equals' in c) return v === c.equals;
  if ('oneOf' in c) return typeof v === 'string' && c.oneOf.includes(v);
  if ('checked' in c) return v === true;
  if ('unchecked' in c) return v !== true;
  const choices = Array.isArray(v) ? v.map((e) => (e && typeof e === 'object' ? (e as { choice?: unknown }).choice : undefined)) : undefined;
  if ('lacks' in c) return !!choices && choices.length > 0 && !choices.includes(c.lacks);
  if ('includes' in c) return !!choices && choices.includes(c.includes);
  return false;
}

/** Concrete pointers matching a pattern whose `*` tokens stand for array indices. */
export function expandPattern(doc: unknown, pattern: string): string[] {
  const out: string[] = [];
  const tokens = parsePointer(pattern);
  const walk = (v: unknown, i: number, ptr: string) => {
    if (i === tokens.length) {
      out.push(ptr);
      return;
    }
    const t = tokens[i];
    if (t === '*') {
      if (Array.isArray(v)) v.forEach((e, k) => walk(e, i + 1, appendPointer(ptr, k)));
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, t)) return;
    walk((v as Record<string, unknown>)[t], i + 1, appendPointer(ptr, t));
  };
  walk(doc, 0, '');
  return out;
}

function join(scope: string, rel: string): string {
  return rel === '' ? scope : `${scope}/${rel}`;
}

export function evaluateApplicability(doc: unknown, formId: FormId): Applicability {
  const notApplicable: ApplicabilityHit[] = [];
  const required: ApplicabilityHit[] = [];
  for (const row of APPLICABILITY) {
    if (!row.forms.includes(formId)) continue;
    for (const scope of expandPattern(doc, row.scope)) {
      const decidePointer = join(scope, row.decide);
      const value = getAtPointer(doc, decidePointer);
      if (testCondition(row.notApplicable, value)) {
        notApplicable.push({ row, scope, decidePointer, value, items: row.items.map((r) => join(scope, r)) });
      } else if (row.required && testCondition(row.required, value)) {
        required.push({ row, scope, decidePointer, value, items: (row.requiredItems ?? row.items).map((r) => join(scope, r)) });
      }
    }
  }
  const naPointers = notApplicable.flatMap((h) => h.items);
  return {
    notApplicable,
    required,
    isNotApplicable: (p) => naPointers.some((n) => p === n || p.startsWith(n + '/')),
  };
}
