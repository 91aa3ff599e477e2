// `pia diff` end to end: formats, --apply, exit codes and the Japanese errors for bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ChangeRow } from '../../src/types.ts';
import { HOFU, KAGOSHIMA, ROOT, runPia, tempDir } from './helpers.ts';

const PREV = `${HOFU}/previous.yaml`;
const NEXT = `${HOFU}/assessment.yaml`;
const ANN = `${HOFU}/annotations.yaml`;

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at [^\n]+:\d+:\d+/);

describe('formats', () => {
  it('text: the table in Japanese, then the consequences and the procedure', () => {
    const r = runPia(['diff', PREV, NEXT, '--annotations', ANN]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(別添2) 変更箇所 (重点項目評価書) 12 件');
    expect(r.stdout).toContain('変更日　　　　　　  令和4年7月7日');
    expect(r.stdout).toContain('評価の再実施が必要です (変更の前に)。');
    expect(r.stdout).toContain('手続 (重点項目評価書、地方公共団体等):');
    expect(r.stdout).toContain('1. 国民・住民等からの意見の聴取 【任意】');
  });

  it('md: a Markdown table with the schema column titles', () => {
    const r = runPia(['diff', PREV, NEXT, '--annotations', ANN, '--format', 'md']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('| 変更日 | 項目 | 変更前の記載 | 変更後の記載 | 提出時期 | 提出時期に係る説明 |');
    expect(lines.filter((l) => l.startsWith('| 令和4年7月7日 |'))).toHaveLength(12);
  });

  it('yaml: rows ready to paste under changeLog', () => {
    const r = runPia(['diff', PREV, NEXT, '--annotations', ANN, '--format', 'yaml']);
    expect(r.status).toBe(0);
    const rows = parse(r.stdout) as ChangeRow[];
    expect(rows).toHaveLength(12);
    expect(Object.keys(rows[0])).toEqual(['date', 'item', 'before', 'after', 'timing', 'explanation']);
    expect(rows[0].date).toBe('2022-07-07');
  });

  it('an unchanged document: no rows, exit 0', () => {
    const r = runPia(['diff', NEXT, NEXT]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('変更箇所はありません。');
    const j = runPia(['diff', NEXT, NEXT, '--format', 'json']);
    expect(JSON.parse(j.stdout).rows).toEqual([]);
  });

  it('--date sets the 変更日; --lang en the messages', () => {
    const r = runPia(['diff', PREV, NEXT, '--annotations', ANN, '--date', '2022-08-01', '--format', 'json']);
    expect((JSON.parse(r.stdout).rows as ChangeRow[]).every((x) => x.date === '2022-08-01')).toBe(true);
    const en = runPia(['diff', PREV, NEXT, '--lang', 'en']);
    expect(en.stdout).toContain('The assessment must be carried out again');
  });

  it('-o writes the output to a file', () => {
    const dir = tempDir();
    const r = runPia(['diff', PREV, NEXT, '--annotations', ANN, '--format', 'json', '-o', join(dir, 'rows.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'rows.json'), 'utf8')).rows).toHaveLength(12);
  });
});

describe('--apply', () => {
  it('writes the rows into the new version (only its changeLog changes) and pia render prints them', () => {
    const dir = tempDir();
    const target = join(dir, 'assessment.yaml');
    writeFileSync(target, readFileSync(join(ROOT, NEXT), 'utf8').replace(/\nchangeLog:[\s\S]*$/, '\n'));
    const before = readFileSync(target, 'utf8');
    const r = runPia(['diff', PREV, target, '--annotations', ANN, '--apply']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('12 行を書き込みました');
    const after = readFileSync(target, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const rows = (parse(after) as { changeLog: ChangeRow[] }).changeLog;
    expect(rows).toHaveLength(12);
    expect(rows[1].explanation).toBe('重要な変更による評価の再実施（新たなシステムの追加）');

    // A second run replaces the rows of the same date: the file does not change.
    expect(runPia(['diff', PREV, target, '--annotations', ANN, '--apply']).status).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(after);
    // The diff of the applied version is the same (the changeLog is not compared).
    const again = runPia(['diff', PREV, target, '--annotations', ANN, '--format', 'json']);
    expect(JSON.parse(again.stdout).rows).toEqual(rows);

    const html = join(dir, 'out.html');
    const rendered = runPia(['render', target, '--html', '-o', html]);
    expect(rendered.status).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('重要な変更による評価の再実施（新たなシステムの追加）');
    expect(page).toContain('Ⅲ リスク対策 2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。) リスクに対する措置の内容 ④部分');
  });

  it('with -o writes the updated document there and leaves the new version alone', () => {
    const dir = tempDir();
    const out = join(dir, 'applied.yaml');
    const r = runPia(['diff', PREV, NEXT, '--annotations', ANN, '--apply', '-o', out, '--format', 'yaml']);
    expect(r.status).toBe(0);
    expect((parse(readFileSync(out, 'utf8')) as { changeLog: ChangeRow[] }).changeLog).toHaveLength(12);
    expect(readFileSync(join(ROOT, NEXT), 'utf8')).toContain('explanation: その他項目の変更 (新型コロナウイルス感染症予防接種証明書のコンビニ交付の実施)');
  });

  it('refuses to write when an annotation is wrong (exit 1)', () => {
    const dir = tempDir();
    const target = join(dir, 'assessment.yaml');
    writeFileSync(target, readFileSync(join(ROOT, NEXT), 'utf8'));
    const ann = join(dir, 'ann.yaml');
    writeFileSync(ann, 'changes:\n  /files/0/basics/mainItems:\n    timing: 事後\n');
    const r = runPia(['diff', PREV, target, '--annotations', ann, '--apply']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('書き込みませんでした');
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(ROOT, NEXT), 'utf8'));
  });
});

describe('findings (exit 1)', () => {
  it('an annotation for an item that did not change', () => {
    const dir = tempDir();
    const ann = join(dir, 'ann.yaml');
    writeFileSync(ann, 'changes:\n  /basic/jimu/name:\n    reason: 事務の名称の変更\n');
    const r = runPia(['diff', PREV, NEXT, '--annotations', ann]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('エラー diff/annotation-unchanged');
    expect(r.stdout).toContain('注釈「/basic/jimu/name」の項目は、2つの版の間で変更されていません');
    expect(r.stdout).toContain(`(${ann}:2)`);
  });

  it('an annotation that claims 事後 for a 重要な変更', () => {
    const dir = tempDir();
    const ann = join(dir, 'ann.yaml');
    writeFileSync(ann, 'changes:\n  /files/0/basics/mainItems:\n    timing: 事後\n    reason: 新たなシステムの追加\n');
    const r = runPia(['diff', PREV, NEXT, '--annotations', ann, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { rows: ChangeRow[]; findings: { code: string; message: string }[] };
    const f = out.findings.find((x) => x.code === 'diff/significant-after')!;
    expect(f.message).toContain('提出時期は「事前」しかありえません');
    expect(out.rows[1].timing).toBe('事前');
  });

  it('a ※ change nobody judged', () => {
    const r = runPia(['diff', PREV, NEXT, '--format', 'yaml']);
    expect(r.status).toBe(1);
    expect(parse(r.stdout)).toHaveLength(12); // the rows are still printed …
    expect(r.stderr).toContain('警告 diff/significant-unjudged'); // … and the questions go to stderr
  });
});

describe('bad input (exit 2, one Japanese line, no stack trace)', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['documents of different forms', () => ['diff', PREV, KAGOSHIMA], /様式が異なる評価書は比較できません: 変更前は「重点項目評価書 平成30年5月」、変更後は「全項目評価書 平成30年5月」/],
    ['a missing file', () => ['diff', PREV, 'nothing.yaml'], /nothing\.yaml: ファイルが見つかりません/],
    ['one file only', () => ['diff', PREV], /変更前と変更後の2つのファイルを指定してください/],
    ['an unknown format', () => ['diff', PREV, NEXT, '--format', 'pdf'], /--format には text \/ json \/ md \/ yaml/],
    ['a bad date', () => ['diff', PREV, NEXT, '--date', '令和4年7月7日'], /--date は YYYY-MM-DD/],
    ['an unknown option', () => ['diff', PREV, NEXT, '--annotation', ANN], /不明なオプションです: --annotation \(--annotations のことですか\?\)/],
    [
      'a YAML syntax error',
      () => {
        const p = join(tempDir(), 'broken.yaml');
        writeFileSync(p, 'form: 重点項目評価書\n  bad: [\n');
        return ['diff', PREV, p];
      },
      /broken\.yaml: /,
    ],
    [
      'a document of no known form',
      () => {
        const p = join(tempDir(), 'x.yaml');
        writeFileSync(p, 'form: 何かの書類\nformVersion: 1\n');
        return ['diff', PREV, p];
      },
      /様式を判別できません: 何かの書類 1/,
    ],
    [
      'an annotation with an unknown key',
      () => {
        const p = join(tempDir(), 'ann.yaml');
        writeFileSync(p, 'changes:\n  /files/0/basics/mainItems:\n    excepton: 誤字脱字の修正\n');
        return ['diff', PREV, NEXT, '--annotations', p];
      },
      /ann\.yaml: 3行目: 「\/files\/0\/basics\/mainItems」に不明なキー「excepton」があります/,
    ],
    [
      'an exception the 指針 does not know',
      () => {
        const p = join(tempDir(), 'ann.yaml');
        writeFileSync(p, 'changes:\n  /files/0/basics/mainItems:\n    exception: 軽微な変更\n');
        return ['diff', PREV, NEXT, '--annotations', p];
      },
      /exception「軽微な変更」は使えません。次のいずれかです: リスクを明らかに軽減させる変更、/,
    ],
    [
      'a timing other than 事前/事後',
      () => {
        const p = join(tempDir(), 'ann.yaml');
        writeFileSync(p, 'changes:\n  /files/0/acquisition/methods:\n    timing: 事中\n');
        return ['diff', PREV, NEXT, '--annotations', p];
      },
      /timing は「事前」か「事後」です/,
    ],
    [
      'the same item annotated in two files',
      () => {
        const d = tempDir();
        writeFileSync(join(d, 'a.yaml'), 'changes:\n  /files/0/acquisition/methods:\n    timing: 事後\n');
        writeFileSync(join(d, 'b.yaml'), 'changes:\n  /files/0/acquisition/methods:\n    timing: 事前\n');
        return ['diff', PREV, NEXT, '--annotations', join(d, 'a.yaml'), '--annotations', join(d, 'b.yaml')];
      },
      /「\/files\/0\/acquisition\/methods」の注釈が .*a\.yaml にもあります/,
    ],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const r = runPia(args());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.startsWith('pia: ')).toBe(true);
    noStack(r.stderr);
  });

  it('annotations may be split over several files', () => {
    const d = tempDir();
    const all = readFileSync(join(ROOT, ANN), 'utf8');
    const [head, ...entries] = all.split(/\n(?= {2}\/)/);
    writeFileSync(join(d, 'a.yaml'), [head, ...entries.slice(0, 5)].join('\n') + '\n');
    writeFileSync(join(d, 'b.yaml'), ['changes:', ...entries.slice(5)].join('\n') + '\n');
    const r = runPia(['diff', PREV, NEXT, '--annotations', join(d, 'a.yaml'), '--annotations', join(d, 'b.yaml'), '--format', 'json']);
    expect(r.status).toBe(0);
    const single = runPia(['diff', PREV, NEXT, '--annotations', ANN, '--format', 'json']);
    expect(JSON.parse(r.stdout).rows).toEqual(JSON.parse(single.stdout).rows);
  });
});
