// The schema lookups the diff makes for every changed item, memoised per form and pointer pattern
// (array indices as `*`): schema/ resolves each pattern once per process, the diff then pays a string
// replacement and a Map lookup. Only a cache in front of schema/; no schema walking here.
import { isSignificant, resolveSchemaAt, type ResolvedNode } from '../schema/index.ts';

const nodes = new Map<string, ResolvedNode | undefined>();
const marks = new Map<string, boolean>();

/** `/files/0/entrustment/items/2/title` → `/files/*\/entrustment/items/*\/title`. */
export function patternOf(pointer: string): string {
  return pointer.replace(/\/(?:0|[1-9]\d*)(?=\/|$)/g, '/*');
}

export function nodeAt(form: string, pointer: string, pattern = patternOf(pointer)): ResolvedNode | undefined {
  const key = `${form}\u0000${pattern}`;
  if (nodes.has(key)) return nodes.get(key);
  const node = resolveSchemaAt(form, pointer);
  nodes.set(key, node);
  return node;
}

/** ※ at `pointer` (the item or an item it lies inside), as schema/isSignificant says. */
export function significantAt(form: string, pointer: string): boolean {
  const key = `${form}\u0000${patternOf(pointer)}`;
  let m = marks.get(key);
  if (m === undefined) marks.set(key, (m = isSignificant(form, pointer)));
  return m;
}
