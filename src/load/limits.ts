// Limits that keep hostile input cheap. A real 評価書 is a few hundred kilobytes with a nesting depth
// around 12; these limits are far above that and far below what would take the process down.

/** Largest file we read at all (checked with fs.stat before reading). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Deepest nesting of mappings/sequences we convert. */
export const MAX_DEPTH = 100;

/**
 * How many nodes alias (*name) expansion may create in total. Anchors/aliases are legal YAML, but
 * nested aliases expand exponentially ("billion laughs"); the yaml library's own maxAliasCount only
 * guards its toJS(), which we do not use, so the budget is enforced by our converter.
 */
export const MAX_ALIAS_NODES = 10_000;

/**
 * How many characters (string values and keys) alias expansion may create in total. Counting nodes alone
 * let one anchored 1 MB string referenced 9,000 times through (9 GB once stored as JSON); this bounds the
 * expanded document to at most the file limit plus this much, whatever the shape of the aliases.
 */
export const MAX_ALIAS_CHARS = 1_000_000;

/**
 * C0 control characters other than tab, line feed and carriage return. They are invisible in every view
 * of a 評価書 (screen, PDF, diff) and NUL truncates strings in C-based tools downstream, so text that holds
 * one is refused rather than stored.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** The first forbidden control character of `s` (see CONTROL_CHARS), or undefined. */
export function findControlChar(s: string): string | undefined {
  const m = CONTROL_CHARS.exec(s);
  return m ? m[0] : undefined;
}

/** `U+0000` for messages (the character itself is invisible). */
export function describeControlChar(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Keys that would touch Object.prototype machinery if a consumer copied objects naively. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
