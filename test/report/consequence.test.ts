// Issue 16 item 9: the legal consequence of a finding decides its severity (one table), its place in the
// order, and the advice its message may give; every format shows it; the README documents the table.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFiles, CHECK_RULES } from '../../src/check/index.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import {
  CONSEQUENCE_ORDER,
  CONSEQUENCES,
  formatDiagnostics,
  foreignActions,
  REPORT_FORMATS,
  severityName,
  severityOf,
  sortDiagnostics,
} from '../../src/report/index.ts';
import type { Consequence, Diagnostic } from '../../src/types.ts';

/** Every drift the repository can show: each sample's drifted snapshot (with its waivers) and the fixtures. */
async function allDriftFindings(lang: 'ja' | 'en'): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const runs: { assessment: string; snapshot: string; waivers?: string }[] = [];
  for (const d of readdirSync(join(PROJECT_ROOT, 'assessments')).sort()) {
    const base = `assessments/${d}`;
    if (!existsSync(join(PROJECT_ROOT, base, 'live-drifted.yaml'))) continue;
    const waivers = existsSync(join(PROJECT_ROOT, base, 'waivers.yaml')) ? `${base}/waivers.yaml` : undefined;
    runs.push({ assessment: `${base}/assessment.yaml`, snapshot: `${base}/live-drifted.yaml`, ...(waivers ? { waivers } : {}) });
  }
  runs.push({ assessment: 'test/fixtures/check/bad-control.yaml', snapshot: 'test/fixtures/check/bad-control-live.yaml' });
  for (const r of runs) out.push(...(await checkFiles({ ...r, lang, cwd: PROJECT_ROOT })).diagnostics);
  return out;
}

let ja: Diagnostic[];
let en: Diagnostic[];
beforeAll(async () => {
  [ja, en] = await Promise.all([allDriftFindings('ja'), allDriftFindings('en')]);
});

describe('one table decides', () => {
  it('every check finding has a consequence and the severity of that consequence', () => {
    expect(ja.length).toBeGreaterThan(50);
    for (const d of [...ja, ...en]) {
      expect(d.consequence, d.code).toBeDefined();
      expect(d.severity, `${d.code} ${d.consequence}`).toBe(severityOf(d.consequence!));
    }
    // The samples show every consequence.
    expect(new Set(ja.map((d) => d.consequence))).toEqual(new Set(CONSEQUENCE_ORDER));
  });

  it('the mapping: 要再評価・重要な変更・違反 error, 修正 warning, 情報 (確認できない) info', () => {
    expect(Object.fromEntries(CONSEQUENCE_ORDER.map((c) => [c, severityOf(c)]))).toEqual({
      要再評価: 'error',
      重要な変更: 'error',
      違反: 'error',
      修正: 'warning',
      情報: 'info',
    });
  });

  it('findings sort by consequence weight first, then location', () => {
    const sorted = sortDiagnostics(ja);
    const weights = sorted.map((d) => CONSEQUENCE_ORDER.indexOf(d.consequence!));
    expect(weights).toEqual([...weights].sort((a, b) => a - b));
    expect(sorted[0].consequence).toBe('要再評価');
  });
});

describe('messages never disagree with their tag', () => {
  it('no message gives the advice of another consequence (every finding of every sample, ja and en)', () => {
    for (const d of [...ja, ...en]) {
      for (const advice of foreignActions(d.consequence as Consequence)) {
        expect(d.message, `${d.code} 〈${d.consequence}〉`).not.toContain(advice);
      }
      if (d.consequence !== '修正') expect(d.message, d.code).not.toMatch(/評価書を(速やかに)?修正してください/);
      if (d.consequence === '修正' || d.consequence === '違反')
        expect(d.message, d.code).not.toMatch(/評価を再実施/);
    }
  });

  it('no rule writes an advice sentence of its own: it takes it from its consequence (actionFor)', () => {
    const dir = join(PROJECT_ROOT, 'src/check/rules');
    const sentences = (Object.keys(CONSEQUENCES) as Consequence[]).flatMap((c) => [
      CONSEQUENCES[c].action.ja,
      CONSEQUENCES[c].action.en,
    ]);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    // Every registered rule is a file of this directory, so the scan covers every rule.
    for (const id of Object.keys(CHECK_RULES)) expect(files).toContain(`${id}.ts`);
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const s of [...sentences, '評価書を修正してください', '評価を再実施してください']) {
        expect(src, `${f}: write actionFor(consequence) instead of 「${s}」`).not.toContain(s);
      }
    }
  });
});

describe('every format shows the consequence', () => {
  const one: Diagnostic[] = [
    {
      code: 'check/undeclared-subcontractor',
      severity: 'error',
      consequence: '重要な変更',
      message: '再委託先があります',
      path: '/files/0/entrustment/items/0/subcontract/presence',
      label: 'Ⅱ › 4. › 再委託の有無',
      source: 'a.yaml',
      line: 3,
    },
    {
      code: 'check/control-unverifiable',
      severity: 'info',
      consequence: '情報',
      message: '確認できません',
      path: '/risks/0/x',
      source: 'a.yaml',
      line: 9,
    },
  ];
  it.each(REPORT_FORMATS)('%s', (format) => {
    const out = formatDiagnostics(format, one, { files: ['a.yaml'], failOn: 'info' });
    expect(out).toContain('重要な変更');
    expect(out).toContain('情報');
  });
  it('markdown: a 帰結 column on every row', () => {
    const md = formatDiagnostics('markdown', one, { files: ['a.yaml'] });
    expect(md).toContain('| 行 | 重大度 | 帰結 | コード | 項目 | メッセージ |');
    expect(md).toContain('| 3 | エラー | 重要な変更 | `check/undeclared-subcontractor` |');
    expect(md).toContain('| 9 | 情報 | 情報 | `check/control-unverifiable` |');
  });
});

describe('README', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  it('the table of consequences lists each with its severity, 〈情報〉 (確認できない) included', () => {
    for (const c of CONSEQUENCE_ORDER) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${c} `));
      expect(row, c).toBeDefined();
      expect(row).toContain(severityName(severityOf(c)));
    }
    expect(readme).toMatch(/\| 情報 [^\n]*確認できない/);
  });
});
