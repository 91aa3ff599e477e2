// A copy of a document with `n` edits scattered over it, chosen by a seeded PRNG (the same seed gives the same
// copy): texts changed in the middle, another 選択肢, measure parts rewritten, inserted or removed. Used by the
// apply round-trip test and by bench/diff.ts.
import { buildPointer, getAtPointer, parsePointer } from '../../src/pointer.ts';
import { resolveSchemaAt } from '../../src/schema/index.ts';
import type { Json, JsonObject } from '../../src/types.ts';
import { mulberry32 } from '../helpers/prng.ts';

const SKIP_TOP = new Set(['$schema', 'form', 'formVersion', 'status', 'organization', 'changeLog', 'nonPublic', 'appendices']);

function stringLeaves(v: Json, tokens: (string | number)[], out: string[]): void {
  if (tokens.length === 1 && SKIP_TOP.has(String(tokens[0]))) return;
  if (typeof v === 'string') out.push(buildPointer(tokens));
  else if (Array.isArray(v)) v.forEach((x, i) => stringLeaves(x, [...tokens, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stringLeaves(x, [...tokens, k], out);
}

const isIndex = (t: string) => /^\d+$/.test(t);
function descending(a: string, b: string): number {
  const x = parsePointer(a);
  const y = parsePointer(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (isIndex(x[i]) && isIndex(y[i])) return Number(y[i]) - Number(x[i]);
    return x[i] < y[i] ? 1 : -1;
  }
  return y.length - x.length;
}

export function scatterEdits(doc: JsonObject, form: string, n: number, seed: number): JsonObject {
  const rnd = mulberry32(seed);
  const out = structuredClone(doc) as JsonObject;
  const candidates: string[] = [];
  stringLeaves(out, [], candidates);
  // Fisher–Yates with the seeded generator, then the first n, applied from the end so that removing a
  // part never shifts a pointer still to be edited.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const picked = candidates.slice(0, n).sort(descending);
  for (const p of picked) {
    const tokens = parsePointer(p);
    const parent = getAtPointer(out, buildPointer(tokens.slice(0, -1))) as Json;
    const last = tokens[tokens.length - 1];
    const cur = getAtPointer(out, p) as string;
    const node = resolveSchemaAt(form, p);
    const r = rnd();
    if (Array.isArray(node?.enum) && node.enum.length > 1) {
      const others = (node.enum as string[]).filter((c) => c !== cur);
      (parent as JsonObject)[last] = others[Math.floor(r * others.length)];
    } else if (Array.isArray(parent) && tokens[tokens.length - 2] === 'parts') {
      const i = Number(last);
      if (r < 0.2 && parent.length > 1) parent.splice(i, 1);
      else if (r < 0.4) parent.splice(i + 1, 0, '・追加した措置の記載。');
      else parent[i] = `${cur.slice(0, cur.length >> 1)}（改訂）${cur.slice(cur.length >> 1)}`;
    } else if (Array.isArray(parent)) {
      parent[Number(last)] = `${cur}（改訂）`;
    } else {
      (parent as JsonObject)[last] = `${cur.slice(0, cur.length >> 1)}（改訂）${cur.slice(cur.length >> 1)}`;
    }
  }
  return out;
}
