import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { choiceAt, makeDocument, setAt } from '../fixtures/validate/make-document.ts';
import { expectNoStackTrace, runInProcess } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'pia-cli-'));
const write = (name: string, doc: unknown) => {
  writeFileSync(join(dir, name), stringify(doc));
  return join(dir, name);
};

describe('pia (dispatch)', () => {
  it('--help lists the commands in Japanese', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('使い方: pia <コマンド>');
    expect(r.stdout).toMatch(/validate\s+評価書/);
    expect(r.stdout).toMatch(/threshold\s+しきい値判断/);
  });
  it('no command: help on stderr, exit 2', async () => {
    const r = await runInProcess([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('使い方');
  });
  it('an unknown command suggests the nearest', async () => {
    const r = await runInProcess(['valdate']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toBe('pia: 不明なコマンドです: valdate (validate のことですか?)\n一覧: pia --help\n');
  });
  it.each(['validate', 'threshold'])('pia %s --help', async (cmd) => {
    const r = await runInProcess([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^使い方: pia /);
    expect(r.stdout).toContain('終了コード');
  });
  it('an internal error is one line, without a stack unless PIA_DEBUG=1', async () => {
    const f = write('ok.yaml', makeDocument('kiso-h30'));
    const boom = {
      write: () => {
        throw new TypeError('boom');
      },
    };
    const run = (env: Record<string, string>) => {
      let stderr = '';
      return import('../../src/cli/main.ts').then(async ({ runCli }) => ({
        code: await runCli(['validate', f], {
          stdout: boom,
          stderr: { write: (s: string) => (stderr += s) },
          cwd: dir,
          env,
        }),
        stderr: () => stderr,
      }));
    };
    const quiet = await run({});
    expect(quiet.code).toBe(2);
    expect(quiet.stderr()).toBe(
      'pia: 内部エラー: boom\n(詳細は環境変数 PIA_DEBUG=1 を付けて再実行すると表示されます)\n',
    );
    const loud = await run({ PIA_DEBUG: '1' });
    expect(loud.stderr()).toMatch(/pia: 内部エラー: boom\nTypeError: boom\n\s+at /);
  });
});

describe('pia validate', () => {
  it('a clean document: exit 0', async () => {
    const f = write('clean.yaml', makeDocument('juten-h30'));
    const r = await runInProcess(['validate', f]);
    expectNoStackTrace(r);
    expect(r).toEqual({
      code: 0,
      stdout: `${f}: 問題はありません\n問題は見つかりませんでした (1 ファイル)\n`,
      stderr: '',
    });
  });

  it('a schema error: exit 1, with file:line and label', async () => {
    const doc = makeDocument('juten-h30');
    setAt(doc, '/risks/0/acquisition/risk/sufficiency', '十分ではない');
    const f = write('bad.yaml', doc);
    const r = await runInProcess(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^  ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+ エラー schema/enum 『十分ではない』は選択肢にありません。`,
        'm',
      ),
    );
    expect(r.stdout).toContain('[Ⅲ リスク対策 › 特定個人情報ファイル1 › 2. ');
    expect(r.stdout).toMatch(/エラー 1 件、警告 0 件 \(1 ファイル\)\n$/);
  });

  it('--fail-on: warnings fail only when asked', async () => {
    const doc = makeDocument('kiso-h30');
    setAt(doc, '/status', choiceAt('kiso-h30', '/status', 0)); // 素案
    setAt(doc, '/cover/name', '');
    const f = write('draft.yaml', doc);
    expect((await runInProcess(['validate', f])).code).toBe(0);
    const r = await runInProcess(['validate', '--fail-on', 'warning', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('警告 completeness/missing 未記載です: 表紙 › 評価書名');
  });

  it('--format json is the stable JSON report; --lang en', async () => {
    const doc = makeDocument('zenkomoku-h30');
    setAt(doc, '/cover/name', 7);
    const f = write('en.yaml', doc);
    const r = await runInProcess(['validate', '--format', 'json', '--lang', 'en', f]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ files: 1, error: 1, warning: 0, info: 0 });
    expect(json.diagnostics[0]).toMatchObject({
      code: 'schema/type',
      path: '/cover/name',
      source: f,
      message: 'Write a string (found an integer)',
    });
    expect(typeof json.diagnostics[0].line).toBe('number');
  });

  it.each(['junit', 'sarif', 'markdown'])('--format %s', async (format) => {
    const doc = makeDocument('kiso-h30');
    setAt(doc, '/cover/name', 7);
    const f = write(`${format}.yaml`, doc);
    const r = await runInProcess(['validate', '--format', format, f]);
    expect(r.code).toBe(1);
    if (format === 'sarif')
      expect(JSON.parse(r.stdout).runs[0].tool.driver.rules[0].shortDescription.text).toBe(
        '値の種類 (文字列・数値・一覧など) が違う',
      );
    if (format === 'junit') expect(r.stdout).toContain('<failure type="error"');
    if (format === 'markdown') expect(r.stdout).toContain('| `schema/type` |');
  });

  it('--format sarif: files are relative to the directory they were named from (io.cwd), on %SRCROOT%', async () => {
    const doc = makeDocument('kiso-h30');
    setAt(doc, '/cover/name', 7);
    write('sarif-rel.yaml', doc);
    const r = await runInProcess(['validate', '--format', 'sarif', 'sarif-rel.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'sarif-rel.yaml',
      uriBaseId: '%SRCROOT%',
    });
    // %SRCROOT% is that directory, not the process's working directory.
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(join(dir, '/')).href);
  });

  it('reads JSON documents too', async () => {
    const f = join(dir, 'doc.json');
    writeFileSync(f, JSON.stringify(makeDocument('zenkomoku-h30'), null, 2));
    expect(await runInProcess(['validate', f])).toMatchObject({ code: 0, stderr: '' });
  });

  it('a directory expands to */assessment.yaml', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pia-dir-'));
    const { mkdirSync } = await import('node:fs');
    for (const n of ['b', 'a']) {
      mkdirSync(join(root, n));
      writeFileSync(join(root, n, 'assessment.yaml'), stringify(makeDocument('kiso-h30')));
    }
    const r = await runInProcess(['validate', '.'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'a/assessment.yaml: 問題はありません\nb/assessment.yaml: 問題はありません\n問題は見つかりませんでした (2 ファイル)\n',
    );
  });

  it.each([
    [['validate'], /検証するファイルを指定してください/],
    [
      ['validate', '--format', 'xml', 'x.yaml'],
      /--format には text \/ json \/ junit \/ sarif \/ markdown のいずれかを指定してください \(「xml」が指定されました\)/,
    ],
    [['validate', '--lang', 'fr', 'x.yaml'], /--lang には ja \/ en のいずれか/],
    [['validate', '--fail-on', 'fatal', 'x.yaml'], /--fail-on には error \/ warning \/ info のいずれか/],
    [
      ['validate', '--fromat', 'json', 'x.yaml'],
      /不明なオプションです: --fromat \(--format のことですか\?\)/,
    ],
    [['validate', '--format'], /--format に値を指定してください/],
  ])('bad arguments %j → exit 2', async (argv, message) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('pia threshold', () => {
  it.each([
    [['--persons', '999', '--handlers', '0'], []],
    [['--persons', '1000', '--handlers', '0'], ['基礎項目評価']],
    [
      ['--persons', '10,000', '--handlers', '500'],
      ['基礎項目評価', '重点項目評価'],
    ],
    [
      ['--persons', '100000', '--handlers', '10', '--incident'],
      ['基礎項目評価', '全項目評価'],
    ],
    [
      ['--persons', '１０００００', '--handlers', '10'],
      ['基礎項目評価', '重点項目評価'],
    ],
    [
      ['--persons', '300000', '--handlers', '0'],
      ['基礎項目評価', '全項目評価'],
    ],
  ])('%j → %j', async (args, required) => {
    const r = await runInProcess(['threshold', ...args, '--format', 'json']);
    expect(r).toEqual({ code: 0, stdout: JSON.stringify({ required }) + '\n', stderr: '' });
  });
  it('text output in Japanese', async () => {
    const r = await runInProcess(['threshold', '--persons', '150000', '--handlers', '600']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('しきい値判断: 基礎項目評価及び全項目評価の実施が義務付けられます。');
  });
  it.each([
    [['--handlers', '1'], /--persons \(対象人数\) を指定してください/],
    [['--persons', '1'], /--handlers \(取扱者数\) を指定してください/],
    [
      ['--persons=-5', '--handlers', '1'],
      /--persons \(対象人数\) には 0 以上の整数を指定してください \(「-5」が指定されました\)/,
    ],
    [['--persons', '-5', '--handlers', '1'], /--persons の値がありません \(負の数は指定できません/],
    [['--persons', '1.5', '--handlers', '1'], /0 以上の整数/],
    [['--persons', 'abc', '--handlers', '1'], /0 以上の整数/],
    [['--persons', '1', '--handlers', '1', '--incident=yes'], /--incident には値を指定できません/],
    [['--persons', '1', '--handlers', '1', 'extra'], /余分な引数があります: extra/],
    [['--persons', '99999999999999999999', '--handlers', '1'], /大きすぎます/],
  ])('%j → exit 2', async (args, message) => {
    const r = await runInProcess(['threshold', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r);
  });
});
