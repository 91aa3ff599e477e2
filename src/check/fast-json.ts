// Large live snapshots are exports of real systems (10,000s of accounts); they come as JSON. The general
// loader (load/) builds a YAML document with a position for every node, which is what an 評価書 needs but
// costs ~1 s per MB. A snapshot needs positions only for the few facts a finding cites, so a JSON snapshot
// is parsed with JSON.parse and positions are found afterwards, for exactly the pointers asked for
// (`prefetch`), by a scan of the text that skips everything else and stops as soon as they are all found.
//
// The scan runs from both ends of the text at once, in turns of CHUNK characters: findings cite facts all
// over an export (accounts near the start, data stores and contractors near the end), and meeting in the
// middle reads only what lies between the text's ends and the farthest cited facts (the newlines in the
// unread middle are still counted, for the line numbers of what the backward half found, but counting is
// several times cheaper than scanning). Going backwards, a value is met before its key, so the key is
// predicted from the parsed object (JSON.parse keeps the keys in text order) and checked when the scan
// reaches it; a position found inside a member counts only once its key is confirmed. Anything unexpected
// (integer-like keys, which V8 orders first; duplicate keys) abandons the backward half and the forward
// scan finishes alone. One difference from a full scan remains, for duplicate keys only (which JSON.parse
// silently merges and the general loader reports as an error): stopping early, the position of a key may
// be that of an occurrence before the last one, whose value JSON.parse kept.
//
// Anything that is not plain JSON (YAML, or JSON with a syntax error) goes to the general loader, which
// gives the precise Japanese message. JSON.parse never assigns prototypes (`__proto__` becomes an own
// property, which the snapshot schema rejects as an unknown item), and V8 parses deep nesting iteratively.
import type { LoadedDocument, SourcePosition } from '../load/index.ts';
import { loadText } from '../load/index.ts';
import type { Lang } from '../schema/lang.ts';
import type { JsonObject } from '../types.ts';
import { parsePointer, unescapeToken } from '../pointer.ts';

export interface SnapshotDocument extends LoadedDocument {
  /** Compute positions of many pointers in one pass (call before locate for speed; locate works anyway). */
  prefetch(pointers: Iterable<string>): void;
}

/** A node of the snapshot some asked pointer leads to (it exists in the parsed data). */
interface Wanted {
  pointer: string;
  /** Members of an object on the way to an asked pointer, by key. */
  keys?: Map<string, Wanted>;
  /** Elements of an array on the way, by index, and those indices in ascending order. */
  items?: Map<number, Wanted>;
  order?: number[];
  /** Found by either half of the scan (confirmed). */
  found: boolean;
  /** Found going forwards: the position (with duplicate keys, of the last occurrence the scan passed). */
  forward?: SourcePosition;
  /** Found going backwards: the offset, and the number of newlines from there to the end of the text. */
  backward?: number;
  newlinesAfter?: number;
}

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_OBJ = 123; // {
const CLOSE_OBJ = 125;
const OPEN_ARR = 91; // [
const CLOSE_ARR = 93;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

/** Characters each half scans before the other takes its turn. */
const CHUNK = 1 << 16;

/** Thrown when every wanted node is found (ends both halves at once). */
const STOP = new Error('every position found');
/** Thrown by the backward half when the text does not read as predicted. */
const MISMATCH = new Error('backward scan abandoned');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Valid JSON has no raw newline inside a string: every newline passes through the loops below. */
class Locator {
  private readonly n: number;
  /** Forward state: the current line and where it starts. */
  private line = 1;
  private lineStart = 0;
  /** A consistent pair: newlines in [0, fAt) = fLine - 1 (taken when the forward half pauses or ends). */
  private fAt = 0;
  private fLine = 1;
  /** The forward half pauses (yields) once it is past this offset. */
  fLimit = 0;
  /** Backward state: newlines from the scan point to the end of the text. */
  private nl = 0;
  /** A consistent pair: newlines in [bAt, n) = bNl. */
  private bAt: number;
  private bNl = 0;
  /** The backward half pauses once it is before this offset. */
  bLimit = 0;
  /** Object members entered backwards whose keys are not confirmed yet; what is found inside waits. */
  private unconfirmed = 0;
  private pending: { node: Wanted; offset: number; newlinesAfter: number }[] = [];
  private foundBackward: Wanted[] = [];
  /** Depth result of the last scanF/scanB. */
  private depth = 0;
  /**
   * The wanted nodes each half is inside right now, from the root down: forwards with the offset where
   * the value starts, backwards with whether the key was read (members) or the index is exact (elements).
   * Where the halves meet, they let the forward half confirm what the backward half predicted.
   */
  private readonly fStack: { node: Wanted; start: number }[] = [];
  private readonly bStack: { node: Wanted; confirmed: boolean; pendingBefore: number }[] = [];

  constructor(
    private readonly text: string,
    private remaining: number,
  ) {
    this.n = text.length;
    this.bAt = this.n;
  }

  get forwardAt(): number {
    return this.fAt;
  }

  get backwardAt(): number {
    return this.bAt;
  }

  positionF(offset: number): SourcePosition {
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  /** The last character of the text that is not whitespace, where the backward half starts. */
  startBackward(): number {
    const end = this.wsB(this.n - 1);
    this.bAt = end + 1;
    this.bNl = this.nl;
    return end;
  }

  // ---- forward ---------------------------------------------------------------------------------------

  wsF(i: number): number {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c !== 32 && c !== 13 && c !== 9) return i;
      i++;
    }
  }

  /** Index just past the string whose opening quote is at `i`. */
  private stringEndF(i: number): number {
    const t = this.text;
    for (;;) {
      const q = t.indexOf('"', i + 1);
      if (q < 0) return this.n;
      // An odd number of backslashes before the quote escapes it.
      let b = q - 1;
      while (t.charCodeAt(b) === BACKSLASH) b--;
      if (((q - 1 - b) & 1) === 0) return q + 1;
      i = q;
    }
  }

  private literalEndF(i: number): number {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR || c === 32 || c === 10 || c === 13 || c === 9)
        return i;
      if (c !== c) return i; // past the end (NaN)
      i++;
    }
  }

  /**
   * The hot loop: from `i` inside containers `depth` deep, to just past the bracket that closes the outer
   * one (this.depth = 0), or to fLimit (this.depth > 0). Strings are skipped whole.
   */
  private scanF(i: number, depth: number): number {
    const t = this.text;
    const limit = Math.min(this.fLimit, this.n);
    let line = this.line;
    let lineStart = this.lineStart;
    while (i < limit) {
      const c = t.charCodeAt(i++);
      if (c === 32) continue;
      if (c === QUOTE) {
        for (;;) {
          const d = t.charCodeAt(i++);
          if (d === QUOTE) break;
          if (d === BACKSLASH) i++;
          else if (d !== d) break; // past the end (NaN): JSON.parse accepted the text, so never
        }
        continue;
      }
      if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
      else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (--depth === 0) break;
      } else if (c === NEWLINE) {
        line++;
        lineStart = i;
      }
    }
    this.line = line;
    this.lineStart = lineStart;
    this.depth = depth;
    return i;
  }

  /**
   * The rest of containers `depth` deep from `i`: index just past the closing bracket, pausing whenever
   * the turn ends. Called only when the plain scan ran out of turn, so that skipping the elements of a
   * large array costs no generator each.
   */
  private *restF(i: number, depth = 1): Generator<void, number> {
    for (;;) {
      if (depth > 0) {
        this.fAt = i;
        this.fLine = this.line;
        yield;
      }
      i = this.scanF(i, depth);
      depth = this.depth;
      if (depth === 0) return i;
    }
  }

  /** Skip the value at `i` within this turn: index past it, or where the turn ended (this.depth > 0). */
  private skipF(i: number): number {
    const c = this.text.charCodeAt(i);
    if (c === OPEN_OBJ || c === OPEN_ARR) return this.scanF(i + 1, 1);
    this.depth = 0;
    return c === QUOTE ? this.stringEndF(i) : this.literalEndF(i);
  }

  private keyAt(start: number, end: number): string {
    const raw = this.text.slice(start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(this.text.slice(start, end)) as string) : raw;
  }

  private foundF(node: Wanted, offset: number): void {
    // Like the general loader: an object member is located at its key, an element at its first character.
    node.forward = this.positionF(offset);
    if (node.found) return;
    node.found = true;
    if (--this.remaining === 0) {
      this.fAt = offset;
      this.fLine = this.line;
      throw STOP;
    }
  }

  /** Walk the value starting at `i` along `node`: index just past the value. */
  *walkF(i: number, node: Wanted): Generator<void, number> {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === OPEN_OBJ && node.keys) {
      i = this.wsF(i + 1);
      // Every member, also after the wanted ones: with a duplicate key the last occurrence counts.
      while (t.charCodeAt(i) === QUOTE) {
        const keyStart = i;
        const end = this.stringEndF(i);
        const child = node.keys.get(this.keyAt(keyStart, end));
        i = this.wsF(end);
        if (t.charCodeAt(i) === COLON) i = this.wsF(i + 1);
        if (child) this.foundF(child, keyStart);
        if (child?.keys || child?.items) {
          this.fStack.push({ node: child, start: i });
          i = yield* this.walkF(i, child);
          this.fStack.pop();
        } else {
          // Not wanted, or wanted without anything wanted inside: one skip, no generator.
          i = this.skipF(i);
          if (this.depth) i = yield* this.restF(i, this.depth);
        }
        i = this.wsF(i);
        if (t.charCodeAt(i) === COMMA) i = this.wsF(i + 1);
      }
      return i + 1;
    }
    if (c === OPEN_ARR && node.items && node.order) {
      const order = node.order;
      i = this.wsF(i + 1);
      for (let k = 0, index = 0; k < order.length && i < this.n; index++) {
        const child = index === order[k] ? (node.items.get(index) as Wanted) : undefined;
        if (child) {
          this.foundF(child, i);
          k++;
        }
        if (child?.keys || child?.items) {
          this.fStack.push({ node: child, start: i });
          i = yield* this.walkF(i, child);
          this.fStack.pop();
        } else {
          i = this.skipF(i);
          if (this.depth) i = yield* this.restF(i, this.depth);
        }
        i = this.wsF(i);
        if (t.charCodeAt(i) === COMMA) i = this.wsF(i + 1);
      }
      // Past the last wanted element, the rest of the array is one skip.
      i = this.scanF(i, 1);
      return this.depth ? yield* this.restF(i, this.depth) : i;
    }
    i = this.skipF(i);
    return this.depth ? yield* this.restF(i, this.depth) : i;
  }

  // ---- backward --------------------------------------------------------------------------------------

  wsB(i: number): number {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === NEWLINE) this.nl++;
      else if (c !== 32 && c !== 13 && c !== 9) return i;
      i--;
    }
  }

  /** Index of the opening quote of the string whose closing quote is at `q`. */
  private stringStartB(q: number): number {
    const t = this.text;
    for (;;) {
      const p = q > 0 ? t.lastIndexOf('"', q - 1) : -1;
      if (p < 0) throw MISMATCH;
      let b = p - 1;
      while (t.charCodeAt(b) === BACKSLASH) b--;
      if (((p - 1 - b) & 1) === 0) return p;
      q = p;
    }
  }

  private literalStartB(e: number): number {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(e - 1);
      if (
        c === COMMA ||
        c === COLON ||
        c === OPEN_OBJ ||
        c === OPEN_ARR ||
        c === 32 ||
        c === 10 ||
        c === 13 ||
        c === 9 ||
        c !== c
      )
        return e;
      e--;
    }
  }

  /**
   * The hot loop backwards: from `i` (the next character to read, moving left) inside containers `depth`
   * deep, to the bracket that opens the outer one (returns its index; this.depth = 0), or to bLimit.
   */
  private scanB(i: number, depth: number): number {
    const t = this.text;
    const limit = Math.max(this.bLimit, 0);
    let nl = this.nl;
    while (i >= limit) {
      const c = t.charCodeAt(i--);
      if (c === 32) continue;
      if (c === QUOTE) {
        // The closing quote of a string: find its opening quote (one not escaped by a backslash).
        for (;;) {
          const d = t.charCodeAt(i--);
          if (d === QUOTE) {
            let b = i;
            while (t.charCodeAt(b) === BACKSLASH) b--;
            if (((i - b) & 1) === 0) break;
          } else if (d !== d) break; // before the start (NaN): never for text JSON.parse accepted
        }
        continue;
      }
      if (c === CLOSE_OBJ || c === CLOSE_ARR) depth++;
      else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (--depth === 0) {
          this.nl = nl;
          this.depth = 0;
          return i + 1;
        }
      } else if (c === NEWLINE) nl++;
    }
    this.nl = nl;
    this.depth = depth;
    return i;
  }

  /** The rest of containers `depth` deep, backwards from `i`: index of the opening bracket (see restF). */
  private *restB(i: number, depth = 1): Generator<void, number> {
    for (;;) {
      if (depth > 0) {
        this.bAt = i + 1;
        this.bNl = this.nl;
        yield;
      }
      i = this.scanB(i, depth);
      depth = this.depth;
      if (depth === 0) return i;
    }
  }

  /** Skip the value ending at `e` within this turn: index of its first character, or see skipF. */
  private skipB(e: number): number {
    const c = this.text.charCodeAt(e);
    if (c === CLOSE_OBJ || c === CLOSE_ARR) return this.scanB(e - 1, 1);
    this.depth = 0;
    return c === QUOTE ? this.stringStartB(e) : this.literalStartB(e);
  }

  private foundB(node: Wanted, offset: number): void {
    const hit = { node, offset, newlinesAfter: this.nl };
    if (this.unconfirmed > 0) this.pending.push(hit);
    else this.confirm([hit], offset);
  }

  private confirm(hits: { node: Wanted; offset: number; newlinesAfter: number }[], at: number): void {
    for (const { node, offset, newlinesAfter } of hits) {
      // The first occurrence met going backwards is the last in the text (JSON.parse keeps the last value).
      if (node.backward !== undefined) continue;
      node.backward = offset;
      node.newlinesAfter = newlinesAfter;
      this.foundBackward.push(node);
      if (!node.found) {
        node.found = true;
        this.remaining--;
      }
    }
    this.bAt = at;
    this.bNl = this.nl;
    if (this.remaining === 0) throw STOP;
  }

  /** Walk the value whose last character is at `e` along `node`, backwards: index of its first character. */
  *walkB(e: number, node: Wanted, value: unknown): Generator<void, number> {
    const t = this.text;
    const c = t.charCodeAt(e);
    if (node.keys) {
      if (c !== CLOSE_OBJ || !isObject(value)) throw MISMATCH;
      const keys = Object.keys(value);
      let j = keys.length - 1;
      let left = node.keys.size;
      let i = this.wsB(e - 1);
      while (t.charCodeAt(i) !== OPEN_OBJ) {
        if (left === 0) {
          i = this.scanB(i, 1);
          return this.depth ? yield* this.restB(i, this.depth) : i;
        }
        if (j < 0) throw MISMATCH;
        const predicted = keys[j];
        const child = node.keys.get(predicted);
        const inner = child?.keys !== undefined || child?.items !== undefined;
        let start: number;
        if (child && inner) {
          this.unconfirmed++;
          this.bStack.push({ node: child, confirmed: false, pendingBefore: this.pending.length });
          start = yield* this.walkB(i, child, value[predicted]);
          this.bStack.pop();
        } else {
          start = this.skipB(i);
          if (this.depth) start = yield* this.restB(start, this.depth);
        }
        i = this.wsB(start - 1);
        if (t.charCodeAt(i) !== COLON) throw MISMATCH;
        i = this.wsB(i - 1);
        if (t.charCodeAt(i) !== QUOTE) throw MISMATCH;
        const keyStart = this.stringStartB(i);
        if (this.keyAt(keyStart, i + 1) !== predicted) throw MISMATCH;
        if (child) {
          left--;
          this.pending.push({ node: child, offset: keyStart, newlinesAfter: this.nl });
          if (inner) this.unconfirmed--;
          if (this.unconfirmed === 0) {
            const hits = this.pending;
            this.pending = [];
            this.confirm(hits, keyStart);
          }
        }
        j--;
        i = this.wsB(keyStart - 1);
        if (t.charCodeAt(i) === COMMA) i = this.wsB(i - 1);
      }
      if (j !== -1) throw MISMATCH;
      return i;
    }
    if (node.items && node.order) {
      if (c !== CLOSE_ARR || !Array.isArray(value)) throw MISMATCH;
      const order = node.order;
      let i = this.wsB(e - 1);
      for (let k = order.length - 1, index = value.length - 1; k >= 0; index--) {
        if (index < 0 || t.charCodeAt(i) === OPEN_ARR) throw MISMATCH;
        let start: number;
        const child = index === order[k] ? (node.items.get(index) as Wanted) : undefined;
        if (child?.keys || child?.items) {
          this.bStack.push({ node: child, confirmed: true, pendingBefore: this.pending.length });
          start = yield* this.walkB(i, child, value[index]);
          this.bStack.pop();
        } else {
          start = this.skipB(i);
          if (this.depth) start = yield* this.restB(start, this.depth);
        }
        if (child) {
          this.foundB(child, start);
          k--;
        }
        i = this.wsB(start - 1);
        if (t.charCodeAt(i) === COMMA) i = this.wsB(i - 1);
      }
      i = this.scanB(i, 1);
      return this.depth ? yield* this.restB(i, this.depth) : i;
    }
    const start = this.skipB(e);
    return this.depth ? yield* this.restB(start, this.depth) : start;
  }

  /**
   * The halves have met (the forward half is at or past the backward one). What the backward half found
   * inside members whose keys it has not read yet is confirmed where the forward half is inside the same
   * members: the same wanted node at every depth down to there, entered at or before the backward
   * position. Siblings never overlap in the text, so two members of one object that both contain that
   * position are one, and the key the forward half read is the key the backward half predicted. What lies
   * inside a member that cannot be confirmed this way is left to the forward half.
   */
  confirmAtMeeting(): void {
    if (this.pending.length === 0) return;
    let upTo = this.pending.length;
    let same = true;
    for (let d = 0; d < this.bStack.length; d++) {
      const b = this.bStack[d];
      const f = this.fStack[d];
      same &&= f !== undefined && f.node === b.node && f.start <= this.bAt;
      if (!same && !b.confirmed) {
        // Found before the backward half entered this member: only shallower members enclose it.
        upTo = b.pendingBefore;
        break;
      }
    }
    const hits = this.pending.slice(0, upTo);
    this.pending = [];
    this.confirm(hits, this.bAt);
  }

  /** Forget what the backward half found (it met something it did not predict). */
  abandonBackward(): void {
    for (const node of this.foundBackward) {
      node.backward = undefined;
      if (!node.forward) {
        node.found = false;
        this.remaining++;
      }
    }
    this.foundBackward = [];
    this.pending = [];
    this.unconfirmed = 0;
  }

  /** Newlines in [0, n): the forward count, the backward count, and the gap between (or overlap). */
  private totalNewlines(): number {
    const before = this.fLine - 1;
    return this.fAt <= this.bAt
      ? before + countNewlines(this.text, this.fAt, this.bAt) + this.bNl
      : before + this.bNl - countNewlines(this.text, this.bAt, this.fAt);
  }

  /** The position of every found node, into `out`. */
  collect(root: Wanted, forwardOnly: boolean, out: Map<string, SourcePosition>): void {
    const total = forwardOnly || this.foundBackward.length === 0 ? 0 : this.totalNewlines();
    const visit = (node: Wanted) => {
      if (!forwardOnly && node.backward !== undefined) {
        const o = node.backward;
        out.set(node.pointer, {
          line: 1 + total - (node.newlinesAfter as number),
          column: o - (this.text.lastIndexOf('\n', o - 1) + 1) + 1,
        });
      } else if (node.forward) out.set(node.pointer, node.forward);
      node.keys?.forEach(visit);
      node.items?.forEach(visit);
    };
    visit(root);
  }
}

const LINES_PER_MATCH = 256;
const LINES = new RegExp(`(?:[^\\n]*\\n){${LINES_PER_MATCH}}`, 'y');

/**
 * Newlines in [from, to) of a text nobody scanned (between the halves). indexOf costs a call per line,
 * which on pretty-printed JSON (lines of ~25 characters) is slower than letting the regex engine count
 * many lines per call; on minified JSON (few newlines) indexOf is the faster by far.
 */
function countNewlines(t: string, from: number, to: number): number {
  let c = 0;
  let i = from;
  for (let k = 0; k < 64; k++) {
    const j = t.indexOf('\n', i);
    if (j < 0 || j >= to) return c;
    c++;
    i = j + 1;
  }
  if ((i - from) / 64 < 200) {
    LINES.lastIndex = i;
    while (LINES.test(t) && LINES.lastIndex <= to) {
      c += LINES_PER_MATCH;
      i = LINES.lastIndex;
    }
  }
  for (let j = t.indexOf('\n', i); j >= 0 && j < to; j = t.indexOf('\n', j + 1)) c++;
  return c;
}

/** The array index a pointer token names (canonical decimal), or -1. */
function indexOf(token: string): number {
  const n = token.length;
  if (n === 0 || n > 15 || (n > 1 && token.charCodeAt(0) === 48)) return -1;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(token);
}

/**
 * The wanted nodes of `pointers`: only what exists in `data` (a pointer to nothing is not looked for; its
 * nearest ancestor is). A finding of an invalid snapshot can cite thousands of pointers, so this walks
 * each pointer's text once; the pointer of an ancestor is a prefix of it (JSON Pointer escaping is unique).
 */
function wantedTree(data: unknown, pointers: Iterable<string>): { root: Wanted; count: number } {
  const root: Wanted = { pointer: '', found: true };
  let count = 0;
  for (const p of pointers) {
    if (p !== '' && p.charCodeAt(0) !== 47) parsePointer(p); // throws its message for a non-pointer
    let node = root;
    let value = data;
    for (let start = 1; start <= p.length;) {
      let end = p.indexOf('/', start);
      if (end < 0) end = p.length;
      const raw = p.slice(start, end);
      const token = raw.includes('~') ? unescapeToken(raw) : raw;
      let next: Wanted | undefined;
      if (Array.isArray(value)) {
        const index = indexOf(token);
        if (index < 0 || index >= value.length) break;
        node.items ??= new Map();
        next = node.items.get(index);
        if (!next) {
          node.items.set(index, (next = { pointer: p.slice(0, end), found: false }));
          count++;
        }
        value = value[index];
      } else if (isObject(value) && Object.prototype.hasOwnProperty.call(value, token)) {
        node.keys ??= new Map();
        next = node.keys.get(token);
        if (!next) {
          node.keys.set(token, (next = { pointer: p.slice(0, end), found: false }));
          count++;
        }
        value = value[token];
      } else break;
      node = next;
      start = end + 1;
    }
  }
  const sortIndices = (node: Wanted) => {
    if (node.items) {
      // Pointers usually come in document order; a typed array sorts numbers without a comparator.
      node.order = Array.from(Int32Array.from(node.items.keys()).sort());
      node.items.forEach(sortIndices);
    }
    node.keys?.forEach(sortIndices);
  };
  sortIndices(root);
  return { root, count };
}

/** Positions of `pointers` (and of their ancestors) in the JSON `text` that parsed to `data`. */
export function locateJson(
  text: string,
  data: unknown,
  pointers: Iterable<string>,
  out: Map<string, SourcePosition> = new Map(),
  /** Characters per turn of each half (tests use small turns to exercise the meeting of the halves). */
  chunk = CHUNK,
): Map<string, SourcePosition> {
  const { root, count } = wantedTree(data, pointers);
  const scan = new Locator(text, count);
  const start = scan.wsF(0);
  out.set('', scan.positionF(start));
  if (count === 0) return out;
  const forward = scan.walkF(start, root);
  let backward: Generator<void, number> | undefined;
  let forwardOnly = false;
  try {
    for (;;) {
      scan.fLimit = scan.forwardAt + chunk;
      if (forward.next().done) {
        forwardOnly = true;
        break;
      }
      backward ??= scan.walkB(scan.startBackward(), root, data);
      scan.bLimit = scan.backwardAt - 1 - chunk;
      let alone = false;
      try {
        // Done without finding everything cannot happen for text JSON.parse accepted; then go on forwards.
        if (backward.next().done) alone = true;
      } catch (e) {
        if (e !== MISMATCH) throw e;
        scan.abandonBackward();
        alone = true;
      }
      // When the halves meet, what the backward half still holds unconfirmed is confirmed by where the
      // forward half is, or else found by the forward half on its way.
      if (alone || scan.forwardAt >= scan.backwardAt) {
        if (!alone) scan.confirmAtMeeting();
        scan.fLimit = Infinity;
        forwardOnly = forward.next().done === true;
        break;
      }
    }
  } catch (e) {
    if (e !== STOP) throw e;
  }
  scan.collect(root, forwardOnly, out);
  return out;
}

/**
 * A JSON snapshot with lazily computed positions, or undefined when the text is not plain JSON. `parsed`:
 * JSON.parse(text) already done by the caller (a server that had to know whether a large body is JSON
 * before choosing a loader), so the text is parsed once.
 */
export function loadJsonSnapshot(
  text: string,
  source: string,
  parsed?: { value: unknown },
): SnapshotDocument | undefined {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '{') return undefined;
  let data: unknown;
  if (parsed) data = parsed.value;
  else
    try {
      data = JSON.parse(text);
    } catch {
      return undefined;
    }
  const positions = new Map<string, SourcePosition>();
  const asked = new Set<string>();

  const prefetch = (pointers: Iterable<string>): void => {
    const fresh: string[] = [];
    for (const p of pointers) {
      if (asked.has(p)) continue;
      asked.add(p);
      fresh.push(p);
    }
    if (fresh.length) locateJson(text, data, fresh, positions);
  };

  return {
    source,
    data: data as JsonObject,
    diagnostics: [],
    prefetch,
    locate(pointer: string) {
      if (!asked.has(pointer)) prefetch([pointer]);
      // The pointer itself, or its nearest ancestor written in the file.
      let p = pointer;
      for (;;) {
        const pos = positions.get(p);
        if (pos) return pos;
        if (p === '') return undefined;
        p = p.slice(0, p.lastIndexOf('/'));
      }
    },
  };
}

/** A snapshot from its text: the JSON fast path when it applies, the general loader otherwise. */
export function loadSnapshotText(
  text: string,
  opts: { source: string; lang?: Lang; parsed?: { value: unknown } },
): LoadedDocument & { prefetch?: (p: Iterable<string>) => void } {
  return (
    loadJsonSnapshot(text, opts.source, opts.parsed) ??
    loadText(text, { source: opts.source, ...(opts.lang ? { lang: opts.lang } : {}) })
  );
}
