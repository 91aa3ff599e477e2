// Reading one item's printed value by its kind (x-kind). Each reader returns the value or a reason it
// could not read it; nothing is guessed: an unreadable value stays empty and becomes a gap.
import { warekiToIso } from '../schema/index.ts';
import type { Json, JsonObject } from '../types.ts';
import { CIRCLED_NUMBERS, nfkc, valueKey } from './normalize.ts';
import type { ValueLine } from './rows.ts';

export type Read = { value: Json; note?: string } | { gap: string } | undefined;

/** Ticked: ○ ◯ ● ■ ☑ ✓ ✔ レ x in the brackets; unticked: blank. */
const MARK = /\[([^\]\n]{0,3})\]/g;
export function isTicked(inner: string): boolean {
  return /[○◯●■☑✓✔✅レxX×◎]/.test(inner);
}

/**
 * Line breaks the extraction turned into spaces, put back before the marks the form's writers start a
 * line with (・, ①, 「1. 」, (※1), <見出し>, 【見出し】). Only for text input; a PDF keeps its own breaks.
 */
export function restoreBreaks(s: string): string {
  return s
    // A parenthesised sub-heading between a sentence and a bullet: 「…する。 (…コンビニ交付) ・…」.
    .replace(/([。）)])[ \t\u3000]+([(（][^()（）\n]{4,60}[)）])[ \t\u3000]+(?=・)/g, '$1\n$2\n')
    .replace(/[ \t\u3000]+(?=・)/g, '\n')
    .replace(new RegExp(`[ \\t\\u3000]+(?=[${CIRCLED_NUMBERS}])`, 'g'), '\n')
    .replace(/[ \t\u3000]+(?=\d{1,2}\.\s)/g, '\n')
    .replace(/[ \t\u3000]+(?=[(（]※\d*[)）])/g, '\n')
    .replace(/[ \t\u3000]+(?=[(（]\d{1,2}[)）]\S)/g, '\n')
    .replace(/[ \t\u3000]*(<[^<>\n]{2,80}>)[ \t\u3000]*/g, '\n$1\n')
    .replace(/[ \t\u3000]+(?=【)/g, '\n')
    .replace(/^(【[^】\n]{1,30}】)[ \t\u3000]+/gm, '$1\n')

    .replace(/\n{2,}/g, '\n')
    .replace(/^\n+|\n+$/g, '');
}

export function linesToText(lines: readonly ValueLine[], restore: boolean): string {
  const parts = lines.map((l) => (restore ? restoreBreaks(l.text) : l.text));
  return parts.join('\n').replace(/\n{2,}/g, '\n').trim();
}

export function readText(lines: readonly ValueLine[], restore: boolean): Read {
  const t = linesToText(lines, restore);
  return t === '' ? undefined : { value: t };
}

export function readDate(lines: readonly ValueLine[]): Read {
  const t = linesToText(lines, false);
  if (t === '') return undefined;
  const first = nfkc(t).replace(/\s+/g, '');
  if (/^[-—ー―‐]+$/.test(first)) return { value: null, note: `「${t}」(記載なし) は日付の項目に入れられないため空欄にしました` };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(first);
  if (iso) return { value: first };
  const m = /(令和|平成|昭和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日/.exec(first);
  const v = m ? warekiToIso(m[0]) : undefined;
  return v ? { value: v } : { gap: `日付として読めません (「${t.slice(0, 40)}」)` };
}

export function readPeriod(lines: readonly ValueLine[]): Read {
  const t = nfkc(linesToText(lines, false)).replace(/\s+/g, '');
  if (t === '') return undefined;
  if (/^[-—ー―‐]+$/.test(t)) return { value: null, note: `「${t}」(記載なし) は期間の項目に入れられないため空欄にしました` };
  const ds = [...t.matchAll(/(令和|平成|昭和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日/g)].map((m) => warekiToIso(m[0]));
  if (ds.length >= 2 && ds[0] && ds[1]) return { value: { from: ds[0], to: ds[1] } };
  return { gap: `期間として読めません (「${t.slice(0, 40)}」)` };
}

export function readCount(lines: readonly ValueLine[]): Read {
  const t = nfkc(linesToText(lines, false));
  if (t.trim() === '') return undefined;
  const m = /(\d+)\s*\)?\s*件/.exec(t) ?? /^\s*\(?\s*(\d+)\s*\)?\s*$/.exec(t);
  return m ? { value: Number(m[1]) } : { gap: `件数として読めません (「${t.slice(0, 20)}」)` };
}

export function readChoice(lines: readonly ValueLine[], choices: readonly string[]): Read {
  const t = linesToText(lines, false);
  if (t.trim() === '') return undefined;
  const byKey = new Map(choices.map((c) => [valueKey(c), c]));
  for (const m of t.matchAll(MARK)) void m;
  const bracket = /\[([^\]]*)\]/.exec(t);
  // 「[ ]」 followed by the 選択肢 list: nothing chosen (the form prints the brackets empty).
  if (bracket && bracket[1].trim() === '' && /^\s*\[\s*\]\s*(<選択肢>|$)/.test(t)) return undefined;
  if (bracket && bracket[1].trim() !== '' && !isTicked(bracket[1]) ) {
    const hit = byKey.get(valueKey(bracket[1]));
    if (hit) return { value: hit };
    return { gap: `選択肢にない記載です (「${bracket[1].trim()}」)` };
  }
  // A choice whose brackets the extraction broke (「[] 十分に行っている []」): take the words only when
  // they are exactly one 選択肢, and say so.
  const bare = valueKey(t.replace(/\[[^\]]*\]/g, '').replace(/<選択肢>[\s\S]*$/, ''));
  const hit = byKey.get(bare);
  if (hit) return { value: hit, note: `選択値の括弧が崩れています。「${hit}」と読みました` };
  return { gap: `選択肢を読み取れません (「${t.replace(/\s+/g, ' ').slice(0, 40)}」)` };
}

export function readFlag(text: string): boolean | undefined {
  const m = /\[([^\]]{0,3})\]/.exec(text);
  return m ? isTicked(m[1]) : undefined;
}

/** 「[○] その他 (健康管理システム)」 lines → [{choice, detail}], in the form's order of 選択肢. */
/** A checkbox grid printed in columns: each column's pieces in order, a piece without 「[」 going on the one above. */
function ungrid(lines: readonly ValueLine[]): string {
  if (!lines.some((l) => l.cells)) return linesToText(lines, false).replace(/\n/g, ' ');
  const cols: { x: number; items: string[] }[] = [];
  for (const l of lines) {
    const pieces = l.cells ?? [{ x: l.x ?? 0, text: l.text }];
    for (const p of pieces) {
      let c = cols.find((k) => Math.abs(k.x - p.x) < 8);
      if (!c) {
        c = { x: p.x, items: [] };
        cols.push(c);
      }
      if (/^\s*\[/.test(p.text) || c.items.length === 0) c.items.push(p.text);
      else c.items[c.items.length - 1] += p.text;
    }
  }
  return cols.flatMap((c) => c.items).join(' ');
}

export function readMulti(lines: readonly ValueLine[], choices: readonly string[], detailChoices: readonly string[]): Read {
  const t = ungrid(lines);
  if (t.trim() === '') return undefined;
  const marks = [...t.matchAll(/\[([^\]\n]{0,3})\]/g)];
  if (marks.length === 0) return { gap: `チェックボックスを読み取れません (「${t.slice(0, 40)}」)` };
  const keyed = choices.map((c) => ({ c, k: valueKey(c) })).sort((a, b) => b.k.length - a.k.length);
  const picked = new Map<string, { ticked: boolean; detail?: string }>();
  const unknown: string[] = [];
  marks.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = i + 1 < marks.length ? (marks[i + 1].index ?? t.length) : t.length;
    const rest = t.slice(start, end).trim();
    const rk = valueKey(rest);
    const hit = keyed.find((x) => rk.startsWith(x.k));
    if (!hit) {
      if (isTicked(m[1])) unknown.push(rest.slice(0, 30));
      return;
    }
    if (picked.has(hit.c)) return; // duplicated rows of the extraction: the first one counts
    let detail: string | undefined;
    if (detailChoices.includes(hit.c)) {
      // Text after the label: 「(…)」, possibly with nested brackets; drop the outer pair.
      let i0 = 0;
      let seen = 0;
      while (i0 < rest.length && seen < hit.k.length) {
        if (!/[\s\u3000]/.test(rest[i0])) seen += nfkc(rest[i0]).replace(/[\s\u3000]/g, '').length;
        i0++;
      }
      let after = rest.slice(i0).trim();
      after = after.replace(/^・[^([（]*$/, '');
      const open = after.search(/[(（]/);
      if (open >= 0) {
        const close = Math.max(after.lastIndexOf(')'), after.lastIndexOf('）'));
        const inner = close > open ? after.slice(open + 1, close) : after.slice(open + 1);
        const d = inner.trim();
        if (d !== '') detail = d;
      }
    }
    picked.set(hit.c, { ticked: isTicked(m[1]), detail });
  });
  const value: JsonObject[] = [];
  for (const c of choices) {
    const p = picked.get(c);
    if (p?.ticked) value.push(p.detail !== undefined ? { choice: c, detail: p.detail } : { choice: c });
  }
  if (picked.size === 0) return { gap: `選択肢を読み取れません (「${t.slice(0, 40)}」)` };
  const notes: string[] = [];
  if (unknown.length) notes.push(`選択肢にないチェック (${unknown.join('、')}) は取り込んでいません`);
  // 「[ ] その他 (接種状況、…)」: a detail without its tick — the tick was probably lost in extraction.
  const untickedDetail = [...picked].filter(([, p]) => !p.ticked && p.detail).map(([c]) => c);
  if (untickedDetail.length) notes.push(`チェックのない「${untickedDetail.join('」「')}」に ( ) の記載があります。チェックが抽出で失われた可能性があります。元の PDF で確認してください`);
  // Text before the first box, or after the 「(…)」 of a detail, belongs to no 選択肢: the extraction split
  // a detail around the box (「…証 [○] その他 (明書…) …」). The detail read is only part of it.
  const lead = t.slice(0, marks[0].index ?? 0).trim();
  const tail = [...picked].some(([, p]) => p.ticked && p.detail !== undefined) && /[)）][^()（）[]*\S[^()（）[]*$/.test(t.replace(/\s+$/, '')) && !/[)）]$/.test(t.trim());
  if (lead !== '' || tail) notes.push(`チェックボックスの外に記載があります (「${(lead || t.slice(-30)).slice(0, 30)}」)。「その他」の ( ) の記載が抽出で割れている可能性があります。元の PDF で確認してください`);
  const note = notes.length ? notes.join('。') : undefined;
  return note ? { value, note } : { value };
}

export function readList(lines: readonly ValueLine[], restore: boolean): Read {
  const t = linesToText(lines, restore);
  if (t === '') return undefined;
  let items = t.split('\n').map((s) => s.trim()).filter(Boolean);
  // 「1個人番号 2宛名番号 …」: a numbered run on one line is a list.
  if (items.length <= 3 && items.every((s) => /^\d{1,2}\D/.test(s))) {
    const split = items.flatMap((s) => s.split(/\s*(?:^|\s)\d{1,2}(?=[^\d\s.、,])/).map((x) => x.trim()).filter(Boolean));
    if (split.length > items.length) items = split;
  }
  // (備考) 「①…予防接種対象者を抽出…」: the number is the order of the list.
  if (restore) items = items.map((s) => s.replace(/^[①-⑳]…\s*/, ''));
  return { value: items };
}

/** Joins a nested source line to the line above inside a part (becomes a line break). */
const NESTED = '\u0001';
const HEADING = /^<([^<>]+)>$/;
const PAREN_HEADING = /^[(（][^()（）]+[)）]$/;
const NUMBERED = new RegExp(`^(?:[${CIRCLED_NUMBERS}]|【[^】]+】|\\d{1,2}\\.\\s|\\(\\d{1,2}\\)|（\\d{1,2}）)`);

/**
 * A measure: blocks per 「<…における措置>」 heading (and per top-level 「(…)」 sub-heading), each block's
 * parts per numbered part (①, 1., (1), 【…】) with its bullets, or per paragraph / 「・」 line when the
 * block has no numbering. From a PDF the printed paragraphs are the parts.
 */
export function readMeasure(lines: readonly ValueLine[], fromPdf: boolean): Read {
  type Block = { heading?: string; paras: string[][] };
  const blocks: Block[] = [];
  let cur: Block | undefined;
  const paras: { lines: string[] }[] = [];
  let guessed = false;
  if (fromPdf) {
    for (const l of lines) {
      const prev = paras[paras.length - 1];
      // A block heading is a paragraph of its own; what follows it starts the block's first part.
      const afterHeading = prev && prev.lines.length === 1 && (HEADING.test(prev.lines[0].trim()) || PAREN_HEADING.test(prev.lines[0].trim()));
      if (l.para || !prev || afterHeading) paras.push({ lines: [] });
      paras[paras.length - 1].lines.push(l.text);
    }
  } else {
    for (const l of lines) {
      const ls = restoreBreaks(l.text)
        .split('\n')
        .flatMap((x) => {
          const y = splitLostParagraphs(x);
          if (y.length > 1) guessed = true;
          return y;
        });
      // A nested line of the source (「: …」 under a bullet) continues the part above it.
      if (!l.para && paras.length) paras[paras.length - 1].lines[paras[paras.length - 1].lines.length - 1] += NESTED + ls.join(NESTED);
      else paras.push({ lines: ls });
    }
  }
  const flat = paras.flatMap((p) => (fromPdf ? [p.lines] : p.lines.map((x) => [x])));
  for (let fi = 0; fi < flat.length; fi++) {
    const p = flat[fi];
    const first = p[0]?.trim() ?? '';
    // 「(…コンビニ交付)」 starts a block when it heads bullets or stands in an unnumbered block; inside a
    // numbered part, followed by its text, it is that part's sub-heading.
    const headsBullets = /^・/.test(flat[fi + 1]?.[0]?.trim() ?? '');
    if (p.length === 1 && (HEADING.test(first) || (PAREN_HEADING.test(first) && (fromPdf || headsBullets || !cur || !cur.paras.some((x) => NUMBERED.test(x[0] ?? '')))))) {
      const h = HEADING.exec(first);
      cur = { heading: h ? h[1].trim() : first, paras: [] };
      blocks.push(cur);
      continue;
    }
    if (!cur) {
      cur = { paras: [] };
      blocks.push(cur);
    }
    cur.paras.push(p.map((x) => x.trim()).filter(Boolean));
  }
  const out: JsonObject[] = [];
  for (const b of blocks) {
    let parts: string[];
    if (fromPdf) parts = b.paras.map((p) => p.join('\n'));
    else {
      const ls = b.paras.flat();
      // Numbered parts (①, 1., 【…】) unless the block starts with 「・」 bullets: then the numbers are nested
      // under a bullet (「・転出元市区町村への個人番号の提供 … ①… ②…」) and each bullet is a part.
      const firstMark = ls.find((l) => NUMBERED.test(l) || /^・/.test(l));
      const numbered = firstMark !== undefined && NUMBERED.test(firstMark);
      if (!numbered && ls.some((l) => NUMBERED.test(l))) {
        parts = [];
        for (const l of ls) {
          if (/^・/.test(l) || parts.length === 0 || /^[(（]?※/.test(l)) parts.push(l);
          else if (NUMBERED.test(l) || !/^・/.test(l)) parts[parts.length - 1] += '\n' + l;
        }
        parts = parts.map((p) => p.split(NESTED).join('\n')).filter((p) => p.trim() !== '');
        out.push(b.heading !== undefined ? { heading: b.heading, parts } : { parts });
        continue;
      }
      parts = [];
      if (numbered) {
        for (const l of ls) {
          if (NUMBERED.test(l) || parts.length === 0) parts.push(l);
          else if (/^[(（]?※/.test(l) && !NUMBERED.test(parts[parts.length - 1])) parts.push(l);
          else parts[parts.length - 1] += '\n' + l;
        }
      } else parts = ls;
    }
    parts = parts.map((p) => p.split(NESTED).join('\n')).filter((p) => p.trim() !== '');
    if (parts.length === 0 && !b.heading) continue;
    out.push(b.heading !== undefined ? { heading: b.heading, parts } : { parts });
  }
  if (out.length === 0) return undefined;
  // The split at a sentence end is a reading of lost line breaks, not something the source shows: the
  // officer checks where each part ends against the PDF.
  if (guessed) return { value: out, note: 'セル内の改行が抽出で空白になっているため、文の終わり「。」の後の空白で部分を分けました。部分の区切りを元の PDF で確認してください' };
  return { value: out };
}

/** Sentences that continue the paragraph before them (a connective opens them), never a new part. */
const CONTINUES = /^(なお|また|ただし|さらに|但し|尚|及び|並びに|あわせて|併せて|このため|そのため|その際|この場合|ここで|加えて)[、,]/;

/**
 * Text input only: a cell's line breaks became spaces, so 「…行う。 委託医療機関…」 is two paragraphs of
 * the source (a writer does not put a space after 「。」 inside a paragraph). A 「・」 item without 「。」
 * followed by a whole sentence (「・…取り組み状況 当市、国、…する。」) is likewise a list followed by a new
 * paragraph. A sentence opening with a connective (「なお、」) stays in its paragraph.
 */
export function splitLostParagraphs(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  const bullet = /^(・[^。\s\u3000]{1,60})[ \u3000]+(?=[^・\s\u3000(（])(.{20,}。)$/.exec(rest);
  // The item must end as a noun phrase (not on a particle or a Latin word the sentence goes on from).
  if (bullet && !CONTINUES.test(bullet[2]) && !/[はがをにでともへや、A-Za-z0-9]$/.test(bullet[1])) {
    out.push(bullet[1]);
    rest = bullet[2];
  }
  for (;;) {
    const re = /。[ \u3000]+(?=\S)/g;
    let cut: RegExpExecArray | undefined;
    for (let m = re.exec(rest); m; m = re.exec(rest)) {
      const next = rest.slice(m.index + m[0].length);
      if (!CONTINUES.test(next) && !/^[・(（※]/.test(next)) {
        cut = m;
        break;
      }
    }
    if (!cut) break;
    out.push(rest.slice(0, cut.index + 1));
    rest = rest.slice(cut.index + cut[0].length);
  }
  out.push(rest);
  return out;
}
