// makeAuditEntry copies plain JSON with its strings shared instead of round-tripping it through JSON (the
// log keeps every entry in memory). Whatever goes in, an entry must hold what the file will hold after a
// re-read, and its hash must verify after that re-read, exactly as with the round trip.
import { describe, expect, it } from 'vitest';
import { makeAuditEntry, verifyAuditChain } from '../../src/store/audit-chain.ts';
import { newAuditKeyFile, readAuditKey } from '../../src/store/audit-key.ts';
import type { AuditEntry, AuditInput } from '../../src/store/types.ts';
import type { Json } from '../../src/types.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';

const reread = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// Values a caller may pass (typed as Json, but nothing stops a Date or an undefined field at run time).
const awkward: Record<string, unknown> = {
  plain: {
    versionId: 'v1',
    summary: { files: 1, error: 0, warning: 2, info: 0 },
    diagnosticsHash: 'ab'.repeat(32),
  },
  nested: { a: [1, 'x', true, null, { b: [[], {}] }], '10': 'integer-like key first', z: 'last' },
  undefinedField: { a: 1, b: undefined, c: [undefined, 2] },
  date: { at: new Date('2026-12-05T00:00:00Z') },
  nonFinite: { nan: NaN, inf: Infinity, negZero: -0 },
  // eslint-disable-next-line no-sparse-arrays -- a hole is what this case is about
  sparse: { list: [1, , 3] },
  protoKey: JSON.parse('{"__proto__": {"polluted": true}, "x": 1}'),
  nullProto: Object.assign(Object.create(null), { a: 1 }),
  withToJson: { toJSON: () => ({ replaced: true }) },
  deep: (() => {
    let v: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 150; i++) v = { v };
    return v;
  })(),
};

function entryOf(after: unknown, prev?: AuditEntry, key: Parameters<typeof makeAuditEntry>[3] = null) {
  const input: AuditInput = {
    actor: 'user:u1',
    action: 'test.action',
    target: 'test:1',
    orgId: null,
    before: null,
    after: after as Json,
  };
  return makeAuditEntry(input, prev, '2026-12-05T00:00:00.000Z', key);
}

describe('audit entries hold what the file holds after a re-read', () => {
  for (const [name, value] of Object.entries(awkward)) {
    it(`${name}: the entry equals its re-read form and verifies after the re-read`, () => {
      const entry = entryOf(value);
      expect(entry.after).toStrictEqual(reread(value));
      expect(reread(entry)).toStrictEqual(entry);
      expect(verifyAuditChain([reread(entry)], undefined, null).ok).toBe(true);
      // No prototype was set through a `__proto__` key.
      if (entry.after && typeof entry.after === 'object' && !Array.isArray(entry.after)) {
        expect(Object.getPrototypeOf(entry.after)).toBe(Object.prototype);
      }
    });
  }

  it('a chain of entries, with and without a key, verifies after a re-read', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k'), newAuditKeyFile(), { mode: 0o600 });
    const key = readAuditKey(join(dir, 'k'));
    for (const k of [null, key]) {
      const entries: AuditEntry[] = [];
      for (const value of Object.values(awkward)) entries.push(entryOf(value, entries.at(-1), k));
      expect(verifyAuditChain(reread(entries), undefined, k).ok).toBe(true);
      // The entry's own fields come first and the hash (and MAC) last, as before.
      expect(Object.keys(entries[0]).slice(-2)).toEqual(k ? ['hash', 'mac'] : ['prevHash', 'hash']);
    }
  });

  it('a cycle is refused as before (JSON.stringify’s TypeError), not copied forever', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => entryOf(cyclic)).toThrow(TypeError);
  });

  it('the copy shares the strings of the input instead of allocating new ones', () => {
    const value = { id: 'x'.repeat(40) };
    const entry = entryOf(value);
    expect(entry.after).not.toBe(value);
    expect((entry.after as { id: string }).id).toBe(value.id);
  });
});
