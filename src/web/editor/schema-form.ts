// The editor's form, generated from the form schema (never from a hand-written item list): every item with
// its verbatim `title`, 選択肢 in `enum` order, ※ from `x-significant`, repeated blocks from `x-item-label`,
// and the kind of input from `x-kind`. Two directions over the same walk:
//   buildEditorView(form, doc, …) → a view tree the Handlebars partial `editor-node` prints;
//   readEditorForm(form, posted, base) → the document the posted fields describe.
// Field names are JSON Pointers with a one-letter prefix, so the two directions cannot drift apart:
//   v:<ptr> a scalar (text, date, choice, count, list, period part) · f:<ptr> a flag (checkbox)
//   m:<ptr> the checked 選択肢 of a multi-select · d:<ptr>|<選択肢> its 「( )」 detail
//   n:<ptr> the number of entries of a repeated block (or of a measure's blocks / a block's parts)
//   x:<ptr> what a measure block carries that the form does not edit (controls, attestation), as JSON
import { appendPointer, getAtPointer, parsePointer, buildPointer } from '../../pointer.ts';
import {
  deref,
  formRoot,
  getRegistry,
  type ResolvedNode,
  type SchemaNode,
  type SchemaRegistry,
} from '../../schema/index.ts';
import type { Diagnostic, FormId, Json, JsonObject } from '../../types.ts';

/** Top-level keys that are not items of the form: kept from the loaded version, never edited here. */
export const NOT_EDITED = [
  '$schema',
  'form',
  'formVersion',
  'nonPublic',
  'sourceGaps',
  'appendices',
  'changeLog',
];
/** What a measure block holds that the form does not edit (kept through a hidden field). */
const BLOCK_EXTRAS = ['controls', 'attestation'] as const;
/** Most entries of one repeated block the editor accepts (a bound on posted `n:` values). */
export const MAX_ENTRIES = 500;

interface At {
  node: ResolvedNode;
  base: string;
}

function at(registry: SchemaRegistry, raw: SchemaNode, base: string): At {
  const r = deref(registry, raw, base);
  return { node: r.node, base: r.base };
}

const kindOf = (n: ResolvedNode): string | undefined => n['x-kind'];
const isRepeat = (n: ResolvedNode): boolean => n.type === 'array' && !kindOf(n) && !!n.items;
const isGroup = (n: ResolvedNode): boolean => n.type === 'object' && !kindOf(n) && !!n.properties;
const choicesOf = (n: ResolvedNode): string[] => {
  if (kindOf(n) === 'multi') {
    const items = n.items as { properties?: { choice?: { enum?: unknown[] } } } | undefined;
    return (items?.properties?.choice?.enum ?? []).map(String);
  }
  return (n.enum ?? []).map(String);
};

// ───────────── view ─────────────

export interface FindingView {
  severity: string;
  severityName: string;
  message: string;
  label?: string;
  code: string;
  title: string;
}

interface Common {
  id: string;
  ptr: string;
  title: string;
  significant: boolean;
  required: boolean;
  na?: string;
  findings: FindingView[];
}
export interface OptionView {
  value: string;
  id: string;
  checked: boolean;
  detailName?: string;
  detailId?: string;
  detail?: string;
  extra?: boolean;
}
export interface PartView {
  name: string;
  id: string;
  value: string;
  rows: number;
  ptr: string;
  first: boolean;
  last: boolean;
  number: number;
}
export interface BlockView {
  ptr: string;
  index: number;
  number: number;
  headingName: string;
  headingId: string;
  heading: string;
  systemName: string;
  systemId: string;
  system: string;
  extraName: string;
  extra: string;
  partsCountName: string;
  parts: PartView[];
  first: boolean;
  last: boolean;
}
export type ViewNode =
  | (Common & { group: true; note?: string; level: number; children: ViewNode[]; untitled: boolean })
  | (Common & {
      repeat: true;
      itemLabel: string;
      countName: string;
      items: {
        ptr: string;
        label: string;
        index: number;
        first: boolean;
        last: boolean;
        children: ViewNode[];
        findings: FindingView[];
      }[];
      note?: string;
    })
  | (Common & {
      field: true;
      kind: string;
      name: string;
      value?: string;
      rows?: number;
      inputType?: string;
      options?: OptionView[];
      checked?: boolean;
      fromName?: string;
      toName?: string;
      from?: string;
      to?: string;
      fromLabel?: string;
      toLabel?: string;
      blocks?: BlockView[];
      countName?: string;
      unit?: string;
      isText?: boolean;
      isInput?: boolean;
      isChoice?: boolean;
      isMulti?: boolean;
      isFlag?: boolean;
      isPeriod?: boolean;
      isMeasure?: boolean;
      isList?: boolean;
    });

export interface SectionView {
  id: string;
  title: string;
  note?: string;
  children: ViewNode[];
  findings: FindingView[];
  errors: number;
  warnings: number;
}

export interface EditorView {
  sections: SectionView[];
  /** Findings no rendered item holds (the document as a whole, items outside the form). */
  general: FindingView[];
  /** Where each finding is shown (pointer of the item that holds it), for the live validation script. */
  placements: { ptr: string; findings: FindingView[] }[];
  /** Pointers of the items shown greyed (not applicable). */
  notApplicable: string[];
}

export interface ViewOptions {
  diagnostics?: readonly Diagnostic[];
  /** Pointer → why the item does not apply (from the engine's applicability table). */
  notApplicable?: (pointer: string) => string | undefined;
  /** Rule titles by code (one table: the engine's rule descriptions). */
  ruleTitles?: Readonly<Record<string, { ja: string }>>;
}

const SEVERITY_NAMES: Record<string, string> = { error: 'エラー', warning: '警告', info: '情報' };

const fieldId = (ptr: string, suffix = ''): string =>
  `f${ptr.replace(/[^A-Za-z0-9]/g, (c) => (c === '/' ? '-' : `_${c.charCodeAt(0).toString(16)}_`))}${suffix}`;

const textRows = (v: string, min = 2): number => {
  const lines = v.split('\n').reduce((n, l) => n + 1 + Math.floor(l.length / 70), 0);
  return Math.max(min, Math.min(16, lines));
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const str = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'string'
      ? v
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

/** The form key (`juten-h30`) of a form id. */
export function formKeyOf(formId: FormId): string | undefined {
  return getRegistry()
    .forms()
    .find((f) => f.formId === formId)?.key;
}

export function buildEditorView(formKey: string, doc: JsonObject, opts: ViewOptions = {}): EditorView {
  const { registry, root } = formRoot(formKey);
  const holders = new Map<string, FindingView[]>();
  const na = opts.notApplicable ?? (() => undefined);
  const naList: string[] = [];

  const common = (ptr: string, node: ResolvedNode, required: boolean, title: string): Common => {
    const findings: FindingView[] = [];
    holders.set(ptr, findings);
    const reason = na(ptr);
    if (reason) naList.push(ptr);
    return {
      id: fieldId(ptr),
      ptr,
      title,
      significant: node['x-significant'] === true,
      required,
      ...(reason ? { na: reason } : {}),
      findings,
    };
  };

  const leaf = (ptr: string, a: At, required: boolean, title: string): ViewNode => {
    const n = a.node;
    const kind =
      kindOf(n) ??
      (n.enum ? 'choice' : n.type === 'boolean' ? 'flag' : n.type === 'integer' ? 'count' : 'text');
    const value = getAtPointer(doc, ptr);
    const c = common(ptr, n, required, title);
    const name = `v:${ptr}`;
    switch (kind) {
      case 'choice': {
        const choices = choicesOf(n);
        const v = str(value);
        const options: OptionView[] = choices.map((ch, i) => ({
          value: ch,
          id: fieldId(ptr, `-${i}`),
          checked: v === ch,
        }));
        // A value the 選択肢 do not contain (an older wording, a typo in an upload) stays selectable, so a
        // save never drops it silently; validation reports it.
        if (v && !choices.includes(v))
          options.push({ value: v, id: fieldId(ptr, '-x'), checked: true, extra: true });
        return { ...c, field: true, kind, name, isChoice: true, options, value: v };
      }
      case 'multi': {
        const choices = choicesOf(n);
        const detailable = new Set((n['x-detail'] ?? []).map(String));
        const entries = Array.isArray(value) ? (value as Json[]) : [];
        const byChoice = new Map<string, string | undefined>();
        for (const e of entries) {
          if (e && typeof e === 'object' && !Array.isArray(e) && typeof e.choice === 'string')
            byChoice.set(e.choice, typeof e.detail === 'string' ? e.detail : undefined);
        }
        const options: OptionView[] = choices.map((ch, i) => ({
          value: ch,
          id: fieldId(ptr, `-${i}`),
          checked: byChoice.has(ch),
          ...(detailable.has(ch) || byChoice.get(ch)
            ? {
                detailName: `d:${ptr}|${ch}`,
                detailId: fieldId(ptr, `-${i}-d`),
                detail: byChoice.get(ch) ?? '',
              }
            : {}),
        }));
        let x = 0;
        for (const [ch, d] of byChoice) {
          if (choices.includes(ch)) continue;
          const i = x++;
          options.push({
            value: ch,
            id: fieldId(ptr, `-x${i}`),
            checked: true,
            extra: true,
            detailName: `d:${ptr}|${ch}`,
            detailId: fieldId(ptr, `-x${i}-d`),
            detail: d ?? '',
          });
        }
        return { ...c, field: true, kind, name: `m:${ptr}`, isMulti: true, options };
      }
      case 'flag':
        return { ...c, field: true, kind, name: `f:${ptr}`, isFlag: true, checked: value === true };
      case 'date': {
        const v = str(value);
        return {
          ...c,
          field: true,
          kind,
          name,
          isInput: true,
          inputType: v === '' || ISO_DATE.test(v) ? 'date' : 'text',
          value: v,
        };
      }
      case 'count': {
        const v = str(value);
        return {
          ...c,
          field: true,
          kind,
          name,
          isInput: true,
          inputType: v === '' || /^\d+$/.test(v) ? 'number' : 'text',
          value: v,
          ...(typeof n['x-unit'] === 'string' ? { unit: n['x-unit'] } : {}),
        };
      }
      case 'period': {
        const p = (value ?? {}) as JsonObject;
        const props = (n.properties ?? {}) as Record<string, { description?: string }>;
        return {
          ...c,
          field: true,
          kind,
          name,
          isPeriod: true,
          fromName: `v:${appendPointer(ptr, 'from')}`,
          toName: `v:${appendPointer(ptr, 'to')}`,
          from: str(p.from),
          to: str(p.to),
          fromLabel: props.from?.description ?? 'from',
          toLabel: props.to?.description ?? 'to',
        };
      }
      case 'list': {
        const v = Array.isArray(value) ? value.map(str).join('\n') : str(value);
        return { ...c, field: true, kind, name, isList: true, isText: true, value: v, rows: textRows(v) };
      }
      case 'measure':
        return {
          ...c,
          field: true,
          kind,
          name,
          isMeasure: true,
          countName: `n:${ptr}`,
          blocks: measureBlocks(ptr, value),
        };
      default: {
        const v = str(value);
        // Short identifiers (機関ID) are one line; every item of the form is a text area as the form prints it.
        if (!kindOf(n))
          return { ...c, field: true, kind: 'text', name, isInput: true, inputType: 'text', value: v };
        return { ...c, field: true, kind: 'text', name, isText: true, value: v, rows: textRows(v) };
      }
    }
  };

  const measureBlocks = (ptr: string, value: unknown): BlockView[] => {
    const blocks = Array.isArray(value) && value.length > 0 ? (value as Json[]) : [{ parts: [''] }];
    return blocks.map((b, i) => {
      const bp = appendPointer(ptr, i);
      const o = (b && typeof b === 'object' && !Array.isArray(b) ? b : {}) as JsonObject;
      const parts = Array.isArray(o.parts) && o.parts.length > 0 ? o.parts.map(str) : [''];
      const { heading: _h, system: _s, parts: _p, ...rest } = o;
      return {
        ptr: bp,
        index: i,
        number: i + 1,
        headingName: `v:${appendPointer(bp, 'heading')}`,
        headingId: fieldId(bp, '-h'),
        heading: str(o.heading),
        systemName: `v:${appendPointer(bp, 'system')}`,
        systemId: fieldId(bp, '-s'),
        system: str(o.system),
        extraName: `x:${bp}`,
        extra: Object.keys(rest).length ? JSON.stringify(rest) : '',
        partsCountName: `n:${appendPointer(bp, 'parts')}`,
        first: i === 0,
        last: i === blocks.length - 1,
        parts: parts.map((p, j) => {
          const pp = appendPointer(bp, 'parts', j);
          return {
            name: `v:${pp}`,
            id: fieldId(pp),
            value: p,
            rows: textRows(p, 3),
            ptr: pp,
            first: j === 0,
            last: j === parts.length - 1,
            number: j + 1,
          };
        }),
      };
    });
  };

  const walk = (ptr: string, a: At, required: boolean, parentTitle: string, level: number): ViewNode => {
    const n = a.node;
    const title = typeof n.title === 'string' ? n.title : '';
    if (isGroup(n)) {
      const req = new Set(n.required ?? []);
      const children = Object.entries(n.properties ?? {}).map(([k, raw]) =>
        walk(appendPointer(ptr, k), at(registry, raw, a.base), req.has(k), title || parentTitle, level + 1),
      );
      const c = common(ptr, n, required, title);
      return {
        ...c,
        group: true,
        level,
        untitled: !title,
        children,
        ...(typeof n['x-note'] === 'string' ? { note: n['x-note'] } : {}),
      };
    }
    if (isRepeat(n)) {
      const itemLabel = typeof n['x-item-label'] === 'string' ? n['x-item-label'] : title;
      const value = getAtPointer(doc, ptr);
      const count = Array.isArray(value) && value.length > 0 ? value.length : 1;
      const itemAt = at(registry, n.items as SchemaNode, a.base);
      const c = common(ptr, n, required, title);
      const items = [];
      for (let i = 0; i < count; i++) {
        const ip = appendPointer(ptr, i);
        const findings: FindingView[] = [];
        holders.set(ip, findings);
        const it = itemAt.node;
        const children = isGroup(it)
          ? Object.entries(it.properties ?? {}).map(([k, raw]) =>
              walk(
                appendPointer(ip, k),
                at(registry, raw, itemAt.base),
                (it.required ?? []).includes(k),
                title,
                level + 1,
              ),
            )
          : [leaf(ip, itemAt, true, `${itemLabel}${i + 1}`)];
        items.push({
          ptr: ip,
          label: `${itemLabel}${i + 1}`,
          index: i,
          first: i === 0,
          last: i === count - 1,
          children,
          findings,
        });
      }
      return {
        ...c,
        repeat: true,
        itemLabel,
        countName: `n:${ptr}`,
        items,
        ...(typeof n['x-note'] === 'string' ? { note: n['x-note'] } : {}),
      };
    }
    // An untitled leaf (「⑤使用方法」's text) is labelled, as the form prints it, by its group.
    return leaf(ptr, a, required, title || parentTitle);
  };

  const sections: SectionView[] = [];
  const req = new Set(root.node.required ?? []);
  const settings: ViewNode[] = [];
  for (const [k, raw] of Object.entries(root.node.properties ?? {})) {
    if (NOT_EDITED.includes(k)) continue;
    const a = at(registry, raw, root.base);
    const ptr = appendPointer('', k);
    const node = walk(ptr, a, req.has(k), '', 1);
    // status and organization are document settings, not sections of the form: shown together first.
    if (k === 'status' || k === 'organization') {
      settings.push(node);
      continue;
    }
    if ('group' in node || 'repeat' in node) {
      sections.push({
        id: `s-${k}`,
        title: node.title,
        ...('note' in node && node.note ? { note: node.note } : {}),
        children: 'group' in node ? node.children : [node],
        findings: node.findings,
        errors: 0,
        warnings: 0,
      });
      if ('repeat' in node) (sections[sections.length - 1].children[0] as { title: string }).title = '';
    } else settings.push(node);
  }
  const rootTitle = typeof root.node.title === 'string' ? root.node.title : '';
  sections.unshift({
    id: 's-settings',
    title: rootTitle,
    children: settings,
    findings: [],
    errors: 0,
    warnings: 0,
  });

  // Findings beside the nearest item shown at or above their pointer.
  const general: FindingView[] = [];
  const rules = opts.ruleTitles ?? {};
  for (const d of opts.diagnostics ?? []) {
    if (d.waived) continue;
    const f: FindingView = {
      severity: d.severity,
      severityName: SEVERITY_NAMES[d.severity] ?? d.severity,
      message: d.message,
      ...(d.label ? { label: d.label } : {}),
      code: d.code,
      title: rules[d.code]?.ja ?? '',
    };
    let holder: FindingView[] | undefined;
    let tokens: string[] = [];
    try {
      tokens = parsePointer(d.path ?? '');
    } catch {
      tokens = [];
    }
    for (let i = tokens.length; i > 0 && !holder; i--) holder = holders.get(buildPointer(tokens.slice(0, i)));
    (holder ?? general).push(f);
  }
  for (const s of sections) {
    const count = (p: string) => {
      let e = 0;
      let w = 0;
      for (const [hp, fs] of holders) {
        if (p === '' || hp === p || hp.startsWith(p + '/')) {
          for (const f of fs) {
            if (f.severity === 'error') e++;
            else if (f.severity === 'warning') w++;
          }
        }
      }
      return [e, w];
    };
    if (s.id === 's-settings') {
      for (const p of ['/status', '/organization']) {
        const [e, w] = count(p);
        s.errors += e;
        s.warnings += w;
      }
    } else {
      const [e, w] = count(`/${s.id.slice(2)}`);
      s.errors = e;
      s.warnings = w;
    }
  }
  const placements = [...holders]
    .filter(([, fs]) => fs.length > 0)
    .map(([ptr, findings]) => ({ ptr, findings }));
  return { sections, general, placements, notApplicable: naList };
}

// ───────────── posted form → document ─────────────

export interface ReadResult {
  doc: JsonObject;
  /** Label-less pointers of fields that contained NUL (refused: a NUL cannot be stored or printed). */
  nul: string[];
}

export interface ReadOptions {
  /** Keep empty entries (an add/remove/reorder before saving: the new entry must stay on the page). */
  keepEmpty?: boolean;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Browsers post text areas with CRLF; the documents use LF. Otherwise the text is kept exactly as typed. */
const normalize = (s: string): string => s.replace(/\r\n?/g, '\n');

export function readEditorForm(
  formKey: string,
  posted: URLSearchParams,
  base: JsonObject,
  opts: ReadOptions = {},
): ReadResult {
  const { registry, root } = formRoot(formKey);
  const keep = opts.keepEmpty === true;
  const nul: string[] = [];
  const get = (name: string): string | undefined => {
    const v = posted.get(name);
    if (v === null) return undefined;
    if (v.includes('\u0000')) nul.push(name.slice(2));
    return normalize(v);
  };
  const countOf = (ptr: string): number => {
    const v = Number(posted.get(`n:${ptr}`) ?? '0');
    return Number.isSafeInteger(v) && v > 0 ? Math.min(v, MAX_ENTRIES) : 0;
  };

  const readLeaf = (ptr: string, n: ResolvedNode): Json | undefined => {
    const kind =
      kindOf(n) ??
      (n.enum ? 'choice' : n.type === 'boolean' ? 'flag' : n.type === 'integer' ? 'count' : 'text');
    switch (kind) {
      case 'flag':
        // An unchecked box is `false` where the loaded version said so explicitly, else absent (both 「記載なし」).
        return posted.has(`f:${ptr}`) ? true : undefined;
      case 'multi': {
        const checked = posted.getAll(`m:${ptr}`).map(normalize);
        for (const c of checked) if (c.includes('\u0000')) nul.push(ptr);
        const order = choicesOf(n);
        const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
        const out: Json[] = [];
        for (const c of [...new Set(checked)].sort((a, b) => rank(a) - rank(b))) {
          const d = get(`d:${ptr}|${c}`);
          out.push(d ? { choice: c, detail: d } : { choice: c });
        }
        return out.length ? out : undefined;
      }
      case 'count': {
        const v = get(`v:${ptr}`);
        if (v === undefined || v.trim() === '') return undefined;
        // A number as typed; anything else is kept as text so that validation names it instead of a save losing it.
        return /^\s*\d+\s*$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
      }
      case 'period': {
        const from = get(`v:${appendPointer(ptr, 'from')}`) ?? '';
        const to = get(`v:${appendPointer(ptr, 'to')}`) ?? '';
        if (!from && !to) return undefined;
        return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
      }
      case 'list': {
        const v = get(`v:${ptr}`);
        if (v === undefined) return undefined;
        const lines = v.split('\n').filter((l) => l.trim() !== '');
        return lines.length ? lines : undefined;
      }
      case 'measure':
        return readMeasure(ptr);
      default: {
        const v = get(`v:${ptr}`);
        return v === undefined || v === '' ? undefined : v;
      }
    }
  };

  const readMeasure = (ptr: string): Json | undefined => {
    const blocks: Json[] = [];
    for (let i = 0; i < countOf(ptr); i++) {
      const bp = appendPointer(ptr, i);
      const heading = get(`v:${appendPointer(bp, 'heading')}`) ?? '';
      const system = get(`v:${appendPointer(bp, 'system')}`) ?? '';
      const parts: string[] = [];
      for (let j = 0; j < countOf(appendPointer(bp, 'parts')); j++) {
        const p = get(`v:${appendPointer(bp, 'parts', j)}`) ?? '';
        if (p !== '' || keep) parts.push(p);
      }
      const extra: JsonObject = {};
      const x = posted.get(`x:${bp}`);
      if (x) {
        try {
          const parsed = JSON.parse(x) as unknown;
          // Only what a block carries besides its printed text; the form's own fields always win.
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            for (const k of BLOCK_EXTRAS) {
              const v = (parsed as JsonObject)[k];
              if (v !== undefined) extra[k] = v;
            }
          }
        } catch {
          // Not ours (edited by hand in the page): dropped rather than stored as garbage.
        }
      }
      const block: JsonObject = {
        ...(heading ? { heading } : {}),
        ...(system ? { system } : {}),
        parts,
        ...extra,
      };
      if (!keep && parts.length === 0 && !heading && !system && Object.keys(extra).length === 0) continue;
      blocks.push(block);
    }
    return blocks.length ? blocks : undefined;
  };

  const read = (ptr: string, a: At): Json | undefined => {
    const n = a.node;
    if (isGroup(n)) {
      const out: JsonObject = {};
      for (const [k, raw] of Object.entries(n.properties ?? {})) {
        const v = read(appendPointer(ptr, k), at(registry, raw, a.base));
        if (v !== undefined) out[k] = v;
      }
      return isEmpty(out) ? keptBlank(ptr) : out;
    }
    if (isRepeat(n)) {
      const itemAt = at(registry, n.items as SchemaNode, a.base);
      const out: Json[] = [];
      for (let i = 0; i < countOf(ptr); i++) {
        const v = read(appendPointer(ptr, i), itemAt);
        out.push(v === undefined ? (isGroup(itemAt.node) ? {} : '') : v);
      }
      // Empty entries in the middle keep the numbering (システム1, 2, 4 of a source with a missing page);
      // trailing empty ones are the blank entry the page offers, not content.
      if (!keep) while (out.length && (isEmpty(out[out.length - 1]) || out[out.length - 1] === '')) out.pop();
      return out.length ? out : keptBlank(ptr);
    }
    return readLeaf(ptr, n) ?? keptBlank(ptr);
  };

  // An empty value the loaded version wrote explicitly (`connections: []`, `notEntrusted: false`) stays as
  // written: the form cannot show it differently from an absent one, and a save must not rewrite the file.
  const keptBlank = (ptr: string): Json | undefined => {
    const v = getAtPointer(base, ptr) as Json | undefined;
    return v === false || v === '' || isEmpty(v) ? (v as Json) : undefined;
  };

  const doc: JsonObject = {};
  for (const k of NOT_EDITED) if (base[k] !== undefined) doc[k] = base[k];
  for (const [k, raw] of Object.entries(root.node.properties ?? {})) {
    if (NOT_EDITED.includes(k)) continue;
    const v = read(appendPointer('', k), at(registry, raw, root.base));
    if (v !== undefined) doc[k] = v;
  }
  // Keys in the order of the schema (= the form), whatever order the base version had.
  const ordered: JsonObject = {};
  for (const k of Object.keys(root.node.properties ?? {})) if (doc[k] !== undefined) ordered[k] = doc[k];
  for (const k of Object.keys(doc)) if (!(k in ordered)) ordered[k] = doc[k];
  return { doc: ordered, nul: [...new Set(nul)] };
}

// ───────────── add / remove / reorder (without JavaScript: a submit button per operation) ─────────────

export type EditOp = { op: 'add' | 'remove' | 'up' | 'down'; pointer: string };

export function parseOp(v: string | null): EditOp | undefined {
  const m = /^(add|remove|up|down):(\/.*)$/.exec(v ?? '');
  return m ? { op: m[1] as EditOp['op'], pointer: m[2] } : undefined;
}

/**
 * Applies an operation to the (unsaved) document. `add` appends an entry to the array at the pointer;
 * `remove`/`up`/`down` act on the entry the pointer names. The new entry's shape comes from the schema.
 */
export function applyOp(formKey: string, doc: JsonObject, op: EditOp): boolean {
  let tokens: string[];
  try {
    tokens = parsePointer(op.pointer);
  } catch {
    return false;
  }
  const arrayTokens = op.op === 'add' ? tokens : tokens.slice(0, -1);
  const index = op.op === 'add' ? -1 : Number(tokens[tokens.length - 1]);
  if (op.op !== 'add' && !Number.isSafeInteger(index)) return false;
  // Walk (creating containers on the way for `add`).
  let parent: Json = doc;
  for (let i = 0; i < arrayTokens.length - 1; i++) {
    const t = arrayTokens[i];
    const next: Json | undefined = Array.isArray(parent) ? parent[Number(t)] : (parent as JsonObject)[t];
    if (next === undefined || next === null || typeof next !== 'object') {
      if (op.op !== 'add') return false;
      const created: Json = /^\d+$/.test(arrayTokens[i + 1]) ? [] : {};
      if (Array.isArray(parent)) parent[Number(t)] = created;
      else (parent as JsonObject)[t] = created;
      parent = created;
    } else parent = next;
  }
  const last = arrayTokens[arrayTokens.length - 1];
  const container = parent as JsonObject;
  let arr = container[last];
  if (!Array.isArray(arr)) {
    if (op.op !== 'add') return false;
    arr = [];
    container[last] = arr;
  }
  const node = schemaNodeAt(formKey, buildPointer(arrayTokens));
  const fresh = (): Json => {
    if (!node) return {};
    if (kindOf(node) === 'measure') return { parts: [''] };
    if (arrayTokens[arrayTokens.length - 1] === 'parts') return '';
    return {};
  };
  switch (op.op) {
    case 'add':
      // An empty list is shown with one blank entry: adding to it makes the second.
      if (arr.length === 0) arr.push(fresh());
      arr.push(fresh());
      return true;
    case 'remove':
      if (index < 0 || index >= arr.length) return false;
      arr.splice(index, 1);
      return true;
    case 'up':
    case 'down': {
      const j = op.op === 'up' ? index - 1 : index + 1;
      if (index < 0 || index >= arr.length || j < 0 || j >= arr.length) return false;
      [arr[index], arr[j]] = [arr[j], arr[index]];
      return true;
    }
  }
}

export function schemaNodeAt(formKey: string, pointer: string): ResolvedNode | undefined {
  const { registry, root } = formRoot(formKey);
  let cur: At = { node: root.node, base: root.base };
  for (const t of parsePointer(pointer)) {
    const n = cur.node;
    if (n.type === 'array' && n.items) cur = at(registry, n.items as SchemaNode, cur.base);
    else if (n.properties && n.properties[t]) cur = at(registry, n.properties[t], cur.base);
    else return undefined;
  }
  return cur.node;
}

// ───────────── the schema as a list (tests: the page offers every item and 選択肢 in order) ─────────────

export interface SchemaEntry {
  pointer: string;
  title: string;
  choices: string[];
}

/** Every titled item and group of the form in schema order, with its 選択肢 (the editor's contract). */
export function listEditorEntries(formKey: string): SchemaEntry[] {
  const { registry, root } = formRoot(formKey);
  const out: SchemaEntry[] = [];
  const walk = (ptr: string, a: At): void => {
    const n = a.node;
    const title = typeof n.title === 'string' ? n.title : '';
    const choices =
      kindOf(n) === 'choice' || kindOf(n) === 'multi' || (n.enum && !kindOf(n)) ? choicesOf(n) : [];
    if (title || choices.length) out.push({ pointer: ptr, title, choices });
    if (isGroup(n))
      for (const [k, raw] of Object.entries(n.properties ?? {}))
        walk(appendPointer(ptr, k), at(registry, raw, a.base));
    else if (isRepeat(n)) walk(appendPointer(ptr, 0), at(registry, n.items as SchemaNode, a.base));
  };
  for (const [k, raw] of Object.entries(root.node.properties ?? {})) {
    if (NOT_EDITED.includes(k)) continue;
    walk(appendPointer('', k), at(registry, raw, root.base));
  }
  return out;
}
