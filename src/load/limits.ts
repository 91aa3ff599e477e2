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

/** Keys that would touch Object.prototype machinery if a consumer copied objects naively. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
