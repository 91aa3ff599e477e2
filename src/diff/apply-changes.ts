// applyChanges(old, changes) → the new version: the changes are a complete description of the revision
// (every item the 変更箇所 can name). Alignments are order-preserving, so applying removals (old
// positions, last first), then insertions (new positions, first first), then replacements (new positions)
// rebuilds every repeated block in the new order.
import { parsePointer } from '../pointer.ts';
import type { Json, JsonObject } from '../types.ts';
import type { ItemChange } from './types.ts';
import { isObject } from './values.ts';

const isIndex = (t: string) => /^(0|[1-9]\d*)$/.test(t);

function compareTokens(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (isIndex(a[i]) && isIndex(b[i])) return Number(a[i]) - Number(b[i]);
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

export function applyChanges(oldDoc: JsonObject, changes: readonly ItemChange[]): JsonObject {
  const doc = structuredClone(oldDoc) as JsonObject;
  const own = changes.filter((c) => !c.within);
  const removes = own.filter((c) => c.op === 'remove').map((c) => parsePointer(c.path));
  removes.sort((a, b) => compareTokens(b, a));
  for (const t of removes) removeAt(doc, t);
  const adds = own.filter((c) => c.op === 'add').map((c) => ({ t: parsePointer(c.path), v: c.after }));
  adds.sort((a, b) => compareTokens(a.t, b.t));
  for (const a of adds) setAt(doc, a.t, a.v, true);
  for (const c of own) if (c.op === 'replace') setAt(doc, parsePointer(c.path), c.after, false);
  return doc;
}

function containerAt(doc: Json, tokens: string[], create: boolean): Json | undefined {
  let cur: Json | undefined = doc;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const nextIsIndex = i + 1 < tokens.length ? isIndex(tokens[i + 1]) : false;
    if (Array.isArray(cur)) {
      const k = Number(t);
      if (cur[k] === undefined || cur[k] === null) {
        if (!create) return undefined;
        cur[k] = nextIsIndex ? [] : {};
      }
      cur = cur[k];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t) || cur[t] === null || typeof cur[t] !== 'object') {
        if (!create) return undefined;
        cur[t] = nextIsIndex ? [] : {};
      }
      cur = cur[t];
    } else return undefined;
  }
  return cur;
}

function removeAt(doc: Json, tokens: string[]): void {
  const parent = containerAt(doc, tokens.slice(0, -1), false);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent) && isIndex(last)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
}

function setAt(doc: Json, tokens: string[], value: Json | undefined, insert: boolean): void {
  if (value === undefined) return;
  const parent = containerAt(doc, tokens.slice(0, -1), true);
  const last = tokens[tokens.length - 1];
  const v = structuredClone(value);
  if (Array.isArray(parent) && isIndex(last)) {
    if (insert) parent.splice(Number(last), 0, v);
    else parent[Number(last)] = v;
  } else if (isObject(parent)) parent[last] = v;
}
