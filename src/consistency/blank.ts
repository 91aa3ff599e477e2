// What counts as "not filled in": missing, null, whitespace-only text (full-width spaces included), an
// unchecked flag, and containers holding nothing but such values (an empty list, a measure block whose
// parts are all empty, `{}`). 0 is a value.

export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(isBlank);
  if (typeof v === 'object') {
    for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && !isBlank((v as Record<string, unknown>)[k])) return false;
    return true;
  }
  return false;
}
