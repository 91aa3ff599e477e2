// An ever-growing table kept off the JS heap: each row as its JSON text (UTF-8) in Buffer chunks, found
// by typed arrays; a read parses the row, so every read returns a fresh object (no clone needed).
//
// Why not an array of objects: check runs and their audit entries grow with every check request, ~15 heap
// objects per run, and every full GC marks all of them. bench/api (2026-12-05): after 60,000 check runs,
// ~295 ms of marking per mark-compact, whose concurrent threads share the server's core and held requests
// back (p99 61 ms at half capacity, goal < 50). Bytes in a Buffer are not marked. Measured with 120,000
// rows (a check run and its audit entry, 60,000 each): a full GC took 50 ms with the rows as objects,
// 50 ms as JS strings (still one heap object each, and the heap twice as large), 1.8 ms as Buffer bytes.
// The price is a JSON.parse per row read (~2–4 µs), paid only by readers of old rows (a check run's
// page, the audit list), and a JSON.stringify per row written, which the file store's journal shares
// (Tx.changeJson). No library does this (an embedded database would be a second store format); it is a
// few typed arrays over Buffer chunks.
//
// Rows must be plain JSON (what the journal holds anyway): `undefined` members vanish on the way.
const CHUNK_BYTES = 1 << 20;

export interface RowLogOptions {
  /** Rows are looked up and replaced by their `id` (check runs); without it rows are only appended (audit). */
  keyed: boolean;
}

export class RowLog<T> implements Iterable<T> {
  private readonly chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private used = 0;
  private chunkOf = new Uint32Array(256);
  private offsetOf = new Uint32Array(256);
  private lengthOf = new Uint32Array(256);
  private n = 0;
  private readonly ids: Map<string, number> | null;
  /** The last row as an object: read on every commit (the audit chain's head), so it is not re-parsed. */
  private lastRow: T | undefined;
  /** A row was replaced: its old bytes stay where they were, so offsets no longer grow with the index. */
  private replaced = false;

  constructor(options: RowLogOptions) {
    this.ids = options.keyed ? new Map() : null;
  }

  static from<T>(rows: Iterable<T>, options: RowLogOptions): RowLog<T> {
    const log = new RowLog<T>(options);
    for (const row of rows) log.put(row);
    return log;
  }

  get length(): number {
    return this.n;
  }

  /** The row at `i` (0-based), parsed afresh; undefined outside the log. */
  at(i: number): T | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) return undefined;
    const off = this.offsetOf[i];
    return JSON.parse(this.chunks[this.chunkOf[i]].toString('utf8', off, off + this.lengthOf[i])) as T;
  }

  /** The last row. Shared, not a copy: callers only read it. */
  last(): T | undefined {
    return this.lastRow;
  }

  /** The position of the row with this id (keyed logs only). */
  indexOfId(id: string): number {
    if (typeof id !== 'string') return -1;
    return this.ids?.get(id) ?? -1;
  }

  get(id: string): T | undefined {
    const i = this.indexOfId(id);
    return i < 0 ? undefined : this.at(i);
  }

  /** Appends, or (keyed) replaces the row with the same id. */
  put(row: T, json: string = JSON.stringify(row)): void {
    if (this.ids) {
      const id = row !== null && typeof row === 'object' ? (row as { id?: unknown }).id : undefined;
      const i = typeof id === 'string' ? this.ids.get(id) : undefined;
      if (i !== undefined) {
        this.write(i, json);
        this.replaced = true;
        if (i === this.n - 1) this.lastRow = row;
        return;
      }
      if (typeof id === 'string') this.ids.set(id, this.n);
    }
    this.grow();
    this.write(this.n++, json);
    this.lastRow = row;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.n; i++) yield this.at(i) as T;
  }

  toArray(): T[] {
    const out = new Array<T>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.at(i) as T;
    return out;
  }

  /**
   * Positions ≥ `from` of the rows whose JSON contains `needle`, ascending (a prefilter: the caller parses
   * the row and checks the field). Searches the chunks' bytes, not parsed rows. For an append-only log;
   * after a replacement it falls back to testing each row.
   */
  *positionsContaining(needle: string, from = 0): Generator<number> {
    const bytes = Buffer.from(needle, 'utf8');
    if (this.replaced) {
      for (let i = Math.max(0, from); i < this.n; i++) {
        const off = this.offsetOf[i];
        const row = this.chunks[this.chunkOf[i]].subarray(off, off + this.lengthOf[i]);
        if (row.includes(bytes)) yield i;
      }
      return;
    }
    let i = Math.max(0, from);
    while (i < this.n) {
      const c = this.chunkOf[i];
      const chunk = this.chunks[c];
      const end = c === this.chunks.length - 1 ? this.used : chunk.length;
      const pos = chunk.subarray(0, end).indexOf(bytes, this.offsetOf[i]);
      if (pos < 0) {
        // Nothing more in this chunk: on to the first row of the next one.
        i = this.firstRowAfterChunk(i, c);
        continue;
      }
      const hit = this.rowAt(c, pos, i);
      yield hit;
      i = hit + 1;
    }
  }

  private write(i: number, json: string): void {
    const len = Buffer.byteLength(json, 'utf8');
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + len > chunk.length) {
      // A row larger than a chunk gets a chunk of its own size.
      chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, len));
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.write(json, this.used, len, 'utf8');
    this.chunkOf[i] = this.chunks.length - 1;
    this.offsetOf[i] = this.used;
    this.lengthOf[i] = len;
    this.used += len;
  }

  private grow(): void {
    if (this.n < this.chunkOf.length) return;
    const bigger = (a: Uint32Array) => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.chunkOf = bigger(this.chunkOf);
    this.offsetOf = bigger(this.offsetOf);
    this.lengthOf = bigger(this.lengthOf);
  }

  /** The first row (≥ i) stored in a later chunk than `c`; rows are in chunk order when nothing was replaced. */
  private firstRowAfterChunk(i: number, c: number): number {
    let lo = i;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunkOf[mid] <= c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The row (≥ i) of chunk `c` whose bytes hold offset `pos`. */
  private rowAt(c: number, pos: number, i: number): number {
    let lo = i;
    let hi = this.firstRowAfterChunk(i, c) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.offsetOf[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
