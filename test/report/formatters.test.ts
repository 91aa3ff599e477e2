import { describe, expect, it } from 'vitest';
import {
  compareDiagnostics,
  escapeXml,
  formatDiagnostics,
  formatJson,
  formatJunit,
  formatMarkdown,
  formatSarif,
  formatText,
  sortDiagnostics,
  summarize,
  summaryLine,
  toUri,
} from '../../src/report/index.ts';
import type { Diagnostic } from '../../src/types.ts';

const A = 'assessments/a/assessment.yaml';
const B = 'assessments/b/assessment.yaml';

const DIAGS: Diagnostic[] = [
  {
    code: 'schema/enum',
    severity: 'error',
    message: '『x』は選択肢にありません',
    path: '/basic/systems/10/name',
    label: 'Ⅰ › システム11',
    source: B,
    line: 40,
    column: 5,
  },
  {
    code: 'completeness/missing',
    severity: 'warning',
    message: '未記載です: Ⅰ › システム2',
    path: '/basic/systems/1',
    label: 'Ⅰ › システム2',
    source: A,
    line: 12,
  },
  {
    code: 'schema/enum',
    severity: 'error',
    message: 'a | b <c> & `d`\nnext',
    path: '/basic/systems/9/name',
    label: 'Ⅰ › システム10',
    source: A,
    line: 30,
  },
  {
    code: 'consistency/entrust-count',
    severity: 'info',
    message: '件数',
    path: '/files/0/entrustment/count',
    source: A,
    line: 50,
    related: [{ path: '/files/0/entrustment/items', line: 52 }],
  },
  {
    code: 'check/x',
    severity: 'error',
    message: 'waived one',
    path: '/w',
    source: B,
    waived: { justification: '承認済み', approver: '課長', expires: '2030-01-01' },
  },
];

describe('sorting', () => {
  it('orders by source, pointer (indices numerically), code', () => {
    expect(sortDiagnostics(DIAGS).map((d) => `${d.source}${d.path}`)).toEqual([
      `${A}/basic/systems/1`,
      `${A}/basic/systems/9/name`,
      `${A}/files/0/entrustment/count`,
      `${B}/basic/systems/10/name`,
      `${B}/w`,
    ]);
  });
  it('is total and stable: same input, same bytes, whatever the input order', () => {
    const reversed = [...DIAGS].reverse();
    for (const f of ['text', 'json', 'junit', 'sarif', 'markdown'] as const) {
      expect(formatDiagnostics(f, reversed, { files: [B, A] })).toBe(
        formatDiagnostics(f, DIAGS, { files: [A, B] }),
      );
    }
    expect(compareDiagnostics(DIAGS[0], DIAGS[0])).toBe(0);
  });
});

describe('summary', () => {
  it('counts by severity; waived findings do not count', () => {
    expect(summarize(DIAGS, [A, B])).toEqual({ files: 2, error: 2, warning: 1, info: 1 });
    expect(summaryLine({ files: 2, error: 2, warning: 5, info: 0 })).toBe(
      'エラー 2 件、警告 5 件 (2 ファイル)',
    );
    expect(summaryLine({ files: 2, error: 2, warning: 5, info: 1 })).toBe(
      'エラー 2 件、警告 5 件、情報 1 件 (2 ファイル)',
    );
    expect(summaryLine({ files: 1, error: 0, warning: 0, info: 0 })).toBe(
      '問題は見つかりませんでした (1 ファイル)',
    );
    expect(summaryLine({ files: 1, error: 1, warning: 0, info: 0 }, 'en')).toBe(
      '1 error, 0 warnings (1 file)',
    );
  });
});

describe('text', () => {
  it('groups by file: path:line 重大度 code メッセージ [label], summary last', () => {
    const out = formatText(DIAGS, { files: [A, B, 'clean.yaml'] });
    expect(out.split('\n')).toEqual([
      A,
      `  ${A}:12 警告 completeness/missing 未記載です: Ⅰ › システム2`,
      `  ${A}:30 エラー schema/enum a | b <c> & \`d\` next [Ⅰ › システム10]`,
      `  ${A}:50 情報 consistency/entrust-count 件数 [/files/0/entrustment/count]`,
      `      ↳ ${A}:52 (/files/0/entrustment/items)`,
      B,
      `  ${B}:40 エラー schema/enum 『x』は選択肢にありません [Ⅰ › システム11]`,
      `  ${B} エラー check/x waived one [/w] (免除: 承認済み)`,
      'clean.yaml: 問題はありません',
      'エラー 2 件、警告 1 件、情報 1 件 (3 ファイル)',
      '',
    ]);
  });
  it('English', () => {
    expect(formatText(DIAGS.slice(0, 1), { lang: 'en' })).toContain(`${B}:40 error schema/enum`);
  });
});

describe('json', () => {
  it('has a fixed key order, sorted findings and a summary', () => {
    const parsed = JSON.parse(formatJson(DIAGS, { files: [A, B] }));
    expect(Object.keys(parsed)).toEqual(['summary', 'diagnostics']);
    expect(parsed.summary).toEqual({ files: 2, error: 2, warning: 1, info: 1 });
    expect(Object.keys(parsed.diagnostics[0])).toEqual([
      'code',
      'severity',
      'message',
      'path',
      'label',
      'source',
      'line',
    ]);
    expect(Object.keys(parsed.diagnostics[3])).toEqual([
      'code',
      'severity',
      'message',
      'path',
      'label',
      'source',
      'line',
      'column',
    ]);
    expect(parsed.diagnostics[2].related).toEqual([{ path: '/files/0/entrustment/items', line: 52 }]);
    expect(parsed.diagnostics[4].waived).toEqual({
      justification: '承認済み',
      approver: '課長',
      expires: '2030-01-01',
    });
  });
  it('an empty run', () => {
    expect(JSON.parse(formatJson([], { files: [A] }))).toEqual({
      summary: { files: 1, error: 0, warning: 0, info: 0 },
      diagnostics: [],
    });
  });
});

describe('junit', () => {
  const xml = formatJunit(DIAGS, { files: [A, B, 'clean.yaml'] });
  it('one suite per file, failures at or above failOn, a passing case for a clean file', () => {
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pia" tests="6" failures="2" errors="0" skipped="1" time="0">',
      ),
    ).toBe(true);
    expect(xml).toContain(`<testsuite name="${A}" tests="3" failures="1"`);
    // B: one failure and the waived finding, skipped with its justification.
    expect(xml).toContain(`<testsuite name="${B}" tests="2" failures="1" errors="0" skipped="1"`);
    expect(xml).toContain('<skipped message="免除: 承認済み (承認: 課長、期限: 2030-01-01)"/>');
    expect(xml).toContain(
      '<testsuite name="clean.yaml" tests="1" failures="0" errors="0" skipped="0" time="0">\n    <testcase classname="clean.yaml" name="検証" time="0"/>',
    );
    // Below --fail-on: a passing case, its name marked with the severity.
    expect(xml).toContain('name="警告: completeness/missing Ⅰ › システム2"');
    expect(xml).toContain('message="a | b &lt;c&gt; &amp; `d`\nnext"');
  });
  it('--fail-on warning makes warnings failures', () => {
    expect(formatJunit(DIAGS, { failOn: 'warning' })).toContain('failures="3"');
    expect(formatJunit(DIAGS, { failOn: 'info' })).toContain('failures="4"');
  });
  it('escapes XML and drops characters XML cannot carry', () => {
    expect(escapeXml('a\u0001<"\'>&')).toBe('a&lt;&quot;&apos;&gt;&amp;');
  });
});

describe('sarif', () => {
  const sarif = JSON.parse(
    formatSarif(DIAGS, {
      rules: { 'schema/enum': { ja: '選択肢にない値', en: 'Not a choice' } },
      toolVersion: '0.1.0',
    }),
  );
  it('is SARIF 2.1.0 with rules and descriptions', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toContain('sarif-2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('pia');
    expect(driver.version).toBe('0.1.0');
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'check/x',
      'completeness/missing',
      'consistency/entrust-count',
      'schema/enum',
    ]);
    const enumRule = driver.rules[3];
    expect(enumRule.shortDescription.text).toBe('選択肢にない値');
    expect(enumRule.defaultConfiguration.level).toBe('error');
  });
  it('results carry file, line, column, pointer and label; levels map; waivers are suppressions', () => {
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(5);
    const r = results.find(
      (x: { ruleId: string; locations: any[] }) => x.locations[0].physicalLocation.region?.startLine === 40,
    );
    expect(r.ruleIndex).toBe(3);
    expect(r.level).toBe('error');
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: B, uriBaseId: '%SRCROOT%' },
      region: { startLine: 40, startColumn: 5 },
    });
    expect(r.locations[0].logicalLocations[0]).toEqual({
      fullyQualifiedName: '/basic/systems/10/name',
      name: 'Ⅰ › システム11',
      kind: 'member',
    });
    expect(results.find((x: { level: string }) => x.level === 'note')).toBeDefined();
    expect(
      results.find((x: { suppressions?: unknown }) => x.suppressions)?.suppressions[0].justification,
    ).toBe('承認済み');
    expect(results.find((x: any) => x.relatedLocations)?.relatedLocations[0].physicalLocation.region).toEqual(
      { startLine: 52 },
    );
  });
  it('file names become URI references', () => {
    expect(toUri('評価書/a b.yaml')).toBe('%E8%A9%95%E4%BE%A1%E6%9B%B8/a%20b.yaml');
    expect(toUri('a\\b.yaml')).toBe('a/b.yaml');
  });
});

describe('markdown', () => {
  it('a table per file with user text escaped', () => {
    const md = formatMarkdown(DIAGS, { files: [A, B] });
    expect(md.startsWith('# 検証結果\n\nエラー 2 件、警告 1 件、情報 1 件 (2 ファイル)\n')).toBe(true);
    expect(md).toContain(`## ${A}\n\n| 行 | 重大度 | コード | 項目 | メッセージ |\n|---:|---|---|---|---|`);
    expect(md).toContain(
      '| 30 | エラー | `schema/enum` | Ⅰ › システム10 | a \\| b &lt;c&gt; &amp; \\`d\\`<br>next |',
    );
  });
});
