// Value helpers shared by the diff and the printer: what counts as "not filled in", and the normal form
// two values are compared in (so that a YAML re-indentation or a trailing newline is not a change).
import type { Json, JsonObject } from '../types.ts';

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Not filled in: absent, null, blank text, empty list, `{}`, an unchecked flag. */
export function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(isEmptyValue);
  if (isObject(v)) return Object.values(v).every(isEmptyValue);
  return false;
}

const blank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000;

/** Text as compared: line ends unified, each line's trailing blanks and the outer blank lines dropped. */
export function normalizeText(s: string): string {
  // Fast path: nothing to normalise (the common case) — no CR, no blank before a line end or at either end.
  if (s.length === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (!blank(first) && !blank(last) && !s.includes('\r') && !/[ \t\u3000]\n/.test(s)) return s;
  return s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u3000]+$/, ''))
    .join('\n')
    .trim();
}

export function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return normalizeText(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Multi-select value as a map choice → detail ('' when none). */
export function multiEntries(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(v)) return out;
  for (const e of v) {
    if (isObject(e) && typeof e.choice === 'string') out.set(e.choice, typeof e.detail === 'string' ? normalizeText(e.detail) : '');
    else if (typeof e === 'string') out.set(e, '');
  }
  return out;
}

export interface MeasureBlockValue {
  heading: string;
  system: string;
  parts: string[];
}

/** A measure as blocks of part texts; a bare string (not the model, but seen in hand-written files) is one part. */
export function measureBlocks(v: unknown): MeasureBlockValue[] {
  if (typeof v === 'string') return isEmptyValue(v) ? [] : [{ heading: '', system: '', parts: [normalizeText(v)] }];
  if (!Array.isArray(v)) return [];
  const out: MeasureBlockValue[] = [];
  for (const b of v) {
    const mb = isObject(b) ? blockValue(b) : undefined;
    if (mb) out.push(mb);
  }
  return out;
}

/** One block of a measure (a bare string is a block of one part); undefined for anything else. */
export function blockValue(b: unknown): MeasureBlockValue | undefined {
  if (typeof b === 'string') return { heading: '', system: '', parts: [normalizeText(b)] };
  if (!isObject(b)) return undefined;
  return {
    heading: typeof b.heading === 'string' ? normalizeText(b.heading) : '',
    system: typeof b.system === 'string' ? normalizeText(b.system) : '',
    parts: Array.isArray(b.parts) ? b.parts.map((p) => asText(p)) : [],
  };
}

/** Leading circled number of a measure part (「② 他市区町村からの…」 → 「②」). */
export function partNumberOf(text: string): string | undefined {
  const m = /^\s*([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])/.exec(text);
  return m ? m[1] : undefined;
}

/** Every filled-in scalar below `v`, keyed by relative path: the basis of "how alike are two entries". */
export function flattenLeaves(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (isEmptyValue(v)) return out;
  if (Array.isArray(v)) v.forEach((x, i) => flattenLeaves(x, `${prefix}/${i}`, out));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) flattenLeaves(x, `${prefix}/${k}`, out);
  else out.set(prefix, asText(v as Json));
  return out;
}

/** Structural equality of two JSON values (early exit on the first difference). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
