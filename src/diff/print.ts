// 変更前の記載 / 変更後の記載 as the form prints them, and the table's elision conventions:
//  - a choice in brackets: 「[十分である]」;
//  - a checkbox list as its changed lines: 「[○]その他 <detail>」 (checked), 「[ ]紙」 (unchecked); only the
//    boxes whose state or text changed are printed, as in seed 001;
//  - a date in 和暦, a count with its unit (「2 件」; in the row of the item it is printed with: 「[委託する] (2) 件」), a period 「令和3年7月21日～令和3年8月20日(31日間)」;
//  - a text whose new version only appends (new lines, or more words to a long text):
//    「略」 → 「略 以下追記。 <the new text>」;
//  - a long text changed inside: 「略 <the changed fragment> 略」, the fragment widened to its line when the
//    line is short, else to the enclosing brackets, else to the sentence;
//  - a short text replaced outright: both texts in full.
// The 和暦 and period formats are the renderer's (one implementation for the form and its 変更箇所).
import { formatPeriod } from '../wareki.ts';
import { formatWareki } from '../wareki.ts';
import { groupDigits } from '../report/number.ts';
import type { ResolvedNode } from '../schema/index.ts';
import type { Json } from '../types.ts';
import { asText, isEmptyValue, isObject, measureBlocks, multiEntries } from './values.ts';

/** Texts up to this length are printed in full when replaced (seed 001 prints 150-character parts in full). */
export const FULL_TEXT_LIMIT = 200;
/** A line up to this length is printed whole as the fragment of an elided change. */
const SHORT_LINE = 100;
/** Below this length an old text is repeated in full when the new one continues its last line. */
const APPEND_MIN_OLD = 40;

export const ELIDED = '略';
export const APPENDED = '略 以下追記。';
export const CHECKED = '[○]';
export const UNCHECKED = '[ ]';

/** A value as printed in the form (all of it), by `x-kind`. */
export function printValue(node: ResolvedNode | undefined, v: Json | undefined): string {
  if (isEmptyValue(v) && node?.['x-kind'] !== 'count') return '';
  if (v === undefined || v === null) return '';
  switch (node?.['x-kind']) {
    case 'choice':
      return `[${asText(v)}]`;
    case 'multi':
      return printMultiLines(node, new Map(), multiEntries(v)).after.join('\n');
    case 'flag':
      return `${v === true ? CHECKED : UNCHECKED}${node.title ?? ''}`;
    case 'date':
      return formatWareki(asText(v));
    case 'period':
      return isObject(v) ? formatPeriod(asText(v.from), asText(v.to)) : asText(v);
    case 'count':
      return `${typeof v === 'number' ? groupDigits(v) : asText(v)}${typeof node['x-unit'] === 'string' ? ` ${node['x-unit']}` : ''}`;
    case 'list':
      return Array.isArray(v) ? v.map((x) => asText(x)).filter(Boolean).join('\n') : asText(v);
    case 'measure':
      return printMeasure(v);
    default:
      return asText(v);
  }
}

/** The checkbox lines that differ between two selections, in the form's order of 選択肢. */
export function printMultiLines(
  node: ResolvedNode | undefined,
  before: Map<string, string>,
  after: Map<string, string>,
): { before: string[]; after: string[] } {
  const items = node?.items as { properties?: { choice?: { enum?: unknown[] } } } | undefined;
  const order = (items?.properties?.choice?.enum ?? []).filter((c): c is string => typeof c === 'string');
  const all = [...order, ...[...new Set([...before.keys(), ...after.keys()])].filter((c) => !order.includes(c))];
  const line = (m: Map<string, string>, c: string) => {
    if (!m.has(c)) return `${UNCHECKED}${c}`;
    const d = m.get(c);
    return d ? `${CHECKED}${c} ${d}` : `${CHECKED}${c}`;
  };
  const out = { before: [] as string[], after: [] as string[] };
  for (const c of all) {
    const inB = before.has(c);
    const inA = after.has(c);
    if (!inB && !inA) continue;
    if (inB && inA && before.get(c) === after.get(c)) continue;
    out.before.push(line(before, c));
    out.after.push(line(after, c));
  }
  // A pure addition (nothing selected before) or removal prints only the selected side.
  if (before.size === 0) out.before = [];
  if (after.size === 0) out.after = [];
  return out;
}

/** A block heading as printed: 「<健康管理システムにおける措置>」; a heading written with its own brackets as is. */
export function printHeading(h: string): string {
  return /^[<＜(（【[「]/.test(h) ? h : `<${h}>`;
}

export function printMeasure(v: Json | undefined): string {
  return measureBlocks(v)
    .map((b) => [...(b.heading ? [printHeading(b.heading)] : []), ...b.parts.filter(Boolean)].join('\n'))
    .filter(Boolean)
    .join('\n');
}

/** 変更前/変更後 of one text change, with the table's 略 conventions. */
export function elideTexts(before: string, after: string): { before: string; after: string } {
  if (!before || !after) return { before, after };
  if (after.startsWith(before)) {
    const rest = after.slice(before.length);
    const appended = rest.trim();
    const newParagraph = /^[ \t\u3000]*\n/.test(rest);
    if (appended && (newParagraph || (after.length > FULL_TEXT_LIMIT && before.length >= APPEND_MIN_OLD))) {
      return { before: ELIDED, after: `${APPENDED}${newParagraph ? '\n' : ' '}${appended}` };
    }
  }
  if (before.length <= FULL_TEXT_LIMIT && after.length <= FULL_TEXT_LIMIT) return { before, after };
  return elideWindow(before, after);
}

const OPENERS: Record<string, string> = { '(': ')', '（': '）', '「': '」', '【': '】', '<': '>', '＜': '＞', '[': ']' };
const CLOSERS = new Set(Object.values(OPENERS));

function elideWindow(before: string, after: string): { before: string; after: string } {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  // [start, before.length - endFromTail) is the window in `before`; the same offsets frame `after`.
  let start = p;
  let tail = s;
  const lineStart = Math.max(before.lastIndexOf('\n', p - 1) + 1, 0);
  const nlB = before.indexOf('\n', before.length - s);
  const lineEndB = nlB < 0 ? before.length : nlB;
  const nlA = after.indexOf('\n', after.length - s);
  const lineEndA = nlA < 0 ? after.length : nlA;
  const nl = (t: string, end: number) => {
    const i = t.indexOf('\n', lineStart);
    return i >= 0 && i < end;
  };
  const sameLine = !nl(before, lineEndB) && !nl(after, lineEndA);
  if (sameLine && lineEndA - lineStart <= SHORT_LINE && lineEndB - lineStart <= SHORT_LINE) {
    start = lineStart;
    tail = before.length - lineEndB;
  } else {
    const br = enclosingBrackets(before, after, p, s);
    if (br) {
      start = br.start;
      tail = br.tail;
    } else {
      start = sentenceStart(before, p);
      tail = before.length - sentenceEnd(before, before.length - s);
      const tailA = after.length - sentenceEnd(after, after.length - s);
      tail = Math.min(tail, tailA);
    }
  }
  const frame = (t: string) => {
    const endIdx = t.length - tail;
    const head = start > 0 ? (t[start - 1] === '\n' ? `${ELIDED}\n` : `${ELIDED} `) : '';
    const foot = endIdx < t.length ? (t[endIdx] === '\n' ? `\n${ELIDED}` : ` ${ELIDED}`) : '';
    return `${head}${t.slice(start, endIdx).trim()}${foot}`;
  };
  return { before: frame(before), after: frame(after) };
}

/** The innermost bracket pair around the change in both texts, as (start, chars after its closer). */
function enclosingBrackets(before: string, after: string, p: number, s: number): { start: number; tail: number } | undefined {
  const stack: string[] = [];
  for (let i = p - 1; i >= 0 && i >= p - SHORT_LINE * 2; i--) {
    const c = before[i];
    if (c === '\n') return undefined;
    if (CLOSERS.has(c)) stack.push(c);
    else if (OPENERS[c]) {
      if (stack.length && stack[stack.length - 1] === OPENERS[c]) stack.pop();
      else {
        const tailB = closerTail(before, before.length - s, OPENERS[c], c);
        const tailA = closerTail(after, after.length - s, OPENERS[c], c);
        if (tailB === undefined || tailA === undefined || tailA !== tailB) return undefined;
        return { start: i, tail: tailB };
      }
    }
  }
  return undefined;
}

function closerTail(t: string, from: number, closer: string, opener: string): number | undefined {
  let depth = 0;
  for (let i = from; i < t.length; i++) {
    const c = t[i];
    if (c === '\n') return undefined;
    if (c === opener) depth++;
    else if (c === closer) {
      if (depth === 0) return t.length - (i + 1);
      depth--;
    }
  }
  return undefined;
}

function sentenceStart(t: string, p: number): number {
  for (let i = p - 1; i >= 0; i--) if (t[i] === '。' || t[i] === '\n') return i + 1;
  return 0;
}

function sentenceEnd(t: string, from: number): number {
  for (let i = from; i < t.length; i++) {
    if (t[i] === '。') return i + 1;
    if (t[i] === '\n') return i;
  }
  return t.length;
}
