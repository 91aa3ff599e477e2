// pia render end to end: real process, real Chromium, real files; exit codes and Japanese messages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runSpawned } from '../cli/run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pia-render-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const text = (pdf: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });

describe('pia render', () => {
  it('renders one document to the -o file (exit 0); a draft opens with its validation findings, a published one with its cover', async () => {
    const out = join(tmp, 'hofu.pdf');
    const r = await runSpawned(['render', 'assessments/hofu-covid-vaccination/assessment.yaml', '-o', out]);
    expectNoStackTrace(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('を出力しました');
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const t = text(out);
    // 公表: the submitted form, nothing before its cover.
    expect(t).not.toContain('この評価書には検証で見つかった問題があります');
    expect(t.split('\f')[0]).toContain('特定個人情報保護評価書(重点項目評価書)');

    const draftOut = join(tmp, 'kagoshima.pdf');
    const d = await runSpawned(['render', 'assessments/kagoshima-covid-vaccination/assessment.yaml', '-o', draftOut]);
    expect(d.code).toBe(0);
    expect(text(draftOut).split('\f')[0]).toContain('この評価書には検証で見つかった問題があります');
  }, 180_000);

  it('renders a directory of documents with --out-dir, one plain progress line per document when not a TTY', async () => {
    const dir = join(tmp, 'batch');
    const r = await runSpawned(['render', 'assessments', '--out-dir', dir, '--public']);
    expectNoStackTrace(r);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      'hofu-covid-vaccination-public.pdf',
      'kagoshima-covid-vaccination-public.pdf',
      'kakuu-city-jidouteate-public.pdf',
      'kakuu-city-juki-public.pdf',
      'kakuu-city-kaigo-public.pdf',
    ]);
    expect(r.stderr.split('\n').filter((l) => /^\[\d\/5\] /.test(l))).toHaveLength(5);
    expect(text(join(dir, 'kakuu-city-juki-public.pdf'))).toContain('公表用');
  }, 300_000);

  it('--html writes the HTML string', async () => {
    const out = join(tmp, 'kiso.html');
    const r = await runSpawned(['render', 'assessments/kakuu-city-jidouteate/assessment.yaml', '--html', '-o', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('Ⅳ リスク対策');
  });

  it('--strict refuses a document with validation errors (exit 1, nothing written)', async () => {
    const out = join(tmp, 'strict.pdf');
    const r = await runSpawned(['render', 'assessments/hofu-covid-vaccination/assessment.yaml', '-o', out, '--strict']);
    expectNoStackTrace(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('出力しません (--strict)');
    expect(existsSync(out)).toBe(false);
  });

  it('unreadable input, unknown form and a missing browser are Japanese errors with exit 2', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'form: [unclosed\n');
    const r1 = await runSpawned(['render', bad, '-o', join(tmp, 'x.pdf')]);
    expectNoStackTrace(r1);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('評価書として読めないため出力できません');

    const unknown = join(tmp, 'unknown.yaml');
    writeFileSync(unknown, 'form: 謎の評価書\nformVersion: 令和9年\n');
    const r2 = await runSpawned(['render', unknown, '-o', join(tmp, 'y.pdf')]);
    expectNoStackTrace(r2);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('様式を判別できないため出力できません');

    const r3 = await runSpawned(['render', 'no/such/file.yaml']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/見つかりません/);

    const r4 = await runSpawned(['render', 'assessments/kakuu-city-jidouteate/assessment.yaml', '-o', join(tmp, 'z.pdf')], {
      env: { PUPPETEER_EXECUTABLE_PATH: join(tmp, 'no-such-chromium') },
    });
    expectNoStackTrace(r4);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/Chromium/);
    expect(existsSync(join(tmp, 'z.pdf'))).toBe(false);
  }, 180_000);

  it('bad arguments are exit 2', async () => {
    const r = await runSpawned(['render', 'assessments/kakuu-city-juki/assessment.yaml', 'assessments/kakuu-city-kaigo/assessment.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out-dir');
  });
});

describe('pia init', () => {
  it('writes a blank document that names its schema and does not overwrite', async () => {
    const out = join(tmp, 'blank.yaml');
    const r = await runSpawned(['init', '--form', 'juten', '--org', 'example-city', '-o', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('id: "example-city"');
    const again = await runSpawned(['init', '--form', 'juten', '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('上書きしません');
    // A blank draft validates with 未記載 warnings only.
    const v = await runSpawned(['validate', out, '--format', 'json']);
    const report = JSON.parse(v.stdout);
    expect(report.summary.error ?? report.summary.errors ?? 0).toBe(0);
    expect(ROOT).toBeTruthy();
  });
});
