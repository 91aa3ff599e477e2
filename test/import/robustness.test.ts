// Inputs that are not a readable 評価書 get a clear Japanese message and exit 2, never a crash; a page
// missing from the middle is reported as a gap and nothing is filled from elsewhere.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPublished } from '../../src/import/index.ts';
import { renderPdfOnce } from '../../src/pdf/index.ts';
import { dropPage, encryptedPdf, imageOnlyPdf, readSeed, ROOT, runPia, tempDir, write } from './fixtures.ts';

const STACK = /\n\s+at .+:\d+:\d+/;
let tmp: ReturnType<typeof tempDir>;
let notAssessment: string;
let longPdf: string;

beforeAll(async () => {
  tmp = tempDir();
  const page = (i: number) => `<section style="break-after: page"><h1>第${i}章 会議録</h1><p>本日の議題は予算についてです。出席者は十名でした。</p></section>`;
  const html = (n: number) => `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>会議録</title></head><body>${Array.from({ length: n }, (_, i) => page(i + 1)).join('')}</body></html>`;
  notAssessment = write(tmp.dir, 'minutes.pdf', await renderPdfOnce(html(2), { title: '会議録' }));
  longPdf = write(tmp.dir, 'long.pdf', await renderPdfOnce(html(200), { title: '会議録' }));
}, 240_000);

afterAll(() => tmp?.done());

function expectRejected(args: string[], message: RegExp): void {
  const r = runPia(args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stdout).toBe('');
}

describe('pia import refuses what is not a readable 評価書 (exit 2)', () => {
  it('an empty file', () => {
    expectRejected(['import', write(tmp.dir, 'empty.txt', '')], /ファイルが空です/);
  });

  it('text in Shift_JIS', () => {
    const sjis = iconv.encode(readSeed('001').toString('utf8'), 'Shift_JIS');
    expectRejected(['import', write(tmp.dir, 'sjis.txt', sjis)], /UTF-8 として読めません \(Shift_JIS/);
  });

  it('a PDF that is not a 評価書', () => {
    expectRejected(['import', notAssessment], /特定個人情報保護評価書ではありません/);
  });

  it('a 200-page PDF that is not a 評価書', () => {
    expect(execFileSync('pdfinfo', [longPdf], { encoding: 'utf8' })).toMatch(/Pages:\s+200/);
    expectRejected(['import', longPdf], /特定個人情報保護評価書ではありません/);
  });

  it('a scanned PDF without a text layer', () => {
    expectRejected(['import', write(tmp.dir, 'scan.pdf', imageOnlyPdf())], /PDF に文字がありません \(スキャンした画像/);
  });

  it('an encrypted PDF', () => {
    expectRejected(['import', write(tmp.dir, 'locked.pdf', encryptedPdf())], /暗号化 \(パスワード保護\) された PDF/);
  });

  it('a missing file, a directory, a bad option', () => {
    expectRejected(['import', 'no-such-file.pdf'], /ファイルが見つかりません/);
    expectRejected(['import', tmp.dir], /ディレクトリです/);
    expectRejected(['import', '--form', 'x', 'a.pdf'], /--form/);
  });

  it('a form forced onto a non-評価書 is still refused', () => {
    expectRejected(['import', '--form', 'juten', notAssessment], /評価書として読めません/);
  });
});

describe('a page missing from the middle', () => {
  it('is reported as a gap, and its items stay empty', async () => {
    const src = write(tmp.dir, 'hofu.yaml', readFileSync(`${ROOT}/assessments/hofu-covid-vaccination/assessment.yaml`));
    const pdf = `${tmp.dir}/hofu.pdf`;
    const r0 = runPia(['render', src, '-o', pdf]);
    expect(r0.status, r0.stderr).toBe(0);
    const whole = await importPublished({ data: readFileSync(pdf), name: 'hofu.pdf' });
    const pages = whole.report.pages!;
    // The page that holds 「①事務の名称」.
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
    const drop = text.findIndex((p) => p.includes('①事務の名称')) + 1;
    expect(drop).toBeGreaterThan(1);
    const cut = dropPage(pdf, drop, tmp.dir);
    const r = await importPublished({ data: readFileSync(cut), name: 'missing-page.pdf' });
    expect(r.report.pages).toBe(pages - 1);
    expect(r.report.missingPages).toEqual([drop]);
    const jimu = (r.doc.basic as { jimu?: { name?: string } }).jimu;
    expect(jimu?.name).toBeUndefined();
    expect(r.report.gaps.some((g) => g.path.startsWith('/basic/jimu'))).toBe(true);
    const cli = runPia(['import', cut]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`欠落したページ: ${drop}`);
    expect(cli.stderr).not.toMatch(STACK);
  }, 240_000);
});
