// What counts as "not filled in": missing, null, whitespace-only text (full-width spaces included), an
// unchecked flag, and containers holding nothing but such values (an empty list, a measure block whose
// parts are all empty, `{}`). 0 is a value. The definition lives with the validator keyword that checks
// it (schema/filled-keyword.ts) so both agree.
import { isBlankValue } from '../schema/filled-keyword.ts';

export const isBlank = isBlankValue;

/** A dash alone (「-」「―」「—」「－」「ー」) is how the forms mark "not applicable" in a cell. */
const NA_MARKER = /^[\s\u3000]*[-‐‑–—―－ー][\s\u3000]*$/;

/**
 * Blank for the "must be left blank" rules: like isBlank, but the not-applicable dash counts as blank —
 * an officer who writes 「-」 under 「発生なし」 did leave the item empty. (For 未記載 the dash is an answer.)
 */
export function isBlankOrDash(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() === '' || NA_MARKER.test(v);
  if (Array.isArray(v)) return v.every(isBlankOrDash);
  if (v !== null && typeof v === 'object') {
    for (const k in v)
      if (Object.prototype.hasOwnProperty.call(v, k) && !isBlankOrDash((v as Record<string, unknown>)[k]))
        return false;
    return true;
  }
  return isBlank(v);
}
