// Pages per second of `pia import` on the 全項目 seed, against bare `pdftotext -layout` of the same PDF,
// measured in the same run (runs alternate, so both see the same machine state; the figure is the ratio
// of the medians). Also shown: `pdftotext -bbox-layout` alone, the extraction the importer runs, so the
// part of the time that is ours is visible.
//
//   npx tsx bench/import.ts [--runs 15] [--warmup 3]
//
// The PDF: the hand encoding of seed 000 (鹿児島市 全項目評価書 素案) rendered by the project's own renderer
// (Chromium) once, before timing.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importPublished } from '../src/import/index.ts';
import { loadDocument } from '../src/load/index.ts';
import { PROJECT_ROOT } from '../src/paths.ts';
import { renderPdfOnce } from '../src/pdf/index.ts';
import { documentTitle, renderAssessmentHtml } from '../src/render/index.ts';
import type { JsonObject } from '../src/types.ts';
import { median } from './lib/measure.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, warmup: { type: 'string' } } });
const runs = Number(values.runs ?? 15);
const warmup = Number(values.warmup ?? 3);

const source = 'assessments/kagoshima-covid-vaccination/assessment.yaml';
const loaded = await loadDocument(join(PROJECT_ROOT, source));
if (!loaded.data) throw new Error(`${source} を読めません`);
const doc = loaded.data as JsonObject;
const dir = mkdtempSync(join(tmpdir(), 'pia-bench-import-'));
const pdfPath = join(dir, 'zenkomoku.pdf');
const pdf = await renderPdfOnce(renderAssessmentHtml(doc), { title: documentTitle(doc) });
writeFileSync(pdfPath, pdf);
const data = readFileSync(pdfPath);

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve()));
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const layout = () => run('pdftotext', ['-q', '-layout', pdfPath, '-']);
const bbox = () => run('pdftotext', ['-q', '-bbox-layout', pdfPath, '-']);
let pages = 0;
const imp = async () => {
  const r = await importPublished({ data, name: 'zenkomoku.pdf' });
  pages = r.report.pages ?? 0;
};

for (let i = 0; i < warmup; i++) {
  await layout();
  await bbox();
  await imp();
}
const tLayout: number[] = [];
const tBbox: number[] = [];
const tImport: number[] = [];
for (let i = 0; i < runs; i++) {
  tLayout.push(await time(layout));
  tBbox.push(await time(bbox));
  tImport.push(await time(imp));
}
rmSync(dir, { recursive: true, force: true });

const fmt = (ms: number) => `${ms.toFixed(1)} ms (${((pages / ms) * 1000).toFixed(1)} ページ/秒)`;
const mL = median(tLayout);
const mB = median(tBbox);
const mI = median(tImport);
console.log(`bench/import: ${source} を描画した PDF ${pages} ページ、${runs} 回 (ウォームアップ ${warmup} 回)、CPU ${cpus().length} 個、負荷 ${loadavg()[0].toFixed(2)}`);
console.log(`  pdftotext -layout (基準)      中央値 ${fmt(mL)}、最速 ${Math.min(...tLayout).toFixed(1)} ms`);
console.log(`  pdftotext -bbox-layout        中央値 ${fmt(mB)}、最速 ${Math.min(...tBbox).toFixed(1)} ms`);
console.log(`  pia import (bbox + 組み立て)  中央値 ${fmt(mI)}、最速 ${Math.min(...tImport).toFixed(1)} ms`);
console.log(`  比 (pia import ÷ pdftotext -layout の時間): ${(mI / mL).toFixed(2)}× — ページ/秒では ${(mL / mI).toFixed(2)} 倍`);
