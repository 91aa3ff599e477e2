// Positions in a JSON snapshot, found after JSON.parse by a scan from both ends of the text that stops once
// every asked pointer is found (src/check/fast-json.ts). Whatever the pointers and however the two halves
// meet, every position must be the general loader's (load/), which records a position for every node.
import { describe, expect, it } from 'vitest';
import { loadSnapshotText, locateJson } from '../../src/check/fast-json.ts';
import { loadText } from '../../src/load/index.ts';
import type { SourcePosition } from '../../src/load/index.ts';

/** Deterministic pseudo-random numbers (tests must not depend on the clock or on Math.random). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

// Keys and strings that make scanning hard: quotes, backslashes, brackets inside strings, non-BMP
// characters, `/` and `~` in keys, an empty key, and (with an index suffix) integer-like keys, which V8
// orders before the others and the backward half therefore cannot predict.
const WORDS = [
  '住民記録システム',
  'a"b',
  'x\\y',
  'tab\there',
  'u',
  'ｶﾅ',
  '𠮷野家',
  'a/b~c',
  '',
  'l\nb',
  '{[',
  ']}',
  '\\"',
];

function generate(rnd: () => number, depth: number): unknown {
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const r = rnd();
  if (depth > 4 || r < 0.3) {
    const k = rnd();
    if (k < 0.3) return pick();
    if (k < 0.6) return Math.floor(rnd() * 1000) - 500;
    return k < 0.7 ? true : k < 0.8 ? null : k < 0.9 ? 1.5e-3 : false;
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 8) }, () => generate(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 7);
  for (let i = 0; i < n; i++) o[pick() + (rnd() < 0.5 ? i : '')] = generate(rnd, depth + 1);
  return o;
}

const pointersOf = (v: unknown, base = ''): string[] =>
  v !== null && typeof v === 'object'
    ? [
        base,
        ...Object.entries(v as object).flatMap(([k, c]) =>
          pointersOf(c, `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
        ),
      ]
    : [base];

/** Like LoadedDocument.locate: the pointer, or its nearest ancestor found. */
function nearest(found: Map<string, SourcePosition>, pointer: string): SourcePosition | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const hit = found.get(p);
    if (hit || p === '') return hit;
  }
}

const FORMATS: [string, (v: unknown) => string][] = [
  ['pretty', (v) => JSON.stringify(v, null, 2)],
  ['minified', (v) => JSON.stringify(v)],
  ['tabs and CRLF', (v) => JSON.stringify(v, null, '\t').replace(/\n/g, '\r\n')],
];

describe('positions found from both ends equal the general loader’s', () => {
  it.each(FORMATS)('%s: random documents, random sets of pointers, turns of any size', (_name, format) => {
    const rnd = random(format.length * 7919);
    let compared = 0;
    for (let doc = 0; doc < 40; doc++) {
      const data = {
        a: generate(rnd, 0),
        b: generate(rnd, 0),
        c: [generate(rnd, 1), generate(rnd, 1)],
        d: generate(rnd, 0),
      };
      const text = format(data);
      const general = loadText(text);
      const all = pointersOf(data);
      const sets = [
        all,
        ...Array.from({ length: 5 }, () => all.filter(() => rnd() < 0.15)),
        ...all.slice(0, 20).map((p) => [p]),
        [...all.slice(-3), '/none', '/a/0/missing', '/c/7'],
      ];
      for (const pointers of sets) {
        // Tiny turns make the halves take many turns and meet anywhere; the default runs forwards first.
        for (const chunk of [1, 7, 64, undefined]) {
          const found = locateJson(text, data, pointers, new Map(), chunk);
          for (const p of pointers) {
            expect(nearest(found, p), `${p} (turns of ${chunk})`).toEqual(general.locate(p));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('a large export: facts near both ends and in the middle, found by either half', () => {
    const data = {
      organization: 'x',
      systems: Array.from({ length: 60 }, (_, i) => ({
        name: `システム${i}`,
        accounts: Array.from({ length: 50 }, (_, j) => ({
          id: `u${i}-${j}`,
          mfa: j % 7 !== 0,
          note: 'a"\\b',
        })),
      })),
      dataStores: Array.from({ length: 40 }, (_, i) => ({
        name: `DB${i}`,
        fields: [{ column: 'c', item: '氏名' }],
      })),
      incidents: [{ date: '2026-01-01' }],
    };
    const text = JSON.stringify(data, null, 2);
    expect(text.length).toBeGreaterThan(3 * 65536); // several default turns each way
    const general = loadText(text);
    const sets = [
      ['/systems/0/accounts/3/mfa', '/incidents/0/date'],
      ['/systems/0/accounts/49', '/dataStores/39/fields/0/item', '/dataStores/2'],
      ['/systems/30/accounts/25/note'],
      ['/systems/59/accounts/0', '/dataStores/0/name', '/organization'],
      ['/systems', '/dataStores', '/incidents'],
      // Spread through the one big member: the halves meet inside it, and the forward half confirms what
      // the backward half found before it read the member's key.
      data.systems.map((_, i) => `/systems/${i}/accounts/5/mfa`),
      data.systems.flatMap((s, i) => s.accounts.map((_, j) => `/systems/${i}/accounts/${j}/id`)),
    ];
    for (const pointers of sets) {
      for (const chunk of [4096, undefined]) {
        const found = locateJson(text, data, pointers, new Map(), chunk);
        for (const p of pointers) expect(found.get(p), p).toEqual(general.locate(p));
      }
    }
  });

  it('a string that is not a JSON Pointer is refused as src/pointer.ts refuses it', () => {
    const doc = loadSnapshotText('{"a": 1}', { source: 's' });
    expect(() => doc.locate('a')).toThrow(/JSON Pointer/);
  });

  it('through loadSnapshotText: prefetch then locate, and locate alone, agree', () => {
    const rnd = random(42);
    const data = { systems: Array.from({ length: 30 }, () => generate(rnd, 1)), last: generate(rnd, 0) };
    const text = JSON.stringify(data, null, 2);
    const general = loadText(text);
    const all = pointersOf(data);
    const prefetched = loadSnapshotText(text, { source: 's' }) as ReturnType<typeof loadSnapshotText> & {
      prefetch: (p: Iterable<string>) => void;
    };
    prefetched.prefetch(all.filter((_, i) => i % 3 === 0));
    const lazy = loadSnapshotText(text, { source: 's' });
    for (const p of [...all, '/systems/99', '/last/none']) {
      expect(prefetched.locate(p), p).toEqual(general.locate(p));
      expect(lazy.locate(p), p).toEqual(general.locate(p));
    }
  });
});
