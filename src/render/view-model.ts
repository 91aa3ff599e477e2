// Builds the printable view of a document: the form's sections, tables and rows, in the form's order,
// with every label taken from the schema (`title`, `enum`, `x-significant`, `x-note`, `x-item-label`).
// Pure: (schema, document) → plain data that templates/document.hbs lays out. No HTML here.
//
// The layout rules follow the seeds (../shared/seeds, text of published forms):
//  - a numbered subsection (「3. 特定個人情報の入手・使用」) is a table with a caption row; flags that the form
//    prints beside the subsection title (「[ ] 委託しない」) sit in that caption row;
//  - a repeated entry (システム1, 委託事項3, 提供先1) and a risk (「リスク1: …」) open with a full-width
//    heading row, the entry's own name (委託事項名) as its value;
//  - a small group of plain items (「⑦使用の主体」 → 使用部署 / 使用者数, 「再委託」 → ⑦⑧⑨) prints its label
//    once in the left column beside its rows; an untitled first item is the group's own value;
//  - an item that stands directly under a section title (「3. 特定個人情報ファイル名」) and the closing
//    「…におけるその他のリスク及びそのリスクに対する措置」 print as a label line with the text below it;
//  - ※ is printed where the form prints it: on an item, or once on the title of a group whose note is ※
//    (「5. 個人番号の利用 ※」, 「Ⅲ … ※(7. リスク1⑨を除く。)」) and then not again on its items;
//  - 「( )件」 counts print inside the row of the item they count, as the form does: the row the schema
//    names in `x-printed-with` (beside the checkbox `x-printed-beside`), the same keyword the 変更箇所 reads;
//  - items marked `x-unlabeled` (the (別添) diagram and record item list) print their value without a label.
import type { Json, JsonObject } from '../types.ts';
import { buildPointer } from '../pointer.ts';
import { formatPeriod, formatWareki } from '../wareki.ts';

type SchemaNode = { [k: string]: any };

export interface ChoiceView {
  kind: 'choice';
  value: string;
  options: { n: number; label: string; selected: boolean }[];
  invalid: boolean;
  /** A 「( N )件」 count the form prints in this row (委託の有無). */
  count?: string;
}
export interface MultiView {
  kind: 'multi';
  options: { label: string; checked: boolean; detail?: string; hasDetail: boolean; count?: string }[];
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
  /**
   * item: label | value. heading: a full-width title row (システム1, リスク1: …), the value (an entry's
   * name) beside it when there is one. block: the label on its own line, the value below at full width.
   */
  layout: 'item' | 'heading' | 'block';
  /** Label of the small group the row belongs to, printed once in the left column beside its rows. */
  group?: string;
  groupSpan?: number;
  /** ※ after the group label (the group's own value is a ※ item, e.g. 「⑥使用目的 ※」). */
  groupMark?: boolean;
  label: string;
  /** ※ printed after the label. */
  significant: boolean;
  value: ValueView;
}
export interface TableView {
  caption?: string;
  captionNote?: string;
  /** Checkboxes the form prints beside the subsection title (「[ ] 委託しない」). */
  captionFlags?: { label: string; checked: boolean }[];
  rows: RowView[];
}
export interface SectionView {
  id: string;
  title: string;
  note?: string;
  subtitle?: string;
  tables: TableView[];
  changeLog?: { date: string; item: string; before: string; after: string; timing: string; explanation: string }[];
  changeLogHeads?: string[];
}
export interface CoverView {
  formTitle: string;
  /** 素案 / 案, printed after the form title as the seeds do (「…(全項目評価書)素案」). */
  draftMark: string;
  stamp: string;
  /** 評価書番号 and 評価書名: one row of two boxes at the top of the cover. */
  head: { label: string; value: string }[];
  /** The other cover items in form order, each a label box with its value below. */
  fields: { label: string; value: string; wide: boolean }[];
}
export interface DocumentView {
  title: string;
  lang: 'ja';
  cover: CoverView;
  /** Heading of the 項目一覧 page (`x-contents-title` of the form schema). */
  tocTitle: string;
  /** 項目一覧: the form's top-level parts in order, (別添) included where the form lists them. */
  toc: string[];
  sections: SectionView[];
  appendices: { title: string; entries: { term?: string; text: string }[] }[];
  /** 元資料の欠落 of an encoded sample: printed as an annex after the form, only when there are any. */
  sourceGaps?: { title: string; entries: { path: string; note: string }[] };
}

export interface ViewOptions {
  /** 公表用: items listed in `nonPublic` print as 「非公表」. */
  public?: boolean;
}

const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** Top-level document fields that are not parts of the form. */
const NOT_FORM = new Set(['$schema', 'form', 'formVersion', 'status', 'organization', 'nonPublic', 'sourceGaps', 'appendices', 'cover']);
const DRAFT_STATUSES = new Set(['素案', '案']);

/** 「<…における措置>」 for a system block; a parenthesised sub-heading (「(…コンビニ交付)」) prints as written. */
function printedHeading(h: string): string {
  return /^[(（<＜【]/.test(h) ? h : `<${h}>`;
}

/** The label without its number: 「3. その他のリスク対策」 → 「その他のリスク対策」. */
function unnumbered(title: string): string {
  return title.replace(/^\s*(?:\d+\.|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[①-⑳])\s*/, '');
}

const marksAll = (note: unknown): boolean => typeof note === 'string' && note.includes('※');

interface Ctx {
  /** An enclosing group prints ※ in its title: its items are not marked again. */
  marked: boolean;
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

  resolve(node: SchemaNode | undefined): SchemaNode {
    let n: SchemaNode = node ?? {};
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
    const toc: string[] = [];
    for (const [key, raw] of Object.entries(props)) {
      const node = this.resolve(raw);
      if (!node.title || NOT_FORM.has(key)) continue;
      toc.push(node.title, ...this.appendixTitles(node));
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
      tocTitle: String(this.schema['x-contents-title'] ?? ''),
      toc,
      sections,
      appendices,
      sourceGaps: this.buildSourceGaps(props.sourceGaps),
    };
  }

  /** (別添) parts kept inside the data of a repeated section (記録項目 per file): listed after it. */
  private appendixTitles(node: SchemaNode): string[] {
    const item = node.type === 'array' ? this.resolve(node.items) : node;
    const out: string[] = [];
    for (const raw of Object.values((item.properties ?? {}) as Record<string, SchemaNode>)) {
      const c = this.resolve(raw);
      if (typeof c.title === 'string' && c.title.startsWith('(別添')) out.push(c.title);
    }
    return out;
  }

  private buildSourceGaps(raw: SchemaNode | undefined): DocumentView['sourceGaps'] {
    const gaps = Array.isArray(this.doc.sourceGaps) ? this.doc.sourceGaps.filter(isObj) : [];
    if (!raw || gaps.length === 0) return undefined;
    const node = this.resolve(raw);
    return {
      title: String(node.title ?? ''),
      entries: gaps.map((g) => ({ path: String(g.path ?? ''), note: String(g.note ?? '') })),
    };
  }

  private buildCover(node: SchemaNode): CoverView {
    const c = isObj(this.doc.cover) ? this.doc.cover : {};
    const head: CoverView['head'] = [];
    const fields: CoverView['fields'] = [];
    for (const [key, raw] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
      const n = this.resolve(raw);
      const v = c[key];
      const h = this.hidden(buildPointer(['cover', key]));
      const text = h.hidden ? '非公表' : n['x-kind'] === 'date' && typeof v === 'string' ? formatWareki(v) : v === undefined || v === null ? '' : String(v);
      // The form opens with 評価書番号 | 評価書名 side by side, then one box per item in schema order.
      if (key === 'number' || key === 'name') head.push({ label: n.title, value: text });
      else fields.push({ label: n.title, value: text, wide: n['x-kind'] === 'text' && (key === 'declaration' || key === 'specialNotes') });
    }
    const status = typeof this.doc.status === 'string' && DRAFT_STATUSES.has(this.doc.status) ? this.doc.status : '';
    return { formTitle: String(this.schema.title), draftMark: status, stamp: String(this.schema['x-form-stamp'] ?? ''), head, fields };
  }

  /** A top-level property: one section, or one per entry of a repeated section (Ⅱ/Ⅲ per file). */
  private buildSection(key: string, node: SchemaNode, value: Json | undefined, path: (string | number)[]): SectionView[] {
    const id = `sec-${key}`;
    if (node['x-kind'] === 'changeLog') {
      const rows = Array.isArray(value) ? value.filter(isObj) : [];
      const rowSchema = this.resolve(node.items);
      const heads = Object.values((rowSchema.properties ?? {}) as Record<string, SchemaNode>).map((p) => String(this.resolve(p).title ?? ''));
      return [
        {
          id,
          title: node.title,
          tables: [],
          changeLogHeads: heads,
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
    const ctx: Ctx = { marked: marksAll(node['x-note']) };
    if (node.type === 'array') {
      const item = this.resolve(node.items);
      const entries = Array.isArray(value) ? value : [];
      const out: SectionView[] = [];
      const hoisted: SectionView[] = [];
      entries.forEach((entry, i) => {
        const sec = this.objectSection(`${id}-${i}`, node.title, node['x-note'], item, entry, [...path, i], hoisted, ctx);
        if (entries.length > 1) sec.subtitle = `${node['x-item-label'] ?? ''}${i + 1}`;
        out.push(sec);
      });
      if (entries.length === 0) out.push({ id, title: node.title, note: node['x-note'], tables: [] });
      return [...out, ...hoisted];
    }
    const hoisted: SectionView[] = [];
    return [this.objectSection(id, node.title, node['x-note'], node, value, path, hoisted, ctx), ...hoisted];
  }

  /** Lays out one section: its titled children are the numbered subsections (tables with a caption). */
  private objectSection(
    id: string,
    title: string,
    note: string | undefined,
    node: SchemaNode,
    value: Json | undefined,
    path: (string | number)[],
    hoisted: SectionView[],
    ctx: Ctx,
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
        this.objectRows(child, v, childPath, t, { marked: ctx.marked }, 'section');
        hoisted.push({ id: `${id}-${key}`, title: child.title, tables: [t] });
        continue;
      }
      const isGroup = (child.type === 'object' && child.properties && !child['x-kind']) || (child.type === 'array' && child['x-item-label']);
      if (isGroup && child.title) {
        loose = undefined;
        const t: TableView = { caption: child.title, captionNote: child['x-note'], rows: [] };
        const inner: Ctx = { marked: ctx.marked || marksAll(child['x-note']) };
        if (child.type === 'array') this.arrayRows(child, v, childPath, t.rows, inner);
        else this.objectRows(child, v, childPath, t, inner, 'caption');
        sec.tables.push(t);
      } else {
        if (!loose) {
          loose = { rows: [] };
          sec.tables.push(loose);
        }
        if (isGroup && child.type === 'array') this.arrayRows(child, v, childPath, loose.rows, ctx);
        else if (isGroup) this.objectRows(child, v, childPath, loose, ctx, 'section');
        else this.pushLeaf(loose.rows, child, v, childPath, ctx, { layout: 'block', unlabeled: child['x-unlabeled'] === true, parentTitle: title, only: this.onlyChild(node) });
      }
    }
    return sec;
  }

  private onlyChild(node: SchemaNode): boolean {
    return Object.keys(node.properties ?? {}).length === 1;
  }

  /**
   * Rows of an object's members. `level` says where the object sits: directly under a section title,
   * as a captioned subsection, or nested inside one (a risk, a repeated entry, an untitled block).
   */
  private objectRows(
    node: SchemaNode,
    value: Json | undefined,
    path: (string | number)[],
    table: TableView,
    ctx: Ctx,
    level: 'section' | 'caption' | 'nested',
    nameKey?: string,
  ): void {
    const obj = isObj(value) ? value : {};
    const props = Object.entries((node.properties ?? {}) as Record<string, SchemaNode>);
    const only = props.length === 1;
    const start = table.rows.length;
    for (const [key, raw] of props) {
      // A repeated entry's own name (委託事項名) is printed in its heading row 「委託事項1 <name>」.
      if (key === nameKey) continue;
      const child = this.resolve(raw);
      const childPath = [...path, key];
      const v = obj[key];
      if (child.type === 'array' && child['x-item-label'] && !child['x-kind']) {
        this.arrayRows(child, v, childPath, table.rows, ctx);
        continue;
      }
      if (child.type === 'object' && child.properties && !child['x-kind']) {
        const inner: Ctx = { marked: ctx.marked || marksAll(child['x-note']) };
        if (!child.title) this.objectRows(child, v, childPath, table, inner, 'nested');
        else if (this.isColumnGroup(child)) this.groupRows(child, v, childPath, table.rows, inner);
        else {
          table.rows.push(this.headingRow(child.title, buildPointer(childPath), undefined, inner.marked ? false : Boolean(child['x-significant'])));
          this.objectRows(child, v, childPath, table, inner, 'nested');
        }
        continue;
      }
      if (child['x-kind'] === 'flag' && level === 'caption') {
        (table.captionFlags ??= []).push({ label: child.title ?? '', checked: v === true });
        continue;
      }
      if (this.printedWith(child)) continue;
      // The closing 「…その他のリスク…」 text of a subsection, and items directly under a section title,
      // print as a label line with the text below.
      const closing = child['x-kind'] === 'measure' && level !== 'section' && props.some(([, r]) => {
        const c = this.resolve(r);
        return c.type === 'object' && c.title && !this.isColumnGroup(c);
      });
      const layout = level === 'section' || closing ? 'block' : 'item';
      this.pushLeaf(table.rows, child, v, childPath, ctx, {
        layout,
        unlabeled: child['x-unlabeled'] === true,
        parentTitle: node.title,
        only,
      });
    }
    this.attachCounts(node, obj, path, table.rows.slice(start));
  }

  /** A group of plain items printed with its label in the left column (no risks, no measures, no nesting). */
  private isColumnGroup(node: SchemaNode): boolean {
    const kids = Object.values((node.properties ?? {}) as Record<string, SchemaNode>).map((c) => this.resolve(c));
    if (kids.some((c) => !c.title && (c['x-kind'] || c.type !== 'object'))) return true; // its own value first
    return kids.every((c) => (c['x-kind'] || c.type !== 'object') && c['x-kind'] !== 'measure' && !(c.type === 'array' && c['x-item-label']));
  }

  private groupRows(node: SchemaNode, value: Json | undefined, path: (string | number)[], rows: RowView[], ctx: Ctx): void {
    const obj = isObj(value) ? value : {};
    const start = rows.length;
    let groupMark = false;
    for (const [key, raw] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
      const child = this.resolve(raw);
      const v = obj[key];
      if (this.printedWith(child)) continue;
      if (child.type === 'object' && child.properties && !child['x-kind']) {
        // Not expected inside a column group (isColumnGroup); printed flat rather than lost.
        this.groupRows(child, v, [...path, key], rows, ctx);
        continue;
      }
      const row = this.leafRow(child, v, buildPointer([...path, key]), child.title ?? '', ctx);
      row.group = node.title;
      if (!child.title) {
        // The group's own value: ※ belongs to the group label, as the form prints 「⑥使用目的 ※」.
        groupMark = row.significant;
        row.significant = false;
      }
      rows.push(row);
    }
    if (rows.length > start) {
      rows[start].groupSpan = rows.length - start;
      rows[start].groupMark = groupMark || (!ctx.marked && Boolean(node['x-significant']));
      for (let i = start + 1; i < rows.length; i++) rows[i].groupSpan = 0;
    }
    this.attachCounts(node, obj, path, rows.slice(start));
  }

  /** システム1…N, 委託事項1…N, 提供先1…N: a heading row per entry, then the entry's items. */
  private arrayRows(node: SchemaNode, value: Json | undefined, path: (string | number)[], rows: RowView[], ctx: Ctx): void {
    const item = this.resolve(node.items);
    const entries = Array.isArray(value) ? value : [];
    const itemLabel = String(node['x-item-label'] ?? '');
    // The entry's name prints beside 「委託事項3」 in its heading row: the `title` member (委託事項名), or
    // the member the form labels like the entry itself (提供先1 → 提供先).
    const nameKey = Object.entries((item.properties ?? {}) as Record<string, SchemaNode>).find(
      ([k, raw]) => k === 'title' || (this.resolve(raw).title === itemLabel && this.resolve(raw)['x-kind'] === 'text'),
    )?.[0];
    entries.forEach((entry, i) => {
      const entryPath = [...path, i];
      let nameValue: ValueView | undefined;
      if (nameKey) {
        const name = isObj(entry) ? entry[nameKey] : undefined;
        const h = this.hidden(buildPointer([...entryPath, nameKey]));
        nameValue = h.hidden ? { kind: 'nonpublic', reason: h.reason } : typeof name === 'string' && name.trim() ? { kind: 'text', text: name } : { kind: 'empty' };
      }
      const heading = this.headingRow(`${itemLabel}${i + 1}`, buildPointer(entryPath), nameValue, false);
      if (nameKey) heading.pointer = buildPointer([...entryPath, nameKey]);
      rows.push(heading);
      const t: TableView = { rows };
      if (item.type === 'object' && item.properties) this.objectRows(item, entry, entryPath, t, ctx, 'nested', nameKey);
      else this.pushLeaf(rows, item, entry, entryPath, ctx, { layout: 'item', unlabeled: false, only: false });
    });
  }

  private headingRow(label: string, pointer: string, value: ValueView | undefined, significant: boolean): RowView {
    return { pointer, layout: 'heading', label, significant, value: value ?? { kind: 'empty' } };
  }

  private pushLeaf(
    rows: RowView[],
    node: SchemaNode,
    value: Json | undefined,
    path: (string | number)[],
    ctx: Ctx,
    o: { layout: RowView['layout']; unlabeled: boolean; parentTitle?: string; only: boolean },
  ): void {
    let label = node.title ?? '';
    let layout = o.layout;
    // 「3. その他のリスク対策」 holding one text titled 「その他のリスク対策」: the form prints the title once.
    if (o.unlabeled || (o.only && o.parentTitle && label && unnumbered(o.parentTitle) === label)) {
      label = '';
      layout = 'block';
    }
    const row = this.leafRow(node, value, buildPointer(path), label, ctx);
    row.layout = layout;
    rows.push(row);
  }

  /** The sibling in whose row the form prints this value (`x-printed-with`), if the schema names one. */
  private printedWith(node: SchemaNode): string | undefined {
    const host = node['x-printed-with'];
    return typeof host === 'string' && host ? host : undefined;
  }

  /**
   * 「( N )件」: each member with `x-printed-with` goes into the row of the sibling it names — beside the
   * checkbox `x-printed-beside` when that row is a checkbox list — as the form prints it and as the
   * 変更箇所 classifies it (src/diff/rows.ts reads the same keywords).
   */
  private attachCounts(node: SchemaNode, obj: JsonObject, path: (string | number)[], rows: RowView[]): void {
    for (const [key, raw] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
      const child = this.resolve(raw);
      const host = this.printedWith(child);
      if (!host) continue;
      const hostRow = rows.find((r) => r.pointer === buildPointer([...path, host]));
      if (!hostRow) continue;
      const v = obj[key];
      const shown = this.hidden(buildPointer([...path, key])).hidden ? '非公表' : isEmpty(v) ? '\u3000' : String(v);
      const text = `(${shown})${String(child['x-unit'] ?? '')}`;
      const hv = hostRow.value;
      if (hv.kind === 'choice') hv.count = text;
      else if (hv.kind === 'multi') {
        const beside = typeof child['x-printed-beside'] === 'string' ? child['x-printed-beside'] : undefined;
        const opt = hv.options.find((o) => o.label === beside);
        if (opt) opt.count = text;
      }
    }
  }

  private leafRow(node: SchemaNode, value: Json | undefined, pointer: string, label: string, ctx: Ctx): RowView {
    const h = this.hidden(pointer);
    return {
      pointer,
      layout: 'item',
      label,
      significant: !ctx.marked && Boolean(node['x-significant']),
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
    // A value of a shape the form does not print (schema-invalid input): its plain texts, never JSON.
    if (typeof value === 'object' && value !== null) return { kind: 'lines', lines: plainTexts(value) };
    return { kind: 'text', text: String(value) };
  }
}

function plainTexts(v: Json): string[] {
  if (v === null || v === undefined) return [];
  if (typeof v !== 'object') return [String(v)];
  return (Array.isArray(v) ? v : Object.values(v)).flatMap((x) => plainTexts(x as Json));
}
