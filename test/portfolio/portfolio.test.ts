// Many 評価書 in one run: `pia check <dir>` (one report, a section per document, a total, exit 2 > 1 > 0) and
// `pia portfolio <dir>` (every document processed, errors in one never stop the others, a summary page
// listing all). The directory holds one unreadable 評価書 (Shift_JIS bytes), one whose snapshot drifted
// (findings) and one clean, all from the 児童手当 sample.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runInProcess } from '../cli/run.ts';

const SAMPLE = join(ROOT, 'assessments', 'kakuu-city-jidouteate');
let dir: string;

function documentDir(name: string, live: string | undefined): string {
  const d = join(dir, 'portfolio', name);
  mkdirSync(d, { recursive: true });
  copyFileSync(join(SAMPLE, 'assessment.yaml'), join(d, 'assessment.yaml'));
  if (live) copyFileSync(join(SAMPLE, live), join(d, 'live.yaml'));
  return d;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pia-portfolio-test-'));
  documentDir('a-clean', 'live.yaml');
  documentDir('b-drifted', 'live-drifted.yaml');
  const bad = documentDir('c-unreadable', 'live.yaml');
  // 「評価書」 in Shift_JIS: not UTF-8, so the file cannot be read at all (exit 2).
  writeFileSync(join(bad, 'assessment.yaml'), Buffer.from([0x95, 0x5d, 0x89, 0xbf, 0x8f, 0x91, 0x0a]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runInProcess(argv, { cwd: dir });

interface JsonBatch {
  documents: { name: string; status: string; error?: { message: string }; summary?: { error: number } }[];
  total: { documents: number; clean: number; findings: number; unreadable: number };
  exitCode: number;
}

describe('pia check with a directory', () => {
  it('gives per-document results, a total and exit 2 when one document cannot be read', async () => {
    const r = await run(['check', 'portfolio', '--format', 'json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as JsonBatch;
    expect(out.documents.map((d) => [d.name, d.status])).toEqual([
      ['a-clean', 'clean'],
      ['b-drifted', 'findings'],
      ['c-unreadable', 'unreadable'],
    ]);
    expect(out.documents[1].summary?.error).toBeGreaterThan(0);
    expect(out.documents[2].error?.message).toMatch(/UTF-8/);
    expect(out.total).toMatchObject({ documents: 3, clean: 1, findings: 1, unreadable: 1 });
    expect(out.exitCode).toBe(2);
  });

  it('exits 1 when the worst is a finding, 0 when all are clean', async () => {
    const one = await run(['check', 'portfolio/a-clean', 'portfolio/b-drifted']);
    expect(one.code).toBe(1);
    const zero = await run(['check', 'portfolio/a-clean']);
    expect(zero.code).toBe(0);
    expect(zero.stdout).toContain('合計: 評価書 1 件 (問題なし 1、指摘あり 0、読めない 0)');
  });

  it('has a section per document and the total in text, Markdown, JUnit and SARIF', async () => {
    const text = (await run(['check', 'portfolio'])).stdout;
    expect(text).toMatch(/== a-clean — 問題なし/);
    expect(text).toMatch(/== b-drifted — 指摘あり/);
    expect(text).toMatch(/== c-unreadable — 読めない[^\n]*==\n照合できません: /);
    expect(text).toContain('合計: 評価書 3 件 (問題なし 1、指摘あり 1、読めない 1)');

    const md = (await run(['check', 'portfolio', '--format', 'md'])).stdout;
    expect(md.match(/^## /gm)?.length).toBe(4); // three documents and the total
    expect(md).toContain('## 合計');

    const junit = (await run(['check', 'portfolio', '--format', 'junit'])).stdout;
    for (const n of ['a-clean', 'b-drifted', 'c-unreadable'])
      expect(junit).toContain(`testsuite name="portfolio/${n}/assessment.yaml"`);
    expect(junit).toContain('check/unreadable');

    const sarif = JSON.parse((await run(['check', 'portfolio', '--format', 'sarif'])).stdout) as {
      runs: {
        results: { ruleId: string }[];
        properties: { documents: { status: string }[]; total: { documents: number } };
      }[];
    };
    expect(sarif.runs[0].properties.documents.map((d) => d.status)).toEqual([
      'clean',
      'findings',
      'unreadable',
    ]);
    expect(sarif.runs[0].properties.total.documents).toBe(3);
    expect(sarif.runs[0].results.some((x) => x.ruleId === 'check/unreadable')).toBe(true);
  });

  it('pairs by --live-dir (<name>.json|yaml) and by a manifest', async () => {
    const liveDir = join(dir, 'snapshots');
    mkdirSync(liveDir, { recursive: true });
    copyFileSync(join(SAMPLE, 'live-drifted.yaml'), join(liveDir, 'a-clean.yaml'));
    const byDir = await run(['check', 'portfolio/a-clean', '--live-dir', 'snapshots', '--format', 'json']);
    expect((JSON.parse(byDir.stdout) as JsonBatch).documents[0].status).toBe('findings');
    expect(byDir.code).toBe(1);

    writeFileSync(
      join(dir, 'manifest.yaml'),
      'documents:\n  - assessment: portfolio/b-drifted/assessment.yaml\n    live: portfolio/a-clean/live.yaml\n    name: b-as-clean\n',
    );
    const byManifest = await run(['check', '--manifest', 'manifest.yaml', '--format', 'json']);
    const out = JSON.parse(byManifest.stdout) as JsonBatch;
    expect(out.documents.map((d) => [d.name, d.status])).toEqual([['b-as-clean', 'clean']]);
    expect(byManifest.code).toBe(0);
  });

  it('reports a document without a snapshot as unreadable and refuses --live with several documents', async () => {
    documentDir('d-no-live', undefined);
    try {
      const r = await run(['check', 'portfolio/d-no-live', '--format', 'json']);
      expect(r.code).toBe(2);
      expect((JSON.parse(r.stdout) as JsonBatch).documents[0].error?.message).toMatch(
        /ライブ構成が見つかりません/,
      );
    } finally {
      rmSync(join(dir, 'portfolio', 'd-no-live'), { recursive: true, force: true });
    }
    const both = await run(['check', 'portfolio', '--live', 'x.yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--live/);
  });
});

describe('pia portfolio', () => {
  it('processes every document, lists all three on the summary page and exits 2', async () => {
    const r = await run(['portfolio', 'portfolio', '--out-dir', 'out', '--as-of', '2026-12-04', '--no-pdf']);
    expect(r.code).toBe(2);
    // One line per document when not on a terminal.
    expect(r.stderr.match(/^\[\d\/3\] /gm)?.length).toBe(3);
    const md = readFileSync(join(dir, 'out', 'index.md'), 'utf8');
    const html = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    const row = (name: string) => md.split('\n').find((l) => l.includes(`\`${name}\``)) ?? '';
    expect(row('c-unreadable')).toContain('| エラー |');
    expect(row('b-drifted')).toContain('| 要対応 |');
    expect(row('b-drifted')).toContain('| 指摘あり |');
    expect(row('a-clean')).toContain('| 指摘なし |');
    expect(row('a-clean')).toMatch(/令和\d+年\d+月\d+日 \(\d{4}-\d{2}-\d{2}\) 評価書の見直し/);
    expect(md).toContain('評価書 3 件: エラー 1、要対応 1、');
    expect(md).toMatch(/## 処理できなかったもの\n\n- `c-unreadable`: 評価書を読めません: /);
    for (const n of ['a-clean', 'b-drifted', 'c-unreadable']) expect(html).toContain(`<code>${n}</code>`);
    // Deterministic: the same run gives the same page.
    await run(['portfolio', 'portfolio', '--out-dir', 'out2', '--as-of', '2026-12-04', '--no-pdf']);
    expect(readFileSync(join(dir, 'out2', 'index.md'), 'utf8')).toBe(md);
  });

  it('renders a PDF per readable document with one browser and links it', async () => {
    const r = await run(['portfolio', 'portfolio', '--out-dir', 'pdf-out', '--as-of', '2026-12-04']);
    expect(r.code).toBe(2);
    for (const n of ['a-clean', 'b-drifted']) {
      const pdf = readFileSync(join(dir, 'pdf-out', `${n}.pdf`));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    expect(existsSync(join(dir, 'pdf-out', 'c-unreadable.pdf'))).toBe(false);
    const html = readFileSync(join(dir, 'pdf-out', 'index.html'), 'utf8');
    expect(html).toContain('<a href="a-clean.pdf">a-clean.pdf</a>');
    expect(html).toContain('<a href="b-drifted.pdf">b-drifted.pdf</a>');
  }, 180_000);

  it('exits 1 when the worst document needs action and 0 when all are fine', async () => {
    const one = await run([
      'portfolio',
      'portfolio/b-drifted',
      '--out-dir',
      'o1',
      '--as-of',
      '2026-12-04',
      '--no-pdf',
    ]);
    expect(one.code).toBe(1);
    const zero = await run([
      'portfolio',
      'portfolio/a-clean',
      '--out-dir',
      'o0',
      '--as-of',
      '2026-12-04',
      '--no-pdf',
    ]);
    expect(zero.code).toBe(0);
    expect(zero.stdout).toMatch(/評価書 1 件: エラー 0、要対応 0、注意 0、問題なし 1/);
  });
});
