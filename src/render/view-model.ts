// Builds the printable view of a document: the form's sections, tables and rows, in the form's order,
// with every label taken from the schema (`title`, `enum`, `x-significant`, `x-note`, `x-item-label`).
// Pure: (schema, document) → plain data that templates/document.hbs lays out. No HTML here.
import type { Json, JsonObject } from '../types.ts';
import { buildPointer } from '../pointer.ts';
import { formatPeriod, formatWareki } from '../wareki.ts';

type SchemaNode = { [k: string]: any };

export interface ChoiceView {
  kind: 'choice';
  value: string;
  options: { n: number; label: string; selected: boolean }[];
  invalid: boolean;
}
export interface MultiView {
  kind: 'multi';
  options: { label: string; checked: boolean; detail?: string; hasDetail: boolean }[];
  unknown: string[];
}
export interface MeasureView {
  kind: 'measure';
  blocks: { heading?: string; parts: string[] }[];
}
export type ValueView =
  | { kind: 'text'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'flag'; label: string; checked: boolean }
  | { kind: 'nonpublic'; reason?: string }
  | { kind: 'empty' }
  | ChoiceView
  | MultiView
  | MeasureView;

export interface RowView {
  pointer: string;
  /** Label of the titled group the row belongs to (printed once, spanning its rows). */
  group?: string;
  groupSpan?: number;
  label: string;
  significant: boolean;
  value: ValueView;
}
export interface TableView {
  caption?: string;
  captionNote?: string;
  rows: RowView[];
}
export interface SectionView {
  id: string;
  title: string;
  note?: string;
  subtitle?: string;
  tables: TableView[];
  changeLog?: { date: string; item: string; before: string; after: string; timing: string; explanation: string }[];
}
export interface CoverView {
  formTitle: string;
  stamp: string;
  rows: { label: string; value: string; wide: boolean }[];
  declaration: string;
  specialNotes: string;
}
export interface DocumentView {
  title: string;
  lang: 'ja';
  cover: CoverView;
  toc: string[];
  sections: SectionView[];
  appendices: { title: string; entries: { term?: string; text: string }[] }[];
}

export interface ViewOptions {
  /** 公表用: items listed in `nonPublic` print as 「非公表」. */
  public?: boolean;
}

const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** 「<…における措置>」 for a system block; a parenthesised sub-heading (「(…コンビニ交付)」) prints as written. */
function printedHeading(h: string): string {
  return /^[(（<＜【]/.test(h) ? h : `<${h}>`;
}

export class ViewBuilder {
  private readonly nonPublic: Map<string, string | undefined>;

  constructor(
    private readonly schema: SchemaNode,
    private readonly defs: SchemaNode,
    private readonly doc: JsonObject,
    private readonly opts: ViewOptions,
  ) {
    this.nonPublic = new Map();
    const np = doc.nonPublic;
    if (Array.isArray(np)) {
      for (const e of np) if (isObj(e) && typeof e.path === 'string') this.nonPublic.set(e.path, typeof e.reason === 'string' ? e.reason : undefined);
    }
  }

  resolve(node: SchemaNode): SchemaNode {
    let n = node;
    // $ref siblings (title, x-significant) override the referenced definition.
    for (let i = 0; i < 5 && typeof n.$ref === 'string'; i++) {
      const name = n.$ref.split('/').pop() as string;
      const { $ref: _r, ...rest } = n;
      n = { ...this.defs[name], ...rest };
    }
    return n;
  }

  private hidden(pointer: string): { hidden: boolean; reason?: string } {
    if (!this.opts.public) return { hidden: false };
    for (const [p, reason] of this.nonPublic) {
      if (pointer === p || pointer.startsWith(p + '/')) return { hidden: true, reason };
    }
    return { hidden: false };
  }

  build(): DocumentView {
    const props = this.schema.properties as Record<string, SchemaNode>;
    const cover = this.buildCover(this.resolve(props.cover));
    const sections: SectionView[] = [];
    for (const [key, raw] of Object.entries(props)) {
      const node = this.resolve(raw);
      if (!node.title || ['cover', 'status', 'form', 'formVersion', 'organization', 'nonPublic', 'appendices', '$schema'].includes(key)) continue;
      sections.push(...this.buildSection(key, node, this.doc[key], [key]));
    }
    const appendices: DocumentView['appendices'] = [];
    if (Array.isArray(this.doc.appendices)) {
      for (const a of this.doc.appendices) {
        if (!isObj(a)) continue;
        const entries = Array.isArray(a.entries)
          ? a.entries.filter(isObj).map((e) => ({ term: typeof e.term === 'string' ? e.term : undefined, text: String(e.text ?? '') }))
          : [];
        appendices.push({ title: String(a.title ?? ''), entries });
      }
    }
    return {
      title: typeof (this.doc.cover as JsonObject | undefined)?.name === 'string' ? String((this.doc.cover as JsonObject).name) : String(this.schema.title),
      lang: 'ja',
      cover,
      toc: sections.filter((s) => !s.subtitle).map((s) => s.title).filter((t, i, a) => a.indexOf(t) === i),
      sections,
      appendices,
    };
  }

  private buildCover(node: SchemaNode): CoverView {
    const c = isObj(this.doc.cover) ? this.doc.cover : {};
    const rows: CoverView['rows'] = [];
    let declaration = '';
    let specialNotes = '';
    for (const [key, raw] of Object.entries(node.properties as Record<string, SchemaNode>)) {
      const n = this.resolve(raw);
      const v = c[key];
      const pointer = buildPointer(['cover', key]);
      const h = this.hidden(pointer);
      const text = h.hidden ? '非公表' : n['x-kind'] === 'date' && typeof v === 'string' ? formatWareki(v) : v === undefined || v === null ? '' : String(v);
      if (key === 'declaration') declaration = text;
      else if (key === 'specialNotes') specialNotes = text;
      else rows.push({ label: n.title, value: text, wide: key === 'name' });
    }
    return { formTitle: String(this.schema.title), stamp: String(this.schema['x-form-stamp'] ?? ''), rows, declaration, specialNotes };
  }

  /** A top-level property: one section, or one per entry of a repeated section (Ⅱ/Ⅲ per file). */
  private buildSection(key: string, node: SchemaNode, value: Json | undefined, path: (string | number)[]): SectionView[] {
    const id = `sec-${key}`;
    if (node['x-kind'] === 'changeLog') {
      const rows = Array.isArray(value) ? value.filter(isObj) : [];
      return [
        {
          id,
          title: node.title,
          tables: [],
          changeLog: rows.map((r) => ({
            date: typeof r.date === 'string' ? formatWareki(r.date) : '',
            item: String(r.item ?? ''),
            before: String(r.before ?? ''),
            after: String(r.after ?? ''),
            timing: String(r.timing ?? ''),
            explanation: String(r.explanation ?? ''),
          })),
        },
      ];
    }
    if (node.type === 'array') {
      const item = this.resolve(node.items);
      const entries = Array.isArray(value) ? value : [];
      const out: SectionView[] = [];
      const hoisted: SectionView[] = [];
      entries.forEach((entry, i) => {
        const sec = this.objectSection(`${id}-${i}`, node.title, node['x-note'], item, entry, [...path, i], hoisted);
        if (entries.length > 1) sec.subtitle = `${node['x-item-label'] ?? ''}${i + 1}`;
        if (i > 0) sec.subtitle = sec.subtitle ?? `${i + 1}`;
        out.push(sec);
      });
      if (entries.length === 0) out.push({ id, title: node.title, note: node['x-note'], tables: [] });
      return [...out, ...hoisted];
    }
    const hoisted: SectionView[] = [];
    return [this.objectSection(id, node.title, node['x-note'], node, value, path, hoisted), ...hoisted];
  }

  /** Lays out one section: its direct object children are the numbered subsections (tables). */
  private objectSection(
    id: string,
    title: string,
    note: string | undefined,
    node: SchemaNode,
    value: Json | undefined,
    path: (string | number)[],
    hoisted: SectionView[],
  ): SectionView {
    const sec: SectionView = { id, title, note, tables: [] };
    const obj = isObj(value) ? value : {};
    let loose: TableView | undefined;
    for (const [key, raw] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
      const child = this.resolve(raw);
      const childPath = [...path, key];
      const v = obj[key];
      if (typeof child.title === 'string' && child.title.startsWith('(別添')) {
        // (別添) lists sit inside the data of their file but print as their own section after it.
        const t: TableView = { rows: [] };
        this.collectRows(child, v, childPath, undefined, t.rows, 0);
        hoisted.push({ id: `${id}-${key}`, title: child.title, tables: [t] });
        continue;
      }
      const isGroup = (child.type === 'object' && child.properties && !child['x-kind']) || (child.type === 'array' && child['x-item-label']);
      if (isGroup && child.title) {
        loose = undefined;
        const t: TableView = { caption: child.title, captionNote: child['x-note'], rows: [] };
        this.collectRows(child, v, childPath, undefined, t.rows, 0);
        sec.tables.push(t);
      } else {
        if (!loose) {
          loose = { rows: [] };
          sec.tables.push(loose);
        }
        this.collectRows(child, v, childPath, undefined, loose.rows, 0, true);
      }
    }
    return sec;
  }

  /**
   * Rows of a subsection. Leaves become rows; titled groups below the subsection become a group label
   * printed once beside their rows (the form's left column: 「④使用の主体」, 「リスク1: …」, 「システム1」).
   */
  private collectRows(
    node: SchemaNode,
    value: Json | undefined,
    path: (string | number)[],
    group: string | undefined,
    rows: RowView[],
    depth: number,
    selfIsLeaf = false,
  ): void {
    const pointer = buildPointer(path);
    const kind = node['x-kind'];
    if (selfIsLeaf || (kind && kind !== 'changeLog')) {
      if (kind || node.type !== 'object') {
        rows.push(this.leafRow(node, value, pointer, group, node.title ?? group ?? ''));
        return;
      }
    }
    if (node.type === 'array' && node['x-item-label']) {
      const item = this.resolve(node.items);
      const entries = Array.isArray(value) ? value : [];
      entries.forEach((entry, i) => {
        const label = `${node['x-item-label']}${i + 1}`;
        const start = rows.length;
        const entryTitle = isObj(entry) && typeof entry.title === 'string' && entry.title ? `${label} ${entry.title}` : label;
        this.collectRows(item, entry, [...path, i], entryTitle, rows, depth + 1);
        this.spanGroup(rows, start);
      });
      return;
    }
    if (node.type === 'object' && node.properties) {
      const obj = isObj(value) ? value : {};
      // A titled group whose own value is an untitled leaf (「⑥技術的対策」: its choice + 具体的な対策の内容)
      // prints flat, as the form does: the head row carries the group's label, the others their own.
      const hasHead = Object.values(node.properties as Record<string, SchemaNode>).some((c) => {
        const r = this.resolve(c);
        return !r.title && (r['x-kind'] || r.type !== 'object');
      });
      const nested = depth > 0 && node.title && !hasHead ? (group ? `${group}\n${node.title}` : node.title) : group;
      const start = rows.length;
      for (const [key, raw] of Object.entries(node.properties as Record<string, SchemaNode>)) {
        // A repeated entry's own name (委託事項名) is printed in its group label 「委託事項1 <name>」.
        if (key === 'title' && typeof path[path.length - 1] === 'number') continue;
        const child = this.resolve(raw);
        const leafLabel = child.title ?? node.title ?? '';
        if (child['x-kind'] || child.type !== 'object') {
          rows.push(this.leafRow(child, obj[key], buildPointer([...path, key]), nested, leafLabel));
        } else {
          this.collectRows(child, obj[key], [...path, key], nested, rows, depth + 1);
        }
      }
      if (depth > 0 && node.title && !hasHead) this.spanGroup(rows, start);
    }
  }

  private spanGroup(rows: RowView[], start: number): void {
    if (rows.length <= start) return;
    const g = rows[start].group;
    let n = 0;
    for (let i = start; i < rows.length; i++) {
      if (rows[i].group === g) {
        if (i > start) rows[i].groupSpan = 0;
        n++;
      }
    }
    rows[start].groupSpan = n;
  }

  private leafRow(node: SchemaNode, value: Json | undefined, pointer: string, group: string | undefined, label: string): RowView {
    const h = this.hidden(pointer);
    return {
      pointer,
      group,
      groupSpan: group ? 1 : undefined,
      label,
      significant: Boolean(node['x-significant']),
      value: h.hidden ? { kind: 'nonpublic', reason: h.reason } : this.valueView(node, value),
    };
  }

  valueView(node: SchemaNode, value: Json | undefined): ValueView {
    const kind = node['x-kind'];
    if (kind === 'choice' || (Array.isArray(node.enum) && kind !== 'multi')) {
      const options = (node.enum as string[]).map((label, i) => ({ n: i + 1, label, selected: label === value }));
      if (isEmpty(value)) return { kind: 'choice', value: '', options, invalid: false };
      return { kind: 'choice', value: String(value), options, invalid: !options.some((o) => o.selected) };
    }
    if (kind === 'multi') {
      const choices: string[] = node.items?.properties?.choice?.enum ?? [];
      const detailChoices: string[] = node['x-detail'] ?? [];
      const selected = Array.isArray(value) ? value.filter(isObj) : [];
      const options = choices.map((label) => {
        const sel = selected.find((s) => s.choice === label);
        return {
          label,
          checked: Boolean(sel),
          detail: sel && typeof sel.detail === 'string' ? sel.detail : undefined,
          hasDetail: detailChoices.includes(label),
        };
      });
      const unknown = selected.map((s) => String(s.choice)).filter((c) => !choices.includes(c));
      return { kind: 'multi', options, unknown };
    }
    if (kind === 'flag') return { kind: 'flag', label: node.title ?? '', checked: value === true };
    if (isEmpty(value)) return { kind: 'empty' };
    if (kind === 'measure') {
      const blocks = Array.isArray(value)
        ? value.filter(isObj).map((b) => ({
            heading: typeof b.heading === 'string' && b.heading ? printedHeading(b.heading) : undefined,
            parts: Array.isArray(b.parts) ? b.parts.map((p) => String(p)) : [],
          }))
        : [];
      return { kind: 'measure', blocks };
    }
    if (kind === 'date' && typeof value === 'string') return { kind: 'text', text: formatWareki(value) };
    if (kind === 'period' && isObj(value)) return { kind: 'text', text: formatPeriod(String(value.from ?? ''), String(value.to ?? '')) };
    if (kind === 'count') return { kind: 'text', text: `${String(value)}${node['x-unit'] ?? ''}` };
    if (kind === 'list' && Array.isArray(value)) return { kind: 'lines', lines: value.map((v) => String(v)) };
    if (typeof value === 'object') return { kind: 'text', text: JSON.stringify(value) };
    return { kind: 'text', text: String(value) };
  }
}
