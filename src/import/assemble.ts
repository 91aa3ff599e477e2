// Rows → document: every label cell is matched against the schema's labels in print order (a cursor that
// moves forward, so 「その他の措置の内容」 lands in the risk being read), repeated blocks by their item label
// (「システム2」, 「委託事項3」), and each item's value read by its kind. What cannot be read is a gap.
import { lostCharacter } from './lost-characters.ts';
import { levenshtein } from '../schema/index.ts';
import type { Json, JsonObject } from '../types.ts';
import { labelKey, nfkc } from './normalize.ts';
import { concretePointer, type Outline, type OutlineNode } from './outline.ts';
import type { Row, SourceText, ValueLine } from './rows.ts';
import { cellsToLines } from './text-rows.ts';
import { readChoice, readCount, readDate, readFlag, readList, readMeasure, readMulti, readPeriod, readText, type Read } from './values.ts';

export interface Located {
  page?: number;
  line: number;
}

export interface Slot {
  node: OutlineNode;
  pointer: string;
  lines: ValueLine[];
  at: Located;
  flag?: boolean;
}

export interface ImportNote {
  pointer: string;
  at?: Located;
  message: string;
  kind: 'gap' | 'uncertain' | 'unplaced';
}

export interface Assembly {
  slots: Map<string, Slot>;
  notes: ImportNote[];
  /** Array node idx → highest index seen. */
  counts: Map<number, number>;
  matchedLabels: number;
  /** A character the extraction lost (a label matched only without it) → that printed label (lost-characters.ts). */
  lostCharacters: Map<string, string>;
  /** Rows after the (別添) 変更箇所 heading. */
  changeLogRows: Row[];
  coverRows: Row[];
  glossaryRows: Row[];
  businessFlowRows: Row[];
}

const FLAG_CELL = /^\[([^\]]{0,3})\]\s*(.+)$/s;

export function assemble(src: SourceText, outline: Outline): Assembly {
  const { nodes } = outline;
  const isPdf = src.kind === 'pdf';
  const slots = new Map<string, Slot>();
  const notes: ImportNote[] = [];
  const lostCharacters = new Map<string, string>();
  const indices = new Map<number, number>();
  const counts = new Map<number, number>();
  let pos = 0;
  let last: Slot | undefined;
  let matched = 0;
  const byKey = new Map<string, OutlineNode[]>();
  for (const n of nodes) if (n.key) byKey.set(n.key, [...(byKey.get(n.key) ?? []), n]);
  const arrays = nodes.filter((n) => n.isArray && n.itemLabel);
  const explicit = new Set<number>();
  const implicit = new Map<number, Slot[]>();
  const sectionKeys = new Set(nodes.filter((n) => n.title && (n.parent === 0 || (n.parent >= 0 && nodes[n.parent].parent === 0 && nodes[n.parent].isArray) || n.title.startsWith('(別添'))).map((n) => n.key!));
  const changeLogNode = nodes.find((n) => n.kind === 'changeLog');
  const coverNode = nodes.find((n) => n.tokens.length === 1 && n.tokens[0] === 'cover');

  const arrayAncestors = (n: OutlineNode): OutlineNode[] => {
    const out: OutlineNode[] = [];
    for (let p = n.parent; p >= 0; p = nodes[p].parent) if (nodes[p].isArray) out.unshift(nodes[p]);
    return out;
  };
  const pointerOf = (n: OutlineNode): string => {
    const idx = arrayAncestors(n).map((a) => {
      const i = indices.get(a.idx) ?? 0;
      counts.set(a.idx, Math.max(counts.get(a.idx) ?? 0, i + 1));
      return i;
    });
    return concretePointer(n.tokens, idx);
  };
  const within = (n: OutlineNode, anc: OutlineNode): boolean => n.idx >= anc.idx && n.idx < anc.end;

  const findByKey = (key: string): OutlineNode | undefined => {
    const cands = byKey.get(key);
    if (!cands) return undefined;
    const fwd = cands.find((c) => c.idx > pos);
    if (fwd) return fwd;
    // Backwards: the nearest one (a label seen again after its page, or a repeated block's items).
    return [...cands].reverse().find((c) => c.idx <= pos);
  };

  const fuzzy = (key: string): OutlineNode | undefined => {
    if (key.length < 8) return undefined;
    let best: { n: OutlineNode; d: number } | undefined;
    for (let i = pos + 1; i < Math.min(nodes.length, pos + 80); i++) {
      const n = nodes[i];
      if (!n.key || n.key.length < 6) continue;
      const d = levenshtein(key, n.key);
      if (d <= Math.max(2, Math.floor(n.key.length * 0.2)) && (!best || d < best.d)) best = { n, d };
    }
    return best?.n;
  };

  /** 「委託事項3」, 「システム2 …」: sets that array's index. Returns the rest of the cell. */
  const matchItemLabel = (cell: string): { rest: string } | undefined => {
    const m = /^(.+?)\s*([0-9０-９]{1,2})(?:[\s\u3000]+([\s\S]*))?$/.exec(cell.trim());
    if (!m) return undefined;
    const key = labelKey(m[1]);
    const cands = arrays.filter((a) => labelKey(a.itemLabel!) === key);
    if (cands.length === 0) return undefined;
    const here = nodes[pos];
    const cand = cands.find((a) => here && within(here, a)) ?? cands.find((a) => a.idx > pos) ?? cands[cands.length - 1];
    const n = Number(nfkc(m[2])) - 1;
    // Items read before any 「システムN」 of this array (a page lost before them): they belong to the entry
    // just before the first numbered one (the orphan 「③他のシステムとの接続」 before 「システム3」 is システム2's).
    const orphans = implicit.get(cand.idx);
    if (!explicit.has(cand.idx) && orphans?.length && n >= 1) {
      const at = cand.tokens.length + 1;
      for (const sl of orphans) {
        const parts = sl.pointer.split('/');
        if (parts[at] !== '0') continue;
        parts[at] = String(n - 1);
        slots.delete(sl.pointer);
        const moved = parts.join('/');
        notes.push({ pointer: moved, at: sl.at, message: `「${cand.itemLabel}${n + 1}」より前にあり番号の見出しがない記載です (前の頁の欠落)。${cand.itemLabel}${n} の記載と読みました`, kind: 'uncertain' });
        sl.pointer = moved;
        slots.set(moved, sl);
      }
      counts.set(cand.idx, Math.max(counts.get(cand.idx) ?? 0, n));
      implicit.delete(cand.idx);
    }
    explicit.add(cand.idx);
    indices.set(cand.idx, n);
    pointerOf(nodes[cand.idx + 1]);
    pos = cand.idx + 1;
    return { rest: (m[3] ?? '').trim() };
  };

  /** Label cell → node (and the value text sharing the cell, if any). */
  const matchCell = (cell: string): { node?: OutlineNode; rest: string; fuzzy?: boolean } | undefined => {
    const sub = /^(.*?)\s*[(（]([^()（）]+?)\s*(\d{1,2})[)）]\s*$/.exec(cell);
    const key = labelKey(cell);
    if (key === '') return undefined;
    let n = findByKey(key);
    if (n) return { node: n, rest: '' };
    if (sub) {
      // 「Ⅱ 特定個人情報ファイルの概要 (特定個人情報ファイル2)」
      const head = findByKey(labelKey(sub[1]));
      if (head) {
        pos = head.idx;
        matchItemLabel(`${sub[2]}${sub[3]}`);
        return { node: head, rest: '' };
      }
    }
    const item = matchItemLabel(cell);
    if (item) return { rest: item.rest };
    // Label and value in one cell (「変更の妥当性 -」): the longest label the cell starts with.
    let best: OutlineNode | undefined;
    for (let i = pos + 1; i < Math.min(nodes.length, pos + 60); i++) {
      const c = nodes[i];
      if (c.key && c.key.length >= 3 && key.startsWith(c.key) && (!best || c.key.length > best.key!.length)) best = c;
    }
    if (best) {
      let cut = 0;
      for (let i = 1; i <= cell.length; i++) if (labelKey(cell.slice(0, i)) === best.key) { cut = i; break; }
      return { node: best, rest: cell.slice(cut).trim() };
    }
    n = fuzzy(key);
    if (n) return { node: n, rest: '', fuzzy: true };
    return undefined;
  };

  const slotFor = (n: OutlineNode, at: Located, fromLabel = false): Slot => {
    // A section printed once per file without a number in reach (Ⅲ for file 2): the same label again
    // means the next file.
    const outer = arrayAncestors(n)[0];
    if (fromLabel && outer && nodes[outer.parent]?.parent === -1 && slots.get(pointerOf(n))?.lines.length) {
      indices.set(outer.idx, (indices.get(outer.idx) ?? 0) + 1);
    }
    const pointer = pointerOf(n);
    let s = slots.get(pointer);
    if (!s) {
      s = { node: n, pointer, lines: [], at };
      slots.set(pointer, s);
      for (const a of arrayAncestors(n)) if (a.itemLabel && !explicit.has(a.idx)) implicit.set(a.idx, [...(implicit.get(a.idx) ?? []), s]);
    }
    return s;
  };

  const setFlag = (text: string, at: Located): boolean => {
    const m = FLAG_CELL.exec(text.trim());
    if (!m) return false;
    const key = labelKey(m[2]);
    const n = nodes.slice(Math.max(0, pos - 5), pos + 40).find((x) => x.kind === 'flag' && x.key === key);
    if (!n) return false;
    const s = slotFor(n, at);
    s.flag = readFlag(text) ?? false;
    return true;
  };

  let collector: { group: OutlineNode; lines: ValueLine[]; at: Located; indices: Map<number, number> } | undefined;
  const occurrences = new Map<number, number>();
  const collectors: NonNullable<typeof collector>[] = [];
  const changeLogRows: Row[] = [];
  const coverRows: Row[] = [];
  const glossaryRows: Row[] = [];
  const businessFlowRows: Row[] = [];
  let region: 'cover' | 'toc' | 'body' | 'changeLog' | 'appendix' = 'cover';
  const tocSeen = new Set<string>();
  // The 元資料の欠落 pages a rendered document carries are the encoder's notes, not the form.
  const gapsTitle = (outline.registry.schema(outline.registry.form(outline.formKey).id)?.properties as Record<string, { title?: string }> | undefined)?.sourceGaps?.title;
  const skipKey = gapsTitle ? labelKey(gapsTitle) : undefined;
  let skipping = false;

  for (const row of src.rows) {
    const at: Located = { page: row.page, line: row.line };
    const firstKey = row.cells.length ? labelKey(row.cells[0]) : '';
    if (region === 'cover') {
      if (firstKey === labelKey('項目一覧')) {
        region = 'toc';
        continue;
      }
      if (!sectionKeys.has(firstKey) || (coverNode && firstKey === coverNode.key)) {
        coverRows.push(row);
        continue;
      }
      region = 'body';
    }
    if (region === 'toc') {
      if (sectionKeys.has(firstKey) && !tocSeen.has(firstKey) && row.cells.length === 1 && !(row.value?.length)) {
        tocSeen.add(firstKey);
        continue;
      }
      region = 'body';
    }
    if (changeLogNode && firstKey === changeLogNode.key) {
      region = 'changeLog';
      continue;
    }

    if (region === 'changeLog') {
      if (sectionKeys.has(firstKey)) region = 'body';
      else if (!/^(用語集|付録|別紙)/.test(firstKey) || row.cells.length !== 1) {
        changeLogRows.push(row);
        continue;
      }
    }

    if (skipKey && firstKey.startsWith(skipKey)) {
      skipping = true;
      continue;
    }
    if (skipping) {
      if (!sectionKeys.has(firstKey)) continue;
      skipping = false;
    }
    if (/^(用語集|付録|別紙)/.test(firstKey) && row.cells.length === 1 && !row.value?.length) {
      region = 'appendix';
    }
    if (region === 'appendix') {
      // Nothing of the form follows an appendix (用語集): its rows are read apart.
      glossaryRows.push(row);
      continue;
    }

    let value: ValueLine[] | undefined = row.value ? [...row.value] : undefined;
    // Standalone checkboxes (「[ ] 提供・移転しない」, 「[ ] 接続しない(入手) [ ] 接続しない(提供)」) wherever the
    // row prints them: beside a caption, split over cells.
    if (isPdf && value?.length) {
      const whole = [...row.cells, ...value.map((l) => l.text)].join(' ');
      let hit = false;
      for (const m of whole.matchAll(/\[([^\][]{0,3})\]\s*([^\][]+?)(?=\s*\[|$)/g)) {
        const key = labelKey(m[2]);
        const n = nodes.slice(Math.max(0, pos - 5), pos + 40).find((x) => x.kind === 'flag' && x.key === key);
        if (n) {
          slotFor(n, at).flag = readFlag(`[${m[1]}]`) ?? false;
          hit = true;
        }
      }
      if (hit) value = value.filter((l) => !/^(\s*\[[^\]]{0,3}\]\s*[^\][]+)+$/.test(l.text) || !nodes.some((x) => x.kind === 'flag' && l.text.includes(x.title ?? '\u0000')));
      if (hit && row.cells.length > 1) row.cells.splice(1).forEach(() => undefined);
    }
    let target: Slot | undefined;
    let labelled = false;
    let groupOnly: OutlineNode | undefined;
    const extra: ValueLine[] = [];
    const cellValue = (k: number): ValueLine[] => (isPdf && row.cellLines?.[k] ? row.cellLines[k] : cellsToLines([row.cells[k]]));
    for (let i = 0; i < row.cells.length; i++) {
      const cell = row.cells[i];
      // 「システム2～5」, 「委託事項6～10」: the form's range headings, not values.
      if (/^\S+?\d{1,2}\s*[～〜~ー-]\s*\d{1,2}$/.test(cell.trim()) && arrays.some((a) => labelKey(cell).startsWith(labelKey(a.itemLabel!)))) {
        labelled = true;
        continue;
      }
      if (setFlag(cell, at)) {
        labelled = true;
        continue;
      }
      const m = labelled && target && !isPdf ? undefined : matchCell(cell);
      const m2 = m ?? (target || labelled ? undefined : undefined);
      if (!m2) {
        if (labelled || !isPdf) {
          // The rest of the cells are the value (text input), or a label-column value (PDF cover).
          for (let k = i; k < row.cells.length; k++) if (!setFlag(row.cells[k], at)) extra.push(...cellValue(k));
          break;
        }
        extra.push(...cellValue(i));
        continue;
      }
      labelled = true;
      matched++;
      if (m2.fuzzy && m2.node) {
        notes.push({ pointer: pointerOf(m2.node), at, message: `ラベル「${cell}」を様式の「${m2.node.title}」と読みました`, kind: 'uncertain' });
        const lost = m2.node.title ? lostCharacter(cell, m2.node.title) : undefined;
        if (lost && !lostCharacters.has(lost)) lostCharacters.set(lost, cell.trim());
      }
      if (m2.node) {
        pos = m2.node.idx;
        if (m2.node.leaf) {
          target = slotFor(m2.node, at, true);
          groupOnly = undefined;
        } else if (m2.node.headLeaf !== undefined) {
          target = slotFor(nodes[m2.node.headLeaf], at);
          groupOnly = undefined;
        } else {
          const leafs = nodes.slice(m2.node.idx + 1, m2.node.end).filter((x) => x.leaf);
          // A group with one item (「10. その他のリスク対策」): its value follows the group's heading.
          target = leafs.length === 1 && leafs[0].kind !== 'flag' ? slotFor(leafs[0], at) : undefined;
          groupOnly = target ? undefined : m2.node;
        }
      } else {
        // 「委託事項1 ⇥ <名称>」: the entry's own name (its `title` item), when the form prints one.
        const arr = nodes[pos - 1];
        const own = nodes.slice(pos, arr?.end ?? pos).filter((x) => x.leaf && x.tokens.length === arr.tokens.length + 2);
        // The entry's own name printed beside its number: its `title` item, or (提供先1 <提供先>) its first item.
        const titleNode = own.find((x) => x.tokens[x.tokens.length - 1] === 'title') ?? (own[0]?.kind === 'text' && !own[0].title?.match(/^[①-⑳]/) ? own[0] : undefined);
        target = titleNode ? slotFor(titleNode, at) : undefined;
        groupOnly = titleNode ? undefined : nodes[pos];
      }
      if (m2.rest) {
        if (target) target.lines.push({ text: m2.rest, para: true });
        else extra.push({ text: m2.rest, para: true });
      }
    }
    if (extra.length) value = [...extra, ...(value ?? [])];
    // A heading's check boxes that reach into the value column (「6. … [ ] 接続しない(入手) [ ] 接続しない(提供)」).
    // A line of check boxes only is taken as flags (every box is set, so `map`, not `every`) and dropped.
    if (groupOnly && value?.length)
      value = value.filter((l) => {
        const cells = l.cells ?? [{ text: l.text }];
        const boxes = cells.every((c) => FLAG_CELL.test(c.text.trim()));
        return !(boxes && cells.map((c) => setFlag(c.text, at)).every(Boolean));
      });
    if (labelled && (target || groupOnly)) collector = undefined;
    if (groupOnly && groupOnly.title?.startsWith('(別添') && !target) {
      // (別添) 記録項目 printed without item labels: its lines are read together at the end.
      // The k-th (別添2) 記録項目 section is the k-th file's (they are printed after all the files).
      const occ = occurrences.get(groupOnly.idx) ?? 0;
      occurrences.set(groupOnly.idx, occ + 1);
      const arr = arrayAncestors(groupOnly).pop();
      if (arr && src.kind === 'pdf') indices.set(arr.idx, Math.min(occ, Math.max(0, (counts.get(arr.idx) ?? 1) - 1)));
      collector = { group: groupOnly, lines: [], at, indices: new Map(indices) };
      collectors.push(collector);
    }
    if (!labelled && collector && value?.length) {
      collector.lines.push(...value);
      continue;
    }
    if (row.nested && value?.length) value[0] = { ...value[0], para: false };
    if (!value || value.length === 0) {
      if (target) last = target;
      continue;
    }
    if (!labelled || (groupOnly && row.pageTop && isPdf)) {
      // A value without a label: the previous item's value goes on (next page, or the next line of text).
      if (last) {
        const [first, ...more] = value;
        const prev = last.lines[last.lines.length - 1];
        if (first.join && prev) prev.text += (first.glue ?? '') + first.text;
        else {
          // A bullet at the top of a page under a numbered part (「【物理的対策】 … ・…」) stays in that part.
          let start = last.lines.length - 1;
          while (start > 0 && !last.lines[start].para) start--;
          const head = last.lines[start]?.text ?? '';
          const inNumbered = /^([①-⑳]|【|\d{1,2}\.\s|[(（]\d{1,2}[)）])/.test(head);
          last.lines.push({ text: first.text, para: first.para && !(inNumbered && /^・/.test(first.text)), ...(first.x !== undefined ? { x: first.x } : {}), ...(first.cells ? { cells: first.cells } : {}) });
        }
        last.lines.push(...more);
      } else notes.push({ pointer: '', at, message: `どの項目の記載か分かりません (「${value[0].text.slice(0, 30)}」)`, kind: 'unplaced' });
      continue;
    }
    if (!target) {
      if (groupOnly && groupOnly.kind === undefined) {
        // A heading row carrying a value (「その他のリスク…に対する措置」 as a group): give it to its only leaf.
        const leafs = nodes.slice(groupOnly.idx + 1, groupOnly.end).filter((x) => x.leaf);
        if (leafs.length === 1) {
          target = slotFor(leafs[0], at);
        }
      }
    }
    if (!target) {
      notes.push({ pointer: groupOnly ? pointerOf(groupOnly) : '', at, message: `どの項目の記載か分かりません (「${value[0].text.slice(0, 30)}」)`, kind: 'unplaced' });
      continue;
    }
    // A label of the same group inside the value (「[十分に行っている] 具体的なチェック方法 <…>…」, cells the
    // extraction merged): the lines after it belong to that item.
    const parent = nodes[target.node.parent];
    for (const l of value) {
      const k = labelKey(l.text);
      const sub = parent && k.length >= 4 ? nodes.slice(parent.idx + 1, parent.end).find((n) => n.leaf && n.key === k && n !== target!.node) : undefined;
      if (sub) {
        target = slotFor(sub, at);
        pos = sub.idx;
        continue;
      }
      target.lines.push(l);
    }
    last = target;
  }
  // (別添) lists without labels: a first 「<見出し>」 line is the heading, 「※」 lines are the notes, the rest items.
  for (const c of collectors) {
    if (!c.lines.length) continue;
    indices.clear();
    for (const [k, v] of c.indices) indices.set(k, v);
    const kids = nodes.slice(c.group.idx + 1, c.group.end).filter((n) => n.leaf && n.parent === c.group.idx);
    const filled = kids.filter((k) => slots.has(pointerOf(k)));
    if (filled.length) {
      // Some items had their labels (凡例, (備考)): the unlabelled lines are the first item's (図).
      const first = kids.find((k) => !slots.has(pointerOf(k)));
      if (first) slotFor(first, c.at).lines.push(...c.lines);
      continue;
    }
    const list = kids.find((k) => k.kind === 'list');
    const texts = kids.filter((k) => k.kind === 'text');
    if (!list) {
      if (kids[0]) slotFor(kids[0], c.at).lines.push(...c.lines);
      continue;
    }
    const lines = c.lines.flatMap((l) => (isPdf ? [l.text] : l.text.split('\n'))).map((t) => t.trim()).filter(Boolean);
    let headLine: string | undefined;
    if (texts[0] && lines.length > 1 && (/^<[^<>]+>$/.test(lines[0]) || !/^・/.test(lines[0]))) headLine = lines.shift();
    const noteLines: string[] = [];
    while (lines.length && /^[※*]/.test(lines[lines.length - 1])) noteLines.unshift(lines.pop()!);
    // PDF: a closing sentence set off from the list by a paragraph space (no ※) is the notes too: record
    // items are names, never sentences ending in 「。」.
    if (isPdf && !noteLines.length && notesNode(texts) && c.lines.length > 2) {
      const lastPara = c.lines.length - 1 - [...c.lines].reverse().findIndex((l) => l.para);
      const tail = c.lines.slice(lastPara).map((l) => l.text.trim()).filter(Boolean);
      if (lastPara > 1 && tail.length && tail.length < lines.length && tail.every((t) => /。$/.test(t))) noteLines.push(...lines.splice(lines.length - tail.length));
    }
    if (headLine !== undefined) slotFor(texts[0], c.at).lines.push({ text: headLine.replace(/^<([^<>]+)>$/, '$1'), para: true });
    const listSlot = slotFor(list, c.at);
    for (const l of lines) listSlot.lines.push({ text: l, para: true });
    const notesAt = notesNode(texts);
    if (noteLines.length && notesAt) slotFor(notesAt, c.at).lines.push(...noteLines.map((t) => ({ text: t, para: true })));
  }
  // 「(2)件」 after a choice (委託の有無) or after ticked boxes (提供を行っている (1)件): the group's count items, in order.
  for (const slot of [...slots.values()]) {
    if (slot.node.kind !== 'choice' && slot.node.kind !== 'multi') continue;
    const text = slot.lines.map((l) => l.text).join(' ');
    const found = [...nfkc(text).matchAll(/\(\s*(\d+)\s*\)\s*件/g)].map((m) => m[1]);
    if (!found.length) continue;
    const parent = nodes[slot.node.parent];
    const countNodes = nodes.slice(parent.idx + 1, parent.end).filter((n) => n.kind === 'count' && n.parent === parent.idx);
    const base = slot.pointer.slice(0, slot.pointer.lastIndexOf('/'));
    countNodes.forEach((cn, k) => {
      if (found[k] === undefined) return;
      const p = `${base}/${cn.tokens[cn.tokens.length - 1]}`;
      if (!slots.has(p)) slots.set(p, { node: cn, pointer: p, lines: [{ text: `${found[k]}件`, para: true }], at: slot.at });
    });
  }
  return { slots, notes, counts, matchedLabels: matched, lostCharacters, changeLogRows, coverRows, glossaryRows, businessFlowRows };
}

/** Slot → value by the item's kind. */
export function readSlot(s: Slot, fromPdf: boolean): Read {
  const n = s.node;
  if (n.kind === 'flag') {
    if (s.flag !== undefined) return { value: s.flag };
    const f = readFlag(s.lines.map((l) => l.text).join(' '));
    return f === undefined ? undefined : { value: f };
  }
  const lines = s.lines;
  switch (n.kind) {
    case 'date':
      return readDate(lines);
    case 'period':
      return readPeriod(lines);
    case 'count':
      return readCount(lines);
    case 'choice':
      return readChoice(lines, n.choices ?? []);
    case 'multi':
      return readMulti(lines, n.choices ?? [], n.detailChoices ?? []);
    case 'list':
      return readList(lines, !fromPdf);
    case 'measure':
      return readMeasure(lines, fromPdf);
    default:
      if (n.choices) return readChoice(lines, n.choices);
      return readText(lines, !fromPdf);
  }
}

export function setAt(doc: JsonObject, pointer: string, value: Json): void {
  const toks = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: Json = doc;
  toks.forEach((t, i) => {
    const lastTok = i === toks.length - 1;
    const nextIsIndex = !lastTok && /^\d+$/.test(toks[i + 1]);
    if (Array.isArray(cur)) {
      const k = Number(t);
      while (cur.length <= k) cur.push({});
      if (lastTok) cur[k] = value;
      else {
        if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = nextIsIndex ? [] : {};
        cur = cur[k];
      }
    } else if (cur && typeof cur === 'object') {
      const o = cur as JsonObject;
      if (lastTok) o[t] = value;
      else {
        if (o[t] === undefined || o[t] === null || typeof o[t] !== 'object') o[t] = nextIsIndex ? [] : {};
        cur = o[t];
      }
    }
  });
}

/** The notes item of a (別添) list: its second text item (the first is the heading). */
function notesNode(texts: OutlineNode[]): OutlineNode | undefined {
  return texts.find((t) => t !== texts[0]);
}
