// Large live snapshots are exports of real systems (10,000s of accounts); they come as JSON. The general
// loader (load/) builds a YAML document with a position for every node, which is what an 評価書 needs but
// costs ~1 s per MB. A snapshot needs positions only for the few facts a finding cites, so a JSON snapshot
// is parsed with JSON.parse and positions are found afterwards, in one pass over the text, for exactly the
// pointers asked for (`prefetch`), skipping everything else.
//
// Anything that is not plain JSON (YAML, or JSON with a syntax error) goes to the general loader, which
// gives the precise Japanese message. JSON.parse never assigns prototypes (`__proto__` becomes an own
// property, which the snapshot schema rejects as an unknown item), and V8 parses deep nesting iteratively.
import type { LoadedDocument, SourcePosition } from '../load/index.ts';
import { loadText } from '../load/index.ts';
import type { Lang } from '../schema/lang.ts';
import type { JsonObject } from '../types.ts';
import { parsePointer } from '../pointer.ts';

export interface SnapshotDocument extends LoadedDocument {
  /** Compute positions of many pointers in one pass (call before locate for speed; locate works anyway). */
  prefetch(pointers: Iterable<string>): void;
}

interface Trie {
  children: Map<string, Trie>;
}

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_OBJ = 123; // {
const CLOSE_OBJ = 125;
const OPEN_ARR = 91; // [
const CLOSE_ARR = 93;
const COMMA = 44;
const COLON = 58;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

class Scanner {
  constructor(private readonly text: string) {}

  ws(i: number): number {
    const t = this.text;
    while (i < t.length && isSpace(t.charCodeAt(i))) i++;
    return i;
  }

  /** Index just past the string starting at `i` (which is a quote). */
  skipString(i: number): number {
    const t = this.text;
    let j = i + 1;
    for (;;) {
      const q = t.indexOf('"', j);
      if (q < 0) return t.length;
      // An odd number of backslashes before the quote escapes it.
      let b = q - 1;
      while (b > i && t.charCodeAt(b) === BACKSLASH) b--;
      if ((q - 1 - b) % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  /** Index just past the value starting at `i` (whitespace already skipped). */
  skipValue(i: number): number {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === QUOTE) return this.skipString(i);
    if (c !== OPEN_OBJ && c !== OPEN_ARR) {
      while (i < t.length) {
        const d = t.charCodeAt(i);
        if (d === COMMA || d === CLOSE_OBJ || d === CLOSE_ARR || isSpace(d)) break;
        i++;
      }
      return i;
    }
    let depth = 0;
    while (i < t.length) {
      const d = t.charCodeAt(i);
      if (d === QUOTE) {
        i = this.skipString(i);
        continue;
      }
      if (d === OPEN_OBJ || d === OPEN_ARR) depth++;
      else if (d === CLOSE_OBJ || d === CLOSE_ARR) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }

  key(i: number): { key: string; end: number } {
    const end = this.skipString(i);
    const raw = this.text.slice(i + 1, end - 1);
    return { key: raw.includes('\\') ? (JSON.parse(this.text.slice(i, end)) as string) : raw, end };
  }

  /** Walk the value at `i` along `trie`, recording the offset of every wanted node. */
  walk(i: number, trie: Trie, pointer: string, out: Map<string, number>): number {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (trie.children.size === 0 || (c !== OPEN_OBJ && c !== OPEN_ARR)) return this.skipValue(i);
    i = this.ws(i + 1);
    if (c === OPEN_OBJ) {
      while (i < t.length && t.charCodeAt(i) !== CLOSE_OBJ) {
        const keyStart = i;
        const { key, end } = this.key(i);
        i = this.ws(end);
        if (t.charCodeAt(i) === COLON) i = this.ws(i + 1);
        const child = trie.children.get(key);
        if (child) {
          const p = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          // Like the general loader: an object member is located at its key.
          out.set(p, keyStart);
          i = this.walk(i, child, p, out);
        } else i = this.skipValue(i);
        i = this.ws(i);
        if (t.charCodeAt(i) === COMMA) i = this.ws(i + 1);
      }
      return i + 1;
    }
    let index = 0;
    while (i < t.length && t.charCodeAt(i) !== CLOSE_ARR) {
      const child = trie.children.get(String(index));
      if (child) {
        const p = `${pointer}/${index}`;
        out.set(p, i);
        i = this.walk(i, child, p, out);
      } else i = this.skipValue(i);
      i = this.ws(i);
      if (t.charCodeAt(i) === COMMA) i = this.ws(i + 1);
      index++;
    }
    return i + 1;
  }
}

/** A JSON snapshot with lazily computed positions, or undefined when the text is not plain JSON. */
export function loadJsonSnapshot(text: string, source: string): SnapshotDocument | undefined {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '{') return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const offsets = new Map<string, number>([['', start]]);
  const asked = new Set<string>(['']);
  let newlines: number[] | undefined;
  const scanner = new Scanner(text);

  const lineOf = (offset: number): SourcePosition => {
    if (!newlines) {
      newlines = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
    }
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo + 1, column: offset - (lo === 0 ? -1 : newlines[lo - 1]) };
  };

  const prefetch = (pointers: Iterable<string>): void => {
    const root: Trie = { children: new Map() };
    let any = false;
    for (const p of pointers) {
      if (asked.has(p)) continue;
      asked.add(p);
      any = true;
      let node = root;
      for (const t of parsePointer(p)) {
        let next = node.children.get(t);
        if (!next) node.children.set(t, (next = { children: new Map() }));
        node = next;
      }
    }
    if (any) scanner.walk(start, root, '', offsets);
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
        const off = offsets.get(p);
        if (off !== undefined) return lineOf(off);
        if (p === '') return undefined;
        p = p.slice(0, p.lastIndexOf('/'));
      }
    },
  };
}

/** A snapshot from its text: the JSON fast path when it applies, the general loader otherwise. */
export function loadSnapshotText(text: string, opts: { source: string; lang?: Lang }): LoadedDocument & { prefetch?: (p: Iterable<string>) => void } {
  return loadJsonSnapshot(text, opts.source) ?? loadText(text, opts);
}
