// THE ordering of findings (DESIGN §4.5, refined by issue 16): by the weight of the legal consequence
// (要再評価 first, consequence.ts), then source, then JSON Pointer (array indices numerically, so /systems/10
// follows /systems/9), then code; line and message only break remaining ties so the same input always gives
// the same bytes. Validation findings carry no consequence, so for them this is (source, path, code).
import type { Diagnostic } from '../types.ts';
import { consequenceWeight } from './consequence.ts';

/** JSON Pointers in document order: array indices numerically (/risks/10 after /risks/9). */
export function comparePointers(a: string, b: string): number {
  if (a === b) return 0;
  const ta = a.split('/');
  const tb = b.split('/');
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    consequenceWeight(a.consequence) - consequenceWeight(b.consequence) ||
    cmp(a.source ?? '', b.source ?? '') ||
    comparePointers(a.path, b.path) ||
    cmp(a.code, b.code) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    cmp(a.message, b.message)
  );
}

/** A sorted copy. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(compareDiagnostics);
}
