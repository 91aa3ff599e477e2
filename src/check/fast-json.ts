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

const C_QUOTE = 1;
const C_OPEN = 2;
const C_CLOSE = 3;
const C_NEWLINE = 4;
/** Character classes of the structural scan (ASCII only; everything else is class 0). */
const CLASS = new Uint8Array(128);
CLASS[QUOTE] = C_QUOTE;
CLASS[OPEN_OBJ] = C_OPEN;
CLASS[OPEN_ARR] = C_OPEN;
CLASS[CLOSE_OBJ] = C_CLOSE;
CLASS[CLOSE_ARR] = C_CLOSE;
CLASS[10] = C_NEWLINE;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * One forward pass over the text. Valid JSON has no raw newline inside a string, so every newline passes
 * through the structural loops below, which count lines as they go: a position is known the moment the
 * scan reaches it, without a second pass to number the lines.
 */
class Scanner {
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  reset(): void {
    this.line = 1;
    this.lineStart = 0;
  }

  position(offset: number): SourcePosition {
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  ws(i: number): number {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 10) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c !== 32 && c !== 13 && c !== 9) return i;
      i++;
    }
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
    const n = t.length;
    while (i < n) {
      const d = t.charCodeAt(i);
      // One table lookup per character: this loop runs over most of a large snapshot.
      const k = d < 128 ? CLASS[d] : 0;
      if (k === 0) {
        i++;
        continue;
      }
      if (k === C_QUOTE) {
        i = this.skipString(i);
        continue;
      }
      if (k === C_OPEN) depth++;
      else if (k === C_CLOSE) {
        depth--;
        if (depth === 0) return i + 1;
      } else {
        this.line++;
        this.lineStart = i + 1;
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

  /** Walk the value at `i` along `trie`, recording the position of every wanted node. */
  walk(i: number, trie: Trie, pointer: string, out: Map<string, SourcePosition>): number {
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
          out.set(p, this.position(keyStart));
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
        out.set(p, this.position(i));
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
  const positions = new Map<string, SourcePosition>();
  const asked = new Set<string>();
  const scanner = new Scanner(text);

  const prefetch = (pointers: Iterable<string>): void => {
    const root: Trie = { children: new Map() };
    let fresh = false;
    for (const p of pointers) {
      if (asked.has(p)) continue;
      asked.add(p);
      fresh = true;
      let node = root;
      for (const t of parsePointer(p)) {
        let next = node.children.get(t);
        if (!next) node.children.set(t, (next = { children: new Map() }));
        node = next;
      }
    }
    if (!fresh) return;
    scanner.reset();
    const i = scanner.ws(0);
    positions.set('', scanner.position(i));
    scanner.walk(i, root, '', positions);
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
  opts: { source: string; lang?: Lang },
): LoadedDocument & { prefetch?: (p: Iterable<string>) => void } {
  return loadJsonSnapshot(text, opts.source) ?? loadText(text, opts);
}
