// The form's items in print order, read from the schema (titles, x-kind, enum, x-item-label, x-detail):
// the importer never carries a label of its own. Each node knows its pointer pattern (arrays as `*`).
import { formRoot, deref, type Resolved, type SchemaRegistry, type SchemaNode } from '../schema/index.ts';
import type { XKind } from '../schema/index.ts';
import { labelKey } from './normalize.ts';

export interface OutlineNode {
  idx: number;
  /** Pointer tokens; array indices are '*'. */
  tokens: string[];
  title?: string;
  key?: string;
  kind?: XKind;
  leaf: boolean;
  /** Set on array nodes with a repeated-block label (システム → システム1…). */
  itemLabel?: string;
  /** Set on arrays of entries (files, systems, 委託事項 …). */
  isArray: boolean;
  parent: number;
  choices?: string[];
  detailChoices?: string[];
  /** Untitled leaf children print as the group's own value (「⑤使用方法」 + text). */
  headLeaf?: number;
  /** Index after the last descendant. */
  end: number;
  required: boolean;
  node: SchemaNode;
}

/** Top-level keys that are not printed sections of the form. */
const SKIP_TOP = new Set(['$schema', 'form', 'formVersion', 'status', 'organization', 'nonPublic', 'sourceGaps', 'appendices']);

export interface Outline {
  nodes: OutlineNode[];
  formKey: string;
  registry: SchemaRegistry;
}

const cache = new Map<string, Outline>();

export function buildOutline(formKey: string): Outline {
  const hit = cache.get(formKey);
  if (hit) return hit;
  const { registry, root } = formRoot(formKey);
  const nodes: OutlineNode[] = [];
  const walk = (r: Resolved, tokens: string[], parent: number, required: boolean, depth: number): void => {
    if (depth > 40) return;
    const n = r.node;
    const title = typeof n.title === 'string' && n.title ? n.title : undefined;
    const kind = n['x-kind'];
    const isArray = n.type === 'array' && !kind && !!n.items;
    const leaf = !!kind || (!n.properties && !isArray);
    let choices = Array.isArray(n.enum) ? (n.enum as string[]) : undefined;
    let detailChoices: string[] | undefined;
    if (kind === 'multi' && n.items) {
      const item = deref(registry, n.items, r.base).node;
      const c = item.properties?.choice as SchemaNode | undefined;
      if (c && Array.isArray(c.enum)) choices = c.enum as string[];
      detailChoices = (n['x-detail'] as string[] | undefined) ?? [];
    }
    const me: OutlineNode = {
      idx: nodes.length,
      tokens,
      title,
      key: title ? labelKey(title) : undefined,
      kind,
      leaf,
      itemLabel: typeof n['x-item-label'] === 'string' ? n['x-item-label'] : undefined,
      isArray,
      parent,
      choices,
      detailChoices,
      end: 0,
      required,
      node: n,
    };
    nodes.push(me);
    if (!leaf) {
      if (isArray) {
        walk(deref(registry, n.items as SchemaNode, r.base), [...tokens, '*'], me.idx, true, depth + 1);
      } else if (n.properties) {
        const req = new Set(n.required ?? []);
        for (const [k, child] of Object.entries(n.properties)) {
          if (depth === 0 && SKIP_TOP.has(k)) continue;
          const c = deref(registry, child, r.base);
          const before = nodes.length;
          walk(c, [...tokens, k], me.idx, required && req.has(k), depth + 1);
          const made = nodes[before];
          if (made && made.leaf && !made.title && me.headLeaf === undefined) me.headLeaf = made.idx;
        }
      }
    }
    me.end = nodes.length;
  };
  walk(root, [], -1, true, 0);
  const out = { nodes, formKey, registry };
  cache.set(formKey, out);
  return out;
}

/** Pointer of a node with concrete array indices. */
export function concretePointer(tokens: readonly string[], indices: readonly number[]): string {
  let i = 0;
  return tokens.map((t) => (t === '*' ? String(indices[i++] ?? 0) : t.replace(/~/g, '~0').replace(/\//g, '~1'))).map((t) => '/' + t).join('');
}
