// The hostile corpus (issue 9): generated here, never committed as files. Every case is a document, a live
// snapshot or a waiver file that a careless or hostile user could hand to `pia validate`, `pia check`, or
// the API. What must hold for all of them is in hardening.test.ts; this file only says what they are.
//
// Families: YAML structure (nesting, aliases: bombs, amplification by size, 9,999 aliases, cycles, keys),
// prototype-ish keys, C0 control characters (each one, in values and keys, raw and escaped), encodings,
// scalars JSON cannot hold, type confusion of every top-level item of a real sample, dates at the edges
// (snapshot asOf, lastLogin, waiver expires, attestation), and numbers at the edges.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadText } from '../../src/load/index.ts';
import { ASSESSMENTS_DIR } from '../../src/paths.ts';

/** document: validate; snapshot: check against CHECK_ASSESSMENT; waivers: its waiver file; checked: a document checked against its own live.yaml. */
export type CaseKind = 'document' | 'snapshot' | 'waivers' | 'checked';

export interface HostileCase {
  name: string;
  kind: CaseKind;
  /** The bytes to hand over (files for the CLI, request bodies for the API). */
  content: string | Buffer;
  /** File extension for the CLI (the loader reads by content, not by name). */
  ext: 'yaml' | 'json';
}

const sample = (dir: string, file: string) => readFileSync(join(ASSESSMENTS_DIR, dir, file), 'utf8');
const data = (text: string) => loadText(text).data as Record<string, unknown>;

/** The document every `check` case runs against, and its own snapshot. */
export const CHECK_ASSESSMENT = join(ASSESSMENTS_DIR, 'kakuu-city-kaigo', 'assessment.yaml');
export const CHECK_SNAPSHOT = join(ASSESSMENTS_DIR, 'kakuu-city-kaigo', 'live.yaml');
const cache = new Map<string, Record<string, unknown>>();
/** A fresh copy of a sample (parsed once: the corpus mutates dozens of copies). */
const copyOf = (file: string) => {
  let d = cache.get(file);
  if (!d) cache.set(file, (d = data(sample('kakuu-city-kaigo', file))));
  return structuredClone(d);
};
const baseDoc = () => copyOf('assessment.yaml');
const baseSnap = () => copyOf('live.yaml');
const baseWaivers = () => copyOf('waivers.yaml');

const EDGE_DATES = [
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-02-29T00:00:00+09:00',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-04-01T24:00:00Z',
  '2026-04-01T23:60:00Z',
  '2026-04-01T23:59:60Z',
  '2026-04-01T09:00:00+25:00',
  '2026-04-01',
  '2026-04-01T09:00:00',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '3000-01-01T00:00:00Z',
  '令和8年4月1日',
  '',
  ' ',
  '2026-4-1',
  '20260401T090000Z',
  'NaN',
  'Infinity',
];
const EDGE_DAYS = [
  '9999-12-31',
  '0000-01-01',
  '0001-01-01',
  '2023-02-29',
  '2024-02-29',
  '2026-13-01',
  '2026-02-30',
  '1899-12-31',
  '3000-01-01',
  '+275760-09-13',
  '',
  '2026/04/01',
];
const EDGE_NUMBERS: unknown[] = [
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  0.5,
  -0,
  '1,000',
  '１０００',
  null,
  true,
  [],
  {},
  'NaN',
];
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
];
const CONTROL = Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 9 && i !== 10 && i !== 13);

function aliasBomb(levels: number, width: number): string {
  const lines = [`a: &a [${Array(width).fill('x').join(',')}]`];
  for (let i = 1; i < levels; i++) {
    const p = String.fromCharCode(96 + i);
    const c = String.fromCharCode(97 + i);
    lines.push(
      `${c}: &${c} [${Array(width)
        .fill('*' + p)
        .join(',')}]`,
    );
  }
  return lines.join('\n') + '\n';
}

export function buildCorpus(): HostileCase[] {
  const out: HostileCase[] = [];
  const doc = (name: string, content: string | Buffer, ext: 'yaml' | 'json' = 'yaml') =>
    out.push({ name: `doc: ${name}`, kind: 'document', content, ext });
  const snap = (name: string, content: string | Buffer, ext: 'yaml' | 'json' = 'yaml') =>
    out.push({ name: `snapshot: ${name}`, kind: 'snapshot', content, ext });
  const waivers = (name: string, content: string) =>
    out.push({ name: `waivers: ${name}`, kind: 'waivers', content, ext: 'yaml' });

  // ── YAML structure ──
  for (const depth of [99, 100, 101, 1000, 20_000]) {
    doc(`flow nesting ${depth}`, 'a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n');
    doc(`flow map nesting ${depth}`, 'a: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth) + '\n');
  }
  for (const depth of [101, 2000]) {
    doc(
      `block nesting ${depth}`,
      Array.from({ length: depth }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n',
    );
    doc(
      `block seq nesting ${depth}`,
      Array.from({ length: depth }, (_, i) => ' '.repeat(i * 2) + '- ').join('\n') + 'x\n',
    );
    doc(`JSON nesting ${depth}`, '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), 'json');
  }
  for (const [levels, width] of [
    [9, 9],
    [12, 10],
    [4, 120],
    [20, 2],
  ] as const) {
    doc(`alias bomb ${levels}x${width}`, aliasBomb(levels, width));
  }
  for (const [size, refs] of [
    [1_000_000, 9_000],
    [200_000, 100],
    [100_000, 9],
    [10, 9_999],
  ] as const) {
    doc(
      `alias amplification ${size} chars × ${refs}`,
      `a: &x "${'x'.repeat(size)}"\nb:\n${'  - *x\n'.repeat(refs)}`,
    );
  }
  doc('9,999 aliases of a map', `a: &x {k: v}\nb: [${Array(9_999).fill('*x').join(',')}]\n`);
  doc('aliases as keys', `a: &k key\nb: {*k : 1}\nc: {*k : 2, *k : 3}\n`);
  doc('alias to a map as key', `a: &m {x: 1}\nb: {*m : 1}\n`);
  doc('cyclic alias', 'a: &x [1, *x]\n');
  doc('cyclic alias in a map', 'a: &x {b: *x}\n');
  doc('unknown alias', 'a: *nothing\n');
  doc('redefined anchors', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
  doc('merge key', 'a: &base {x: 1}\nb: {<<: *base, y: 2}\n');
  doc('merge key with __proto__', 'a: &base {__proto__: {polluted: 1}}\nb: {<<: *base}\n');
  doc('complex key', '? [a, b]\n: 1\n');
  doc('long key', `${'k'.repeat(2_000)}: 1\n`);
  doc('many keys', Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n') + '\n');
  doc('many duplicate keys', 'a: 1\n'.repeat(20_000));
  doc('many documents', 'a: 1\n---\n'.repeat(1_000));
  doc('directive YAML 1.1', '%YAML 1.1\n---\na: yes\n');
  doc('TAG directive', '%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n');
  doc('js function tag', 'a: !!js/function "function(){}"\n');
  doc('binary tag', 'a: !!binary aGVsbG8=\n');
  doc('timestamp and set tags', 'a: !!timestamp 2001-12-14\nb: !!set {x, y}\n');
  doc('omap and pairs', 'a: !!omap [x: 1]\nb: !!pairs [x: 1]\n');
  doc('float specials', 'a: .inf\nb: -.inf\nc: .nan\nd: 1e400\ne: 0x1F\nf: 0o17\n');
  doc('unterminated quote', 'a: "abc\n');
  doc('tab indentation', 'a:\n\tb: 1\n');
  doc('only comments', '# nothing\n# here\n');
  doc('empty', '');
  doc('whitespace only', '   \n\n\t\n');
  doc('top-level scalar', 'hello\n');
  doc('top-level sequence', '- a\n- b\n');
  doc('top-level null', 'null\n');
  doc('JSON with syntax error', '{"a": 1,, }', 'json');
  doc('JSON trailing garbage', '{"a": 1} xyz', 'json');
  doc('JSON lone surrogate escape', '{"a": "\\ud800"}', 'json');

  // ── prototype-ish keys, everywhere a key can be ──
  for (const k of PROTO_KEYS) {
    doc(`key ${k} at top`, `${k}:\n  polluted: 1\nform: 重点項目評価書\n`);
    doc(`key ${k} nested`, `a:\n  b:\n    ${k}: {polluted: 1}\n`);
    doc(`key ${k} in JSON`, JSON.stringify({ a: 1 }).replace('{', `{"${k}": {"polluted": 1}, `), 'json');
    const s = baseSnap();
    (s.systems as Record<string, unknown>[])[0][k] = { x: 1 };
    snap(`key ${k} in a system`, JSON.stringify(s).replace(`"${k}"`, `"${k}"`), 'json');
  }

  // ── control characters: each one, in a value and in a key, raw (YAML) and escaped (JSON) ──
  for (const c of CONTROL) {
    const ch = String.fromCharCode(c);
    const hex = c.toString(16).padStart(2, '0');
    doc(`U+00${hex} raw in a value`, `title: "a${ch}b"\nplain: a${ch}b\n`);
    doc(`U+00${hex} escaped in a JSON value`, `{"cover": {"name": "a\\u00${hex}b"}}`, 'json');
    if (c % 4 === 0) doc(`U+00${hex} in a key`, `{"a\\u00${hex}b": 1}`, 'json');
  }
  {
    const d = baseDoc();
    (d.cover as Record<string, unknown>).name = 'NUL\u0000入りの名称';
    doc('real document with NUL in the title', stringify(d));
    doc('real document with NUL in the title (JSON)', JSON.stringify(d), 'json');
    const s = baseSnap();
    (s.systems as Record<string, unknown>[])[0].name = '介護保険\u0000システム';
    snap('NUL in a system name (JSON)', JSON.stringify(s), 'json');
    snap('ESC sequence in a system name', stringify({ ...s, exporter: '\u001b[31m赤\u001b[0m' }));
  }
  doc('DEL and C1 characters (allowed)', 'a: "\u007f\u0085\u009b"\n');
  doc('RTL override and zero-width', 'a: "\u202e\u200b\ufeff"\n');

  // ── encodings ──
  doc('UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]));
  doc('UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]));
  doc('Shift_JIS bytes', Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x3a, 0x20, 0x31, 0x0a]));
  doc('invalid UTF-8', Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
  doc('overlong UTF-8 NUL', Buffer.from([0x61, 0x3a, 0x20, 0xc0, 0x80, 0x0a]));
  doc('raw NUL byte', Buffer.from([0x61, 0x3a, 0x20, 0x00, 0x0a]));
  doc('CR-only line ends', 'a: 1\rb: 2\r');

  // ── type confusion: every top-level item of a real document replaced by each kind of value ──
  const docKeys = Object.keys(baseDoc());
  const weird: unknown[] = ['', 'x', 0, -1, true, null, [], {}, [[[]]], { '': '' }];
  docKeys.forEach((k, i) => {
    for (let j = 0; j < 3; j++) {
      const d = baseDoc();
      d[k] = weird[(i * 3 + j) % weird.length];
      // JSON for most (the same loader; YAML output of a whole document is slow to generate).
      if (j === 0) doc(`top-level ${k} = ${JSON.stringify(d[k])}`, stringify(d));
      else doc(`top-level ${k} = ${JSON.stringify(d[k])}`, JSON.stringify(d), 'json');
    }
  });
  for (const [key, v] of [
    ['form', '__proto__'],
    ['form', 'constructor'],
    ['formVersion', 'toString'],
    ['status', 'hasOwnProperty'],
    ['form', '全項目評価書'],
  ] as const) {
    const d = baseDoc();
    d[key] = v;
    doc(`${key}: ${v}`, stringify(d));
  }

  // ── snapshots: dates at the edges, numbers at the edges, type confusion ──
  for (const asOf of EDGE_DATES) {
    snap(`asOf ${JSON.stringify(asOf)}`, stringify({ ...baseSnap(), asOf }));
  }
  for (const day of EDGE_DAYS) {
    const s = baseSnap();
    const acc = (s.systems as { accounts: Record<string, unknown>[] }[])[0].accounts;
    acc[0].lastLogin = day;
    snap(`lastLogin ${JSON.stringify(day)}`, stringify(s));
  }
  for (const n of EDGE_NUMBERS) {
    const shown = Object.is(n, -0) ? '-0' : JSON.stringify(n);
    snap(`counts.persons ${shown}`, JSON.stringify({ ...baseSnap(), counts: { persons: n } }), 'json');
    const s = baseSnap();
    (s.systems as Record<string, unknown>[])[0].accessLog = { enabled: true, retentionDays: n };
    snap(`retentionDays ${shown}`, JSON.stringify(s), 'json');
  }
  for (const k of Object.keys(baseSnap())) {
    for (const v of [null, 'x', [], 0]) {
      const s = baseSnap();
      s[k] = v;
      snap(`${k} = ${JSON.stringify(v)}`, JSON.stringify(s), 'json');
    }
  }
  snap('organization of another city', stringify({ ...baseSnap(), organization: 'hofu-city' }));
  snap('empty snapshot', '{}', 'json');
  snap('snapshot is an array', '[]', 'json');
  {
    const s = baseSnap();
    const acc = (s.systems as { accounts: unknown[] }[])[0].accounts;
    for (let i = 0; i < 20_000; i++) acc.push({ id: `u${i}`, mfa: i % 2 === 0, lastLogin: '2026-10-01' });
    snap('20,000 accounts (JSON)', JSON.stringify(s), 'json');
    snap('20,000 accounts (YAML)', stringify(s));
  }
  snap(
    'snapshot alias amplification',
    `organization: kakuu-city\nasOf: 2026-11-01T09:00:00+09:00\nx: &x "${'y'.repeat(500_000)}"\nsystems: [${Array(50).fill('{name: *x}').join(',')}]\n`,
  );

  // ── waivers: expiry at the edges, prototype-ish rules ──
  for (const expires of EDGE_DAYS) {
    const w = baseWaivers();
    (w.waivers as Record<string, unknown>[])[0].expires = expires;
    waivers(`expires ${JSON.stringify(expires)}`, stringify(w));
  }
  for (const rule of ['__proto__', 'constructor', 'toString']) {
    const w = baseWaivers();
    (w.waivers as Record<string, unknown>[])[0].rule = rule;
    waivers(`rule ${rule}`, stringify(w));
  }
  waivers('waivers is a string', 'organization: kakuu-city\nwaivers: x\n');

  // ── attestation dates in a real document ──
  for (const day of EDGE_DAYS.slice(0, 8)) {
    const d = baseDoc();
    const text = stringify(d).replace(/(expires: )"?[\d-]+"?/, `$1"${day}"`);
    out.push({ name: `checked: attestation expires ${day}`, kind: 'checked', content: text, ext: 'yaml' });
  }
  return out;
}
