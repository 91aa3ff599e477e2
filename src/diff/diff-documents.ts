// diffDocuments(old, new): the changes between two versions of a 評価書, one per item of the form.
//
// The walk follows the schema (so the changes come out in the form's order, which is the order of the
// 変更箇所 table) and compares each leaf item as a whole: a multi-select that gains 「その他」 text is one
// change, a choice is one change. Two places are finer or coarser than a leaf:
//  - a `measure` item is compared block by block (a block is known by its heading or system) and, inside a
//    block, part by part (a part is known by its leading ①… when numbered, else by position and likeness),
//    so 「②部分」 and 「④部分」 of one item are two changes;
//  - a repeated entry (委託事項, システム, 提供先…) that is added or removed is one `block` change, followed
//    by its filled-in items as the form would list them (marked `within`).
// Entries of a repeated block are paired by likeness, in order, so inserting 委託事項1 does not turn every
// later 委託事項 into a change.
import { InputError } from '../errors.ts';
import { escapeToken } from '../pointer.ts';
import { findForm, pick, type Lang, type ResolvedNode } from '../schema/index.ts';
import type { Json, JsonObject } from '../types.ts';
import { alignSequences, textSimilarity } from './align.ts';
import { isIgnoredKey } from './ignore.ts';
import { nodeAt, significantAt } from './schema-cache.ts';
import type { ItemChange } from './types.ts';
import {
  asText,
  deepEqual,
  flattenLeaves,
  isEmptyValue,
  isObject,
  blockValue,
  multiEntries,
  partNumberOf,
  type MeasureBlockValue,
} from './values.ts';

export interface DiffOptions {
  /** Form key (`juten-h30`); by default taken from the documents' `form` + `formVersion`. */
  form?: string;
  lang?: Lang;
}

/**
 * Where the walk is: the pointer in the new version, the same item's pointer in the old one (they differ
 * when an entry shifted), and the schema pattern (indices as *). Built by appending, never re-parsed.
 */
interface Loc {
  path: string;
  old: string;
  pattern: string;
  depth: number;
  /** First and second keys below the root (what ignore.ts decides on). */
  top?: string;
  second?: string;
}

const ROOT: Loc = { path: '', old: '', pattern: '', depth: 0 };

const esc = (k: string | number): string =>
  typeof k === 'number' ? String(k) : k.includes('~') || k.includes('/') ? escapeToken(k) : k;

function child(loc: Loc, key: string | number, oldKey: string | number = key): Loc {
  const k = esc(key);
  return {
    path: `${loc.path}/${k}`,
    old: `${loc.old}/${esc(oldKey)}`,
    pattern: `${loc.pattern}/${typeof key === 'number' ? '*' : k}`,
    depth: loc.depth + 1,
    top: loc.depth === 0 ? String(key) : loc.top,
    second: loc.depth === 1 ? String(key) : loc.second,
  };
}

/** The entry `key` of an array that exists in one version only: the same pointer on both sides. */
function only(loc: Loc, side: 'new' | 'old', key: number): Loc {
  const base = side === 'new' ? loc.path : loc.old;
  return child({ ...loc, path: base, old: base }, key);
}

interface Ctx {
  form: string;
  out: ItemChange[];
}

/**
 * The form key both documents are written in. Different forms (or versions) cannot be compared item by
 * item: that is an input error (exit 2), with the two forms named.
 */
export function formOfPair(oldDoc: JsonObject, newDoc: JsonObject, lang: Lang = 'ja', names: { old?: string; new?: string } = {}): string {
  const a = findForm(oldDoc);
  const b = findForm(newDoc);
  const describe = (d: JsonObject) => `${String(d.form ?? pick(lang, '(様式の記載なし)', '(no form)'))} ${String(d.formVersion ?? '')}`.trim();
  if (!b) {
    throw new InputError(
      pick(lang, `様式を判別できません: ${describe(newDoc)}`, `Unknown form: ${describe(newDoc)}`),
      names.new,
    );
  }
  if (!a) {
    throw new InputError(
      pick(lang, `様式を判別できません: ${describe(oldDoc)}`, `Unknown form: ${describe(oldDoc)}`),
      names.old,
    );
  }
  if (a.key !== b.key) {
    throw new InputError(
      pick(
        lang,
        `様式が異なる評価書は比較できません: 変更前は「${describe(oldDoc)}」、変更後は「${describe(newDoc)}」です。同じ様式・同じ版の2つの版を指定してください。`,
        `Cannot compare documents of different forms: the old one is "${describe(oldDoc)}", the new one "${describe(newDoc)}".`,
      ),
    );
  }
  return b.key;
}

/** What identifies the organisation a document is about: its 機関ID, else its 評価実施機関名. */
function organizationOf(d: JsonObject): { id?: string; agency?: string } {
  const org = isObject(d.organization) ? d.organization : undefined;
  const cover = isObject(d.cover) ? d.cover : undefined;
  const id = typeof org?.id === 'string' && org.id.trim() ? org.id.trim() : undefined;
  const agency = typeof cover?.agency === 'string' && cover.agency.trim() ? cover.agency.replace(/\s+/g, '') : undefined;
  return { ...(id ? { id } : {}), ...(agency ? { agency } : {}) };
}

/**
 * Two versions of one 評価書 are of one organisation. A diff across organisations compares two unrelated
 * documents (hundreds of rows, every one meaningless as a 変更箇所), so it is refused (exit 2) unless the
 * caller says it is intended (`pia diff --allow-other-organization`, e.g. to adapt a neighbour's document).
 * 機関ID decides when both have one; otherwise 評価実施機関名 (spaces ignored); with neither, nothing is known.
 */
export function assertSameOrganization(
  oldDoc: JsonObject,
  newDoc: JsonObject,
  lang: Lang = 'ja',
  names: { old?: string; new?: string } = {},
): void {
  const a = organizationOf(oldDoc);
  const b = organizationOf(newDoc);
  const differ = a.id && b.id ? a.id !== b.id : a.agency && b.agency ? a.agency !== b.agency : false;
  if (!differ) return;
  const show = (o: { id?: string; agency?: string }) => (a.id && b.id ? o.id : o.agency) ?? '';
  const what = a.id && b.id ? pick(lang, '機関ID', 'organisation id') : pick(lang, '評価実施機関名', 'agency');
  throw new InputError(
    pick(
      lang,
      `別の機関の評価書どうしは比較しません: 変更前${names.old ? ` (${names.old})` : ''}の${what}は「${show(a)}」、変更後${names.new ? ` (${names.new})` : ''}は「${show(b)}」です。同じ評価書の2つの版を指定してください。別の機関の評価書と意図して比べるときは --allow-other-organization を付けてください。`,
      `Refusing to compare documents of two organisations: the old one's ${what} is "${show(a)}", the new one's "${show(b)}". Give two versions of one assessment, or pass --allow-other-organization if this is intended.`,
    ),
    names.new,
  );
}

export function diffDocuments(oldDoc: JsonObject, newDoc: JsonObject, opts: DiffOptions = {}): ItemChange[] {
  const form = opts.form ?? formOfPair(oldDoc, newDoc, opts.lang);
  const ctx: Ctx = { form, out: [] };
  walk(ctx, ROOT, oldDoc, newDoc);
  return ctx.out;
}

function schemaAt(ctx: Ctx, loc: Loc): ResolvedNode | undefined {
  return nodeAt(ctx.form, loc.path, loc.pattern);
}

function walk(ctx: Ctx, loc: Loc, oldV: Json | undefined, newV: Json | undefined): void {
  // Most of a revision is unchanged: equal subtrees cost one comparison and no schema lookups. (The root
  // is not compared: two versions handed to a diff differ, and the scan would be repeated below.)
  if (loc.depth > 0 && deepEqual(oldV, newV)) return;
  if (loc.top !== undefined && isIgnoredKey(loc.top, loc.second)) return;
  const node = schemaAt(ctx, loc);
  if (!node) return; // not an item of the form: validation reports it, the 変更箇所 cannot name it
  const kind = node['x-kind'];
  if (kind === 'changeLog') return;
  if (kind === 'measure') return diffMeasure(ctx, loc, oldV, newV);
  if (kind) return diffLeaf(ctx, node, loc, oldV, newV);
  if (node.properties) {
    const o = isObject(oldV) ? oldV : undefined;
    const n = isObject(newV) ? newV : undefined;
    if (!o && !n) return;
    for (const key of Object.keys(node.properties)) walk(ctx, child(loc, key), o?.[key], n?.[key]);
    return;
  }
  if (node.type === 'array' && node.items) return diffRepeated(ctx, loc, oldV, newV);
  diffLeaf(ctx, node, loc, oldV, newV);
}

/** The value a leaf is compared by. */
function comparable(node: ResolvedNode, v: Json | undefined): string {
  if (isEmptyValue(v)) return '';
  switch (node['x-kind']) {
    case 'multi': {
      const m = multiEntries(v);
      return JSON.stringify([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    case 'list':
      return JSON.stringify(Array.isArray(v) ? v.map((x) => asText(x)).filter((x) => x !== '') : [asText(v)]);
    case 'period':
      return isObject(v) ? JSON.stringify([asText(v.from), asText(v.to)]) : asText(v);
    default:
      return asText(v);
  }
}

function diffLeaf(
  ctx: Ctx,
  node: ResolvedNode,
  loc: Loc,
  oldV: Json | undefined,
  newV: Json | undefined,
): void {
  const a = comparable(node, oldV);
  const b = comparable(node, newV);
  if (a === b) return;
  const path = loc.path;
  const oldPath = loc.old;
  const unit = node['x-kind'] ?? 'value';
  // A value the form prints inside another item's row (the 「( )件」 of 「委託の有無 ※」) belongs to that row:
  // it is named, and classified (※ or not), as that item.
  const host = typeof node['x-printed-with'] === 'string' ? node['x-printed-with'] : undefined;
  const item = host ? siblingOf(path, host) : path;
  const oldItem = host ? siblingOf(oldPath, host) : oldPath;
  if (a === '') {
    ctx.out.push({ op: 'add', path, after: newV, unit, item, significant: significantAt(ctx.form, item) });
  } else if (b === '') {
    // `item` names the row: the entry as numbered in the new version (it still exists there).
    ctx.out.push({
      op: 'remove',
      path: oldPath,
      before: oldV,
      unit,
      item,
      ...(oldItem !== item ? { oldItem } : {}),
      significant: significantAt(ctx.form, oldItem),
    });
  } else {
    ctx.out.push({
      op: 'replace',
      path,
      ...(oldPath !== path ? { oldPath, oldItem } : {}),
      before: oldV,
      after: newV,
      unit,
      item,
      significant: significantAt(ctx.form, item),
    });
  }
}

/** The pointer of the sibling `key` of the item at `pointer`. */
function siblingOf(pointer: string, key: string): string {
  return `${pointer.slice(0, pointer.lastIndexOf('/'))}/${esc(key)}`;
}

/**
 * How alike two entries of a repeated block are (0…1): the share of equal items among those the smaller
 * entry fills in (a 委託事項 that gains its 再委託 items is still the same 委託事項). An empty entry (a missing
 * page) pairs with anything.
 */
function entryLikeness(fa: Map<string, string>, fb: Map<string, string>): number {
  if (fa.size === 0 || fb.size === 0) return fa.size === fb.size ? 1 : 0.5;
  let same = 0;
  for (const [k, x] of fa) {
    const y = fb.get(k);
    if (y === undefined) continue;
    if (x === y) same++;
    else if (textSimilarity(x, y) >= 0.6) same += 0.5;
  }
  return same / Math.min(fa.size, fb.size);
}

function diffRepeated(ctx: Ctx, loc: Loc, oldV: Json | undefined, newV: Json | undefined): void {
  const a = Array.isArray(oldV) ? oldV : [];
  const b = Array.isArray(newV) ? newV : [];
  if (a.length === 0 && b.length === 0) return;
  // Flattened only for the entries that need scoring (lazily: usually none or two).
  const fa = new Map<number, Map<string, string>>();
  const fb = new Map<number, Map<string, string>>();
  const flat = (cache: Map<number, Map<string, string>>, arr: Json[], i: number) => {
    let f = cache.get(i);
    if (!f) cache.set(i, (f = flattenLeaves(arr[i])));
    return f;
  };
  const steps = alignSequences(
    a.map((_, i) => i),
    b.map((_, j) => j),
    (i, j) => {
      const s = entryLikeness(flat(fa, a, i), flat(fb, b, j));
      return s >= 0.5 ? s : 0;
    },
    (i, j) => deepEqual(a[i], b[j]),
  );
  for (const st of steps) {
    if (st.old !== undefined && st.new !== undefined) {
      walk(ctx, child(loc, st.new, st.old), a[st.old], b[st.new]);
    } else if (st.new !== undefined) {
      const at = only(loc, 'new', st.new);
      if (isEmptyValue(b[st.new])) {
        ctx.out.push({ op: 'add', path: at.path, after: b[st.new], unit: 'block', item: at.path, significant: false, placeholder: true });
        continue;
      }
      ctx.out.push({ op: 'add', path: at.path, after: b[st.new], unit: 'block', item: at.path, significant: significantAt(ctx.form, at.path) });
      const entry = b[st.new];
      listBlockItems(ctx, at.path, () => walk(ctx, at, undefined, entry));
    } else if (st.old !== undefined) {
      const at = only(loc, 'old', st.old);
      if (isEmptyValue(a[st.old])) {
        ctx.out.push({ op: 'remove', path: at.path, before: a[st.old], unit: 'block', item: at.path, significant: false, placeholder: true });
        continue;
      }
      ctx.out.push({ op: 'remove', path: at.path, before: a[st.old], unit: 'block', item: at.path, significant: significantAt(ctx.form, at.path) });
      const entry = a[st.old];
      listBlockItems(ctx, at.path, () => walk(ctx, at, entry, undefined));
    }
  }
}

/**
 * The items of an added/removed entry, marked as belonging to its block change. The entry's own `title`
 * (委託事項名) is what the block row shows, so it is not listed again.
 */
function listBlockItems(ctx: Ctx, blockPath: string, run: () => void): void {
  const start = ctx.out.length;
  run();
  const added = ctx.out.splice(start);
  for (const c of added) {
    if (c.path === `${blockPath}/title`) continue;
    ctx.out.push({ ...c, within: blockPath });
  }
}

function blockKey(b: MeasureBlockValue): string {
  return b.heading || b.system;
}

const joinedParts = new WeakMap<MeasureBlockValue, string>();
function joined(b: MeasureBlockValue): string {
  let t = joinedParts.get(b);
  if (t === undefined) joinedParts.set(b, (t = b.parts.join('\n')));
  return t;
}

function blockLikeness(x: MeasureBlockValue, y: MeasureBlockValue): number {
  const kx = blockKey(x);
  const ky = blockKey(y);
  if (kx && kx === ky) return 3; // the same heading is the same block
  const sim = textSimilarity(joined(x), joined(y));
  if (!kx && !ky) return 0.5 + sim;
  if (kx && ky) return sim >= 0.5 ? sim : 0; // a renamed heading with the same text
  return sim >= 0.3 ? sim : 0;
}

function partLikeness(x: string, y: string): number {
  if (x === y) return 3;
  const nx = partNumberOf(x);
  const ny = partNumberOf(y);
  const sim = textSimilarity(x, y);
  if (nx && ny) return nx === ny ? 2 + sim : sim >= 0.6 ? sim : 0;
  return sim >= 0.3 ? sim : 0;
}

function diffMeasure(ctx: Ctx, loc: Loc, oldV: Json | undefined, newV: Json | undefined): void {
  const item = loc.path;
  const oldItem = loc.old;
  const significant = significantAt(ctx.form, item);
  const moved = oldItem !== item ? { oldItem } : {};
  const { blocks: a, index: idxA } = filledBlocks(oldV);
  const { blocks: bl, index: idxB } = filledBlocks(newV);
  if (a.length === 0 && bl.length === 0) return;
  if (a.length === 0) {
    ctx.out.push({ op: 'add', path: item, after: newV, unit: 'measure', item, significant });
    return;
  }
  if (bl.length === 0) {
    ctx.out.push({ op: 'remove', path: oldItem, before: oldV, unit: 'measure', item: oldItem, significant });
    return;
  }
  // Indices into the arrays as written (blank blocks were filtered out above).
  const rawA = Array.isArray(oldV) ? oldV : [oldV];
  const rawB = Array.isArray(newV) ? newV : [newV];
  for (const st of alignSequences(a, bl, blockLikeness, deepEqual)) {
    if (st.old !== undefined && st.new !== undefined) {
      const x = a[st.old];
      const y = bl[st.new];
      const bi = idxB[st.new];
      const oi = idxA[st.old];
      const heading = y.heading || x.heading || undefined;
      if (x.heading !== y.heading) {
        const hp = `${item}/${bi}/heading`;
        const ohp = `${oldItem}/${oi}/heading`;
        const base = { unit: 'heading' as const, item, ...moved, significant };
        if (!x.heading) ctx.out.push({ op: 'add', path: hp, after: (rawB[bi] as JsonObject).heading, ...base });
        else if (!y.heading) ctx.out.push({ op: 'remove', path: ohp, before: (rawA[oi] as JsonObject).heading, ...base });
        else {
          ctx.out.push({
            op: 'replace',
            path: hp,
            ...(ohp !== hp ? { oldPath: ohp } : {}),
            before: (rawA[oi] as JsonObject).heading,
            after: (rawB[bi] as JsonObject).heading,
            ...base,
          });
        }
      }
      for (const ps of alignSequences(x.parts, y.parts, partLikeness, (p, q) => p === q)) {
        const base = { unit: 'part' as const, item, ...moved, significant, ...(heading ? { blockHeading: heading } : {}) };
        if (ps.old !== undefined && ps.new !== undefined) {
          if (x.parts[ps.old] === y.parts[ps.new]) continue;
          const path = `${item}/${bi}/parts/${ps.new}`;
          const oldPath = `${oldItem}/${oi}/parts/${ps.old}`;
          const num = partNumberOf(y.parts[ps.new]) ?? partNumberOf(x.parts[ps.old]);
          ctx.out.push({
            op: 'replace',
            path,
            ...(oldPath !== path ? { oldPath } : {}),
            before: rawPart(rawA[oi], ps.old),
            after: rawPart(rawB[bi], ps.new),
            ...base,
            ...(num ? { partNumber: num } : {}),
          });
        } else if (ps.new !== undefined) {
          const num = partNumberOf(y.parts[ps.new]);
          ctx.out.push({
            op: 'add',
            path: `${item}/${bi}/parts/${ps.new}`,
            after: rawPart(rawB[bi], ps.new),
            ...base,
            ...(num ? { partNumber: num } : {}),
          });
        } else if (ps.old !== undefined) {
          const num = partNumberOf(x.parts[ps.old]);
          ctx.out.push({
            op: 'remove',
            path: `${oldItem}/${oi}/parts/${ps.old}`,
            before: rawPart(rawA[oi], ps.old),
            ...base,
            ...(num ? { partNumber: num } : {}),
          });
        }
      }
    } else if (st.new !== undefined) {
      const bi = idxB[st.new];
      ctx.out.push({ op: 'add', path: `${item}/${bi}`, after: rawB[bi], unit: 'measureBlock', item, ...moved, significant });
    } else if (st.old !== undefined) {
      const oi = idxA[st.old];
      ctx.out.push({ op: 'remove', path: `${oldItem}/${oi}`, before: rawA[oi], unit: 'measureBlock', item, ...moved, significant });
    }
  }
}

function rawPart(block: Json | undefined, i: number): Json | undefined {
  if (typeof block === 'string') return block;
  return isObject(block) && Array.isArray(block.parts) ? block.parts[i] : undefined;
}

/** The blocks that say something, with their positions in the array as written. */
function filledBlocks(v: Json | undefined): { blocks: MeasureBlockValue[]; index: number[] } {
  const raw = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  const blocks: MeasureBlockValue[] = [];
  const index: number[] = [];
  raw.forEach((b, i) => {
    const mb = blockValue(b);
    if (mb && (mb.parts.some((p) => p !== '') || mb.heading)) {
      blocks.push(mb);
      index.push(i);
    }
  });
  return { blocks, index };
}
