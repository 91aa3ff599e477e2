// The loader: positions for pointers, and every hostile input as a finding or an InputError — fast,
// with no exception of another kind and no prototype pollution.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { fromValue, loadDocument, loadText, MAX_DEPTH, MAX_FILE_BYTES } from '../../src/load/index.ts';

const codes = (text: string) => loadText(text, { source: 'x.yaml' }).diagnostics.map((d) => d.code);

describe('loadText: values and positions', () => {
  it('reads YAML with a line for every pointer', () => {
    const r = loadText('a:\n  b:\n    - x\n    - y: 1\n      z: "s"\n', { source: 'x.yaml' });
    expect(r.data).toEqual({ a: { b: ['x', { y: 1, z: 's' }] } });
    expect(r.locate('/a/b/1/y')).toEqual({ line: 4, column: 7 });
    expect(r.locate('/a/b/1/z')).toEqual({ line: 5, column: 7 });
    expect(r.locate('/a/b/0')).toEqual({ line: 3, column: 7 });
    // Unknown pointers fall back to the nearest ancestor that is written.
    expect(r.locate('/a/b/1/missing')).toEqual({ line: 4, column: 7 });
    expect(r.diagnostics).toEqual([]);
  });
  it('reads JSON with the same parser and positions', () => {
    const r = loadText('{\n  "a": {\n    "b": [1, 2]\n  }\n}\n');
    expect(r.data).toEqual({ a: { b: [1, 2] } });
    expect(r.locate('/a/b/1')?.line).toBe(3);
  });
  it('keeps YAML 1.2 semantics: dates and yes/no stay strings', () => {
    expect(loadText('d: 2021-04-12\nb: no\nc: yes\n').data).toEqual({ d: '2021-04-12', b: 'no', c: 'yes' });
  });
  it('escapes ~ and / in pointers', () => {
    const r = loadText('"a/b":\n  "c~d": 1\n');
    expect(r.locate('/a~1b/c~0d')?.line).toBe(2);
  });
});

describe('loadText: hostile input', () => {
  it.each([
    [
      'syntax error, with the line',
      'a: [1, 2\nb: 3\n',
      'load/syntax',
      /YAML の書き方に誤りがあります \(2 行目\)/,
    ],
    ['tab indentation', 'a:\n\tb: 1\n', 'load/syntax', /タブ/],
    ['several documents', 'a: 1\n---\nb: 2\n', 'load/syntax', /複数の YAML 文書/],
    ['empty file', '', 'load/empty', /^ファイルが空です$/],
    ['comments only', '# nothing\n\n', 'load/empty', /^ファイルが空です$/],
    [
      'top-level scalar',
      'hello\n',
      'load/not-mapping',
      /対応表 \(マッピング\) にしてください \(文字列が記載されています\)/,
    ],
    ['top-level sequence', '- 1\n- 2\n', 'load/not-mapping', /配列が記載されています/],
    [
      'duplicate key',
      'a: 1\nb:\n  c: 1\n  c: 2\n',
      'load/duplicate-key',
      /項目名「c」が同じ階層に 2 回以上あります \(最初は 3 行目\)/,
    ],
    ['cyclic alias', 'a: &x [1, *x]\n', 'load/alias-cycle', /循環参照/],
    ['complex key', '? [a, b]\n: 1\n', 'load/complex-key', /項目名 \(キー\) に配列や対応表は使えません/],
  ])('%s', (_name, text, code, message) => {
    const r = loadText(text, { source: 'x.yaml' });
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.message).toMatch(message);
    expect(d!.severity).toBe('error');
    expect(d!.source).toBe('x.yaml');
  });

  it('duplicate keys: the later value is used and validation can go on', () => {
    const r = loadText('a: 1\nb:\n  c: 1\n  c: 2\n');
    expect(r.data).toEqual({ a: 1, b: { c: 2 } });
    expect(r.diagnostics[0]).toMatchObject({ path: '/b/c', line: 4 });
  });

  it.each([
    ['flow', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['flow mappings', '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['block sequences on one line', '- '.repeat(10_000) + 'x\n'],
    ['JSON', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['just over the limit', 'a: ' + '['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1)],
  ])('10,000-deep nesting (%s) is 入れ子が深すぎます', (_name, text) => {
    const r = loadText(text);
    expect(r.data).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['load/too-deep', `入れ子が深すぎます (上限 ${MAX_DEPTH} 段)`],
    ]);
  });

  it('nesting at the limit is fine', () => {
    const depth = MAX_DEPTH - 1;
    expect(loadText('a: ' + '['.repeat(depth) + ']'.repeat(depth)).diagnostics).toEqual([]);
  });

  it('an alias bomb is refused without expanding it', () => {
    const lines = ['a: &a [x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(
        `${cur}: &${cur} [${Array(9)
          .fill('*' + prev)
          .join(',')}]`,
      );
    }
    const r = loadText(lines.join('\n') + '\n');
    expect(r.data).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['load/alias-limit']);
    expect(r.diagnostics[0].message).toContain('エイリアス (*名前) の展開が多すぎます');
  });

  it('ordinary anchors and aliases still work', () => {
    expect(loadText('a: &x {b: 1}\nc: *x\n').data).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it('__proto__, constructor and prototype keys are reported and dropped, never assigned', () => {
    const r = loadText(
      '__proto__:\n  polluted: 1\nconstructor: x\nnested:\n  prototype: {polluted: 1}\nok: 1\n',
    );
    expect(r.data).toEqual({ nested: {}, ok: 1 });
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['load/forbidden-key', '/__proto__'],
      ['load/forbidden-key', '/constructor'],
      ['load/forbidden-key', '/nested/prototype'],
    ]);
    expect(r.diagnostics[0].message).toContain('項目名「__proto__」は使用できません');
  });

  it('JSON __proto__ is treated the same', () => {
    const r = loadText('{"__proto__": {"polluted": true}, "a": 1}');
    expect(r.data).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fromValue (API bodies) applies the same checks to an object with an own __proto__ key', () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const r = fromValue(body);
    expect(r.data).toEqual({ a: 1 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['load/forbidden-key']);
    expect(r.diagnostics[0].line).toBeUndefined();
  });

  it('unknown tags and non-JSON scalars become strings with a warning', () => {
    const r = loadText('a: !foo 1\nb: .inf\nc: !!binary aGk=\n');
    expect(r.data).toEqual({ a: '1', b: '.inf', c: 'aGk=' });
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(codes('b: .nan\n')).toEqual(['load/non-json-value']);
  });
});

describe('loadDocument: files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pia-load-'));
  const file = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it('strips a UTF-8 BOM', async () => {
    const r = await loadDocument(file('bom.yaml', '\uFEFFa: 1\n'));
    expect(r.data).toEqual({ a: 1 });
    expect(r.locate('/a')).toEqual({ line: 1, column: 1 });
  });

  it('names the file as given, resolved against cwd', async () => {
    file('rel.yaml', 'a: 1\n');
    const r = await loadDocument('rel.yaml', { cwd: dir });
    expect(r.source).toBe('rel.yaml');
  });

  const refused = async (path: string) => {
    try {
      await loadDocument(path);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).message;
    }
    throw new Error('not refused');
  };

  it.each([
    [
      'invalid UTF-8',
      () => file('bad.yaml', new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a])),
      /^UTF-8 として読めません/,
    ],
    [
      'Shift_JIS',
      () => file('sjis.yaml', new Uint8Array([0x61, 0x3a, 0x20, 0x82, 0xa0, 0x0a])),
      /UTF-8 として読めません \(Shift_JIS の可能性があります\)/,
    ],
    [
      'UTF-16',
      () => file('u16.yaml', new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x3a, 0x00])),
      /UTF-16 のようです/,
    ],
    ['a missing file', () => join(dir, 'nope.yaml'), /^ファイルが見つかりません$/],
    [
      'a directory',
      () => {
        mkdirSync(join(dir, 'sub'), { recursive: true });
        return join(dir, 'sub');
      },
      /ディレクトリです/,
    ],
    ['a device', () => '/dev/zero', /通常のファイルではありません/],
  ])('%s is an InputError', async (_n, make, message) => {
    expect(await refused(make())).toMatch(message);
  });

  it('a 50 MB file is refused before it is read', async () => {
    const big = file('big.yaml', 'a: "' + 'x'.repeat(50 * 1024 * 1024) + '"\n');
    expect(await refused(big)).toMatch(/^ファイルが大きすぎます \(50\.0 MB、上限 10\.0 MB\)$/);
    expect(MAX_FILE_BYTES).toBe(10 * 1024 * 1024);
  });
});
