// Reading the form schemas by JSON Pointer: the schema node at a pointer, its label path in the form's own
// words, and its ※ mark. Everyone who needs a label or a ※ calls these (never retype a label).
import { parsePointer } from '../pointer.ts';
import { getRegistry, type SchemaNode, type SchemaRegistry } from './registry.ts';
import type { XKind } from './vendor-keywords.ts';

/** A schema node with its `$ref` followed: the referenced keywords plus the referencing node's siblings. */
export type ResolvedNode = SchemaNode & {
  title?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  'x-kind'?: XKind;
  'x-significant'?: boolean;
  'x-item-label'?: string;
  'x-detail'?: string[];
};

/** What a `form` argument may be: the form key (`juten-h30`), or a registry + key pair for tests. */
export type FormRef = string | { registry: SchemaRegistry; key: string };

export interface Resolved {
  node: ResolvedNode;
  base: string;
  /** The $defs name the node came from, when it was a `$ref` to `…#/$defs/<name>`. */
  def?: string;
}

interface StepInfo {
  /** Title pushed for this step ('' = none). */
  title: string;
  /** For an array index step: the x-item-label of the array. */
  itemLabel?: string;
  /** For an array index step: the title of the item schema itself. */
  itemTitle?: string;
  index: boolean;
  /** Label of an untitled repeated block, used only when the pointer ends at the block. */
  asWhole?: string;
}

interface PathInfo {
  /** Resolved node at the pointer; undefined when the pointer leaves the schema. */
  resolved: Resolved | undefined;
  steps: StepInfo[];
  significant: boolean;
}

const caches = new WeakMap<SchemaRegistry, Map<string, PathInfo>>();

function unpack(form: FormRef): { registry: SchemaRegistry; key: string } {
  return typeof form === 'string' ? { registry: getRegistry(), key: form } : form;
}

/** The registry and the root node ($refs followed) of a form. */
export function formRoot(form: FormRef): { registry: SchemaRegistry; key: string; root: Resolved } {
  const { registry, key } = unpack(form);
  const info = registry.form(key);
  return { registry, key, root: deref(registry, registry.schema(info.id)!, info.id) };
}

/** Follow `$ref`s (siblings win over the target, as in 2020-12 where both apply). */
export function deref(registry: SchemaRegistry, node: SchemaNode, base: string): Resolved {
  let cur: SchemaNode = node;
  let curBase = base;
  let merged: SchemaNode = {};
  let def: string | undefined;
  for (let hops = 0; hops < 32; hops++) {
    const ref = cur.$ref;
    const { $ref: _drop, ...siblings } = cur;
    merged = { ...siblings, ...merged };
    if (typeof ref !== 'string') return { node: merged as ResolvedNode, base: curBase, def };
    const hash = ref.indexOf('#');
    const uri = hash >= 0 ? ref.slice(0, hash) : ref;
    const fragment = hash >= 0 ? ref.slice(hash + 1) : '';
    const targetId = uri === '' ? curBase : resolveId(uri, curBase);
    const root = registry.schema(targetId);
    if (!root) return { node: merged as ResolvedNode, base: curBase, def };
    let target: unknown = root;
    for (const t of parsePointer(fragment)) target = (target as SchemaNode | undefined)?.[t];
    if (!target || typeof target !== 'object') return { node: merged as ResolvedNode, base: curBase, def };
    const m = /^\/\$defs\/([^/]+)$/.exec(fragment);
    if (m && def === undefined) def = m[1];
    cur = target as SchemaNode;
    curBase = targetId;
  }
  return { node: merged as ResolvedNode, base: curBase, def };
}

function resolveId(uri: string, base: string): string {
  // Our $ids are bare file names; resolve relative references the way a URL would.
  const u = new URL(uri, `pia:///${base}`);
  return u.pathname.replace(/^\//, '');
}

function childOf(
  registry: SchemaRegistry,
  parent: Resolved,
  token: string,
): { child: Resolved; index: boolean } | undefined {
  const n = parent.node;
  const props = n.properties;
  if (props && Object.prototype.hasOwnProperty.call(props, token)) {
    return { child: deref(registry, props[token], parent.base), index: false };
  }
  if (/^(0|[1-9]\d*)$/.test(token)) {
    const prefix = n.prefixItems as SchemaNode[] | undefined;
    const i = Number(token);
    if (prefix && i < prefix.length) return { child: deref(registry, prefix[i], parent.base), index: true };
    if (n.items && typeof n.items === 'object')
      return { child: deref(registry, n.items, parent.base), index: true };
  }
  if (n.additionalProperties && typeof n.additionalProperties === 'object') {
    return { child: deref(registry, n.additionalProperties as SchemaNode, parent.base), index: false };
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = n[k] as SchemaNode[] | undefined;
    if (!branches) continue;
    for (const b of branches) {
      const r = childOf(registry, deref(registry, b, parent.base), token);
      if (r) return r;
    }
  }
  return undefined;
}

/** Array indices become `*` so one cache entry serves every システムN. */
function patternOf(tokens: string[]): string {
  return tokens
    .map((t) => (/^(0|[1-9]\d*)$/.test(t) ? '*' : t.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
}

function pathInfo(form: FormRef, pointer: string): { info: PathInfo; tokens: string[] } {
  const { registry, key } = unpack(form);
  const tokens = parsePointer(pointer);
  let cache = caches.get(registry);
  if (!cache) caches.set(registry, (cache = new Map()));
  const cacheKey = key + '\u0000' + patternOf(tokens);
  let info = cache.get(cacheKey);
  if (!info) {
    const formInfo = registry.form(key);
    const root = registry.schema(formInfo.id)!;
    let cur: Resolved | undefined = deref(registry, root, formInfo.id);
    let significant = cur.node['x-significant'] === true;
    const steps: StepInfo[] = [];
    for (const t of tokens) {
      if (!cur) break;
      const parent: Resolved = cur;
      const next = childOf(registry, parent, t);
      if (!next) {
        cur = undefined;
        break;
      }
      const title = typeof next.child.node.title === 'string' ? next.child.node.title : '';
      // An untitled repeated block (委託事項1…N) is called by its item label as a whole, but only when the
      // pointer ends there: below it, 「委託事項2」 already names the entry.
      const asWhole =
        !title && !next.index && typeof next.child.node['x-item-label'] === 'string'
          ? next.child.node['x-item-label']
          : undefined;
      if (next.index) {
        steps.push({
          title: '',
          index: true,
          itemLabel: parent.node['x-item-label'],
          itemTitle: title,
        });
      } else steps.push({ title, index: false, ...(asWhole ? { asWhole } : {}) });
      if (next.child.node['x-significant'] === true) significant = true;
      cur = next.child;
    }
    info = { resolved: cur, steps, significant };
    cache.set(cacheKey, info);
  }
  return { info, tokens };
}

/** The schema node at `pointer` ($refs followed), or undefined when the pointer is not in the form. */
export function resolveSchemaAt(form: FormRef, pointer: string): ResolvedNode | undefined {
  return pathInfo(form, pointer).info.resolved?.node;
}

/** The `$defs` name of the node at `pointer`, when it is a reference to a shared definition (e.g. `entrust`). */
export function defNameAt(form: FormRef, pointer: string): string | undefined {
  return pathInfo(form, pointer).info.resolved?.def;
}

/**
 * Titles from the root to `pointer`: untitled nodes are skipped, repeated blocks are labelled with
 * `x-item-label` + (index+1) (「システム2」). Past the end of the schema (an unknown key), the labels of the
 * known part are returned.
 */
export function labelPath(form: FormRef, pointer: string): string[] {
  const { info, tokens } = pathInfo(form, pointer);
  const out: string[] = [];
  info.steps.forEach((s, i) => {
    if (s.index) {
      if (s.itemLabel) out.push(`${s.itemLabel}${Number(tokens[i]) + 1}`);
      if (s.itemTitle) out.push(s.itemTitle);
    } else if (s.title) out.push(s.title);
    else if (s.asWhole && i === info.steps.length - 1) out.push(s.asWhole);
  });
  return out;
}

export const LABEL_SEPARATOR = ' › ';

export function formatLabelPath(labels: readonly string[]): string {
  return labels.join(LABEL_SEPARATOR);
}

/** ※: the item at `pointer`, or an item it lies inside (a measure part), is marked x-significant. */
export function isSignificant(form: FormRef, pointer: string): boolean {
  return pathInfo(form, pointer).info.significant;
}

/** True when `pointer` or any item below it is ※ (e.g. adding a whole 委託事項 block). */
export function containsSignificant(form: FormRef, pointer: string): boolean {
  if (isSignificant(form, pointer)) return true;
  const { tokens } = pathInfo(form, pointer);
  const prefix = patternOf(tokens);
  return listItems(form).some(
    (it) =>
      it.significant &&
      (prefix === '' || it.pointer.slice(1) === prefix || it.pointer.slice(1).startsWith(prefix + '/')),
  );
}

export interface FormItem {
  /** Pointer pattern: array indices are `*` (e.g. `/basic/systems/*\/name`). */
  pointer: string;
  /** Label path with repeated blocks as 「システムN」. */
  labels: string[];
  kind: XKind | undefined;
  significant: boolean;
  /** Not required somewhere on the way from the root. */
  optional: boolean;
  /** The shared $defs name when the item is a reference (choice lists). */
  def: string | undefined;
  /** 選択肢 of a choice item (or of a multi item's `choice`). */
  choices: string[] | undefined;
  node: ResolvedNode;
}

const itemCaches = new WeakMap<SchemaRegistry, Map<string, FormItem[]>>();

/** Every leaf item of the form (a node with `x-kind`, or an untyped-by-us plain value), in schema order. */
export function listItems(form: FormRef): FormItem[] {
  const { registry, key } = unpack(form);
  let cache = itemCaches.get(registry);
  if (!cache) itemCaches.set(registry, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const info = registry.form(key);
  const out: FormItem[] = [];
  const walk = (
    r: Resolved,
    pointer: string,
    labels: string[],
    significant: boolean,
    optional: boolean,
    depth: number,
  ): void => {
    const n = r.node;
    const sig = significant || n['x-significant'] === true;
    if (depth > 64) return;
    if (n['x-kind'] || (!n.properties && !(n.items && typeof n.items === 'object'))) {
      let choices = Array.isArray(n.enum) ? (n.enum as string[]) : undefined;
      if (!choices && n['x-kind'] === 'multi' && n.items) {
        const item = deref(registry, n.items, r.base).node;
        const c = item.properties?.choice as SchemaNode | undefined;
        if (c && Array.isArray(c.enum)) choices = c.enum as string[];
      }
      out.push({
        pointer,
        labels,
        kind: n['x-kind'],
        significant: sig,
        optional,
        def: r.def,
        choices,
        node: n,
      });
      return;
    }
    if (n.properties) {
      const req = new Set(n.required ?? []);
      for (const [k, child] of Object.entries(n.properties)) {
        const c = deref(registry, child, r.base);
        const t = typeof c.node.title === 'string' && c.node.title ? [c.node.title] : [];
        walk(
          c,
          `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          [...labels, ...t],
          sig,
          optional || !req.has(k),
          depth + 1,
        );
      }
      return;
    }
    const c = deref(registry, n.items as SchemaNode, r.base);
    const extra = [
      ...(n['x-item-label'] ? [`${n['x-item-label']}N`] : []),
      ...(c.node.title ? [c.node.title as string] : []),
    ];
    walk(c, `${pointer}/*`, [...labels, ...extra], sig, optional, depth + 1);
  };
  walk(deref(registry, registry.schema(info.id)!, info.id), '', [], false, false, 0);
  cache.set(key, out);
  return out;
}
