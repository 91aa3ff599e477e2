// RowLog (src/store/engine/row-log.ts): rows held as JSON bytes in Buffer chunks read back exactly, across
// chunk boundaries, with multi-byte text, replacement by id, and a byte search that finds every row a
// naive scan of the parsed rows finds (and no row it does not, once the caller checks the field).
import { describe, expect, it } from 'vitest';
import { RowLog } from '../../src/store/engine/row-log.ts';
import { mulberry32 as rng } from '../helpers/prng.ts';

interface Row {
  id: string;
  orgId: string | null;
  note: string;
  n: number;
}

function makeRows(count: number, seed: number): Row[] {
  const r = rng(seed);
  const orgs = ['o1', 'o2', '市町村"3"', null];
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    // Notes of very different sizes (up to ~6 KB, some Japanese: 3 bytes a character) so rows straddle
    // where a 1-MiB chunk would end, and some notes contain text that looks like another row's member.
    const len = Math.floor(r() ** 3 * 2000);
    const note = (r() < 0.3 ? '特定個人情報' : 'x').repeat(len) + (r() < 0.1 ? '"orgId":"o1"' : '');
    rows.push({ id: `r${i}`, orgId: orgs[Math.floor(r() * orgs.length)], note, n: i });
  }
  return rows;
}

describe('RowLog', () => {
  it('reads back every row exactly, by position, by id, in order, across many chunks', () => {
    const rows = makeRows(3000, 1);
    const log = RowLog.from(rows, { keyed: true });
    const bytes = rows.reduce((s, row) => s + Buffer.byteLength(JSON.stringify(row)), 0);
    expect(bytes).toBeGreaterThan(3 * (1 << 20)); // several chunks
    expect(log.length).toBe(rows.length);
    for (let i = 0; i < rows.length; i += 7) expect(log.at(i)).toEqual(rows[i]);
    expect(log.get('r2999')).toEqual(rows[2999]);
    expect(log.get('nope')).toBeUndefined();
    expect(log.at(-1)).toBeUndefined();
    expect(log.at(3000)).toBeUndefined();
    expect(log.at(1.5)).toBeUndefined();
    expect([...log]).toEqual(rows);
    expect(log.toArray()).toEqual(rows);
    expect(log.last()).toBe(rows[2999]);
  });

  it('returns a fresh object on every read (a caller editing it changes nothing stored)', () => {
    const log = new RowLog<Row>({ keyed: true });
    log.put({ id: 'a', orgId: 'o1', note: 'n', n: 1 });
    const first = log.get('a')!;
    first.note = 'edited';
    expect(log.get('a')!.note).toBe('n');
  });

  it('a row larger than a chunk gets a chunk of its own', () => {
    const log = new RowLog<Row>({ keyed: false });
    const big = { id: 'big', orgId: 'o1', note: '評'.repeat(600_000), n: 0 }; // ~1.8 MB of UTF-8
    log.put({ id: 'a', orgId: 'o2', note: 'a', n: 1 });
    log.put(big);
    log.put({ id: 'b', orgId: 'o1', note: 'b', n: 2 });
    expect(log.toArray()).toEqual([
      { id: 'a', orgId: 'o2', note: 'a', n: 1 },
      big,
      { id: 'b', orgId: 'o1', note: 'b', n: 2 },
    ]);
    expect([...log.positionsContaining('"orgId":"o1"')]).toEqual([1, 2]);
  });

  it('keyed: a row with a known id replaces the old one in place; others append', () => {
    const log = new RowLog<Row>({ keyed: true });
    for (let i = 0; i < 5; i++) log.put({ id: `r${i}`, orgId: 'o1', note: '', n: i });
    log.put({ id: 'r2', orgId: 'o2', note: 'replaced', n: 22 });
    log.put({ id: 'r5', orgId: 'o2', note: '', n: 5 });
    expect(log.length).toBe(6);
    expect(log.at(2)).toEqual({ id: 'r2', orgId: 'o2', note: 'replaced', n: 22 });
    expect(log.indexOfId('r5')).toBe(5);
    // After a replacement the search tests each row (the old bytes are still in the chunk).
    expect([...log.positionsContaining('"orgId":"o2"')]).toEqual([2, 5]);
    expect([...log.positionsContaining('"orgId":"o1"')]).toEqual([0, 1, 3, 4]);
  });

  it('holds rows that are not objects (a format-1 index may hold anything) without failing', () => {
    const log = RowLog.from<unknown>([null, 1, 'x', [1, 2]], { keyed: true });
    expect(log.toArray()).toEqual([null, 1, 'x', [1, 2]]);
  });

  for (const seed of [2, 3, 4]) {
    it(`the byte search finds exactly the rows a scan of the parsed rows finds (seed ${seed})`, () => {
      const rows = makeRows(2500, seed);
      const log = RowLog.from(rows, { keyed: false });
      const r = rng(seed + 100);
      for (const orgId of ['o1', 'o2', '市町村"3"']) {
        const from = Math.floor(r() * 200);
        const needle = `"orgId":${JSON.stringify(orgId)}`;
        const found = [...log.positionsContaining(needle, from)].filter((i) => log.at(i)!.orgId === orgId);
        const expected = rows.flatMap((row, i) => (i >= from && row.orgId === orgId ? [i] : []));
        expect(found).toEqual(expected);
      }
      // The prefilter may yield rows whose text only looks like the member (in a note), never miss one.
      const raw = [...log.positionsContaining('"orgId":"o1"')];
      expect(raw.length).toBeGreaterThanOrEqual(rows.filter((row) => row.orgId === 'o1').length);
      expect(raw).toEqual([...raw].sort((a, b) => a - b));
    });
  }
});
