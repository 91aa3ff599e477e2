// Cost of `pia diff` (diff + 変更箇所 rows + classification + consequences) against a generic JSON deep diff
// (jsondiffpatch) of the same pair, measured in the same run.
//
//   npx tsx bench/diff.ts [--edits 50] [--runs 500] [--warmup 300] [--seed 42]
//
// The pair: the 全項目 sample (鹿児島市 素案; 架空市 住基 when absent) and a copy with `--edits` scattered
// edits (texts changed, 選択肢 changed, measure parts rewritten/inserted/removed), generated
// deterministically from `--seed`. Runs alternate between the two so that both see the same machine state;
// the figure is the ratio of the medians. Goal: ≤ 3×.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create } from 'jsondiffpatch';
import { buildChangeLog, diffDocuments } from '../src/diff/index.ts';
import { loadDocument } from '../src/load/index.ts';
import { PROJECT_ROOT } from '../src/paths.ts';
import { scatterEdits } from '../test/diff/scatter-edits.ts';

const { values } = parseArgs({
  options: { edits: { type: 'string' }, runs: { type: 'string' }, warmup: { type: 'string' }, seed: { type: 'string' } },
});
const edits = Number(values.edits ?? 50);
const runs = Number(values.runs ?? 500);
// Both sides are JIT-compiled by then: a short warm-up measures the compiler, not the code.
const warmup = Number(values.warmup ?? 300);
const seed = Number(values.seed ?? 42);

const candidates = ['assessments/kagoshima-covid-vaccination/assessment.yaml', 'assessments/kakuu-city-juki/assessment.yaml'];
const file = candidates.find((f) => existsSync(join(PROJECT_ROOT, f)));
if (!file) throw new Error('no 全項目 sample found');
const loaded = await loadDocument(file, { cwd: PROJECT_ROOT });
if (!loaded.data) throw new Error(`cannot load ${file}`);
const a = loaded.data;
const b = scatterEdits(a, 'zenkomoku-h30', edits, seed);

const jdp = create();
const ours = () => buildChangeLog(a, b, { date: '2024-04-01' });
const diffOnly = () => diffDocuments(a, b);
const baseline = () => jdp.diff(a, b);

const time = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cold = time(ours); // first call: schema lookups are cached per pointer pattern from here on
for (let i = 0; i < warmup; i++) {
  ours();
  diffOnly();
  baseline();
}
const tOurs: number[] = [];
const tDiff: number[] = [];
const tBase: number[] = [];
for (let i = 0; i < runs; i++) {
  // Alternate the order so neither always runs right after the other's garbage.
  if (i % 2) {
    tBase.push(time(baseline));
    tOurs.push(time(ours));
  } else {
    tOurs.push(time(ours));
    tBase.push(time(baseline));
  }
  tDiff.push(time(diffOnly));
}

const result = ours();
const mo = median(tOurs);
const mb = median(tBase);
const md = median(tDiff);
const f = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(`pia diff bench — ${file}`);
console.log(`  document: ${(Buffer.byteLength(JSON.stringify(a)) / 1024).toFixed(0)} KiB as JSON (UTF-8), ${edits} scattered edits (seed ${seed})`);
console.log(`  result:   ${result.changes.length} changes → ${result.rows.length} rows (${result.summary.significantRows} 重要な変更)`);
console.log(`  runs:     ${runs} (after ${warmup} warm-up runs; first call ${f(cold)}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
console.log('');
console.log(`  jsondiffpatch.diff (baseline)        median ${f(mb)}`);
console.log(`  diffDocuments (changes only)         median ${f(md)}   ${(md / mb).toFixed(2)}×`);
console.log(`  buildChangeLog (diff+rows+classify)  median ${f(mo)}   ${(mo / mb).toFixed(2)}×  (goal ≤ 3×)`);
