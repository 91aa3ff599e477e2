// Every hostile input of the loader through the real CLI process: a clear Japanese message, exit 1 (a
// finding) or 2 (unreadable), and never a stack trace.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoStackTrace, runSpawned } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'pia-hostile-'));
const file = (name: string, content: string | Uint8Array) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};

const aliasBomb = () => {
  const lines = ['a: &a [x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 9; i++) {
    const p = String.fromCharCode(96 + i);
    const c = String.fromCharCode(97 + i);
    lines.push(
      `${c}: &${c} [${Array(9)
        .fill('*' + p)
        .join(',')}]`,
    );
  }
  return lines.join('\n') + '\n';
};

type Case = [name: string, make: () => string, exit: 1 | 2, message: RegExp];

const CASES: Case[] = [
  [
    'invalid YAML',
    () => file('syntax.yaml', 'form: 重点項目評価書\nstatus: [公表\nx: 1\n'),
    1,
    /YAML の書き方に誤りがあります \(\d+ 行目\)/,
  ],
  ['alias bomb', () => file('bomb.yaml', aliasBomb()), 1, /エイリアス \(\*名前\) の展開が多すぎます/],
  [
    '10,000-deep flow nesting',
    () => file('deep.yaml', 'a: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n'),
    1,
    /入れ子が深すぎます \(上限 100 段\)/,
  ],
  [
    '10,000-deep block nesting',
    () => file('deep2.yaml', '- '.repeat(10_000) + 'x\n'),
    1,
    /入れ子が深すぎます \(上限 100 段\)/,
  ],
  [
    '10,000-deep JSON',
    () => file('deep.json', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)),
    1,
    /入れ子が深すぎます/,
  ],
  [
    'a 50 MB string',
    () => file('big.yaml', 'a: "' + 'x'.repeat(50 * 1024 * 1024) + '"\n'),
    2,
    /ファイルが大きすぎます \(50\.0 MB、上限 10\.0 MB\)/,
  ],
  [
    '__proto__ keys',
    () => file('proto.yaml', '__proto__:\n  polluted: true\nform: 重点項目評価書\n'),
    1,
    /項目名「__proto__」は使用できません/,
  ],
  [
    'constructor / prototype keys in JSON',
    () => file('proto.json', '{"constructor": {"prototype": {"x": 1}}}'),
    1,
    /項目名「constructor」は使用できません/,
  ],
  [
    'invalid UTF-8',
    () => file('bad.yaml', new Uint8Array([0x66, 0x3a, 0x20, 0xc3, 0x28, 0x0a])),
    2,
    /UTF-8 として読めません/,
  ],
  [
    'Shift_JIS',
    () => file('sjis.yaml', new Uint8Array([0x66, 0x3a, 0x20, 0x8f, 0x64, 0x93, 0x5f, 0x0a])),
    2,
    /UTF-8 として読めません \(Shift_JIS の可能性があります\)/,
  ],
  ['an empty file', () => file('empty.yaml', ''), 1, /ファイルが空です/],
  [
    'a directory with no assessment',
    () => {
      mkdirSync(join(dir, 'emptydir'), { recursive: true });
      return join(dir, 'emptydir');
    },
    2,
    /ディレクトリに評価書 \(assessment\.yaml \/ assessment\.yml \/ assessment\.json\) が見つかりません/,
  ],
  ['a missing file', () => join(dir, 'missing.yaml'), 2, /ファイルが見つかりません/],
  [
    'a top-level scalar',
    () => file('scalar.yaml', '評価書\n'),
    1,
    /評価書の最上位は「項目名: 値」の対応表 \(マッピング\) にしてください \(文字列が記載されています\)/,
  ],
  ['a top-level array', () => file('array.json', '[1, 2]'), 1, /配列が記載されています/],
  [
    'duplicate keys',
    () => file('dup.yaml', 'form: 重点項目評価書\nform: 全項目評価書\n'),
    1,
    /項目名「form」が同じ階層に 2 回以上あります \(最初は 1 行目\)/,
  ],
  ['a device instead of a file', () => '/dev/zero', 2, /通常のファイルではありません/],
];

describe('pia validate: hostile input', () => {
  it.concurrent.each(CASES)('%s', async (_name, make, exit, message) => {
    const r = await runSpawned(['validate', make()]);
    expectNoStackTrace(r);
    expect(r.code, r.stdout + r.stderr).toBe(exit);
    expect(r.stdout + r.stderr).toMatch(message);
    // Exit 2 is explained on stderr; exit 1 findings are the report on stdout.
    if (exit === 2) expect(r.stderr).toMatch(/^pia: /);
    else expect(r.stdout).toMatch(/エラー [1-9]\d* 件/);
  });

  it.concurrent('a BOM is stripped: the document is read normally', async () => {
    const r = await runSpawned(['validate', '--format', 'json', file('bom.yaml', '\uFEFFform: x\n')]);
    expectNoStackTrace(r);
    const json = JSON.parse(r.stdout);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual(['schema/unknown-form']);
    expect(json.diagnostics[0].line).toBe(1);
  });

  it.concurrent('several files: one unreadable makes exit 2, the others are still reported', async () => {
    const r = await runSpawned(['validate', file('ok-but-empty.yaml', ''), join(dir, 'missing2.yaml')]);
    expectNoStackTrace(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing2.yaml: ファイルが見つかりません');
    expect(r.stdout).toContain('ファイルが空です');
  });
});
