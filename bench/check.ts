// Benchmark of `pia check` on a generated live snapshot, as ratios against a baseline measured in the same
// run (DESIGN §4): JSON.parse + Ajv validation of the same snapshot text. Run: npx tsx bench/check.ts
//
//   1×  : 200 systems, 10,000 accounts, 50 contractors (goal: check ≤ 2× the baseline)
//   10× : 2,000 systems, 100,000 accounts, 500 contractors (goal: time grows at most linearly)
//
// "pia check" here is everything the command does after reading the files: parse the snapshot with line
// positions, parse the 評価書, validate the snapshot, run every rule and control, apply waivers, sort and
// format the report (JSON). It runs in-process and warm (schemas compiled), like the baseline; runs of the
// two are interleaved and medians reported, so background load affects both alike. The 評価書 is the
// fictional 全項目評価書 assessments/kakuu-city-juki (controls bound to two of the systems).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { checkAssessment } from '../src/check/index.ts';
import { loadSnapshotText } from '../src/check/fast-json.ts';
import { loadText } from '../src/load/index.ts';
import { formatDiagnostics } from '../src/report/index.ts';
import { generateSnapshot } from './lib/live-snapshot.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSESSMENT = 'assessments/kakuu-city-juki/assessment.yaml';

// ---- the two sides ----------------------------------------------------------------------------------------
const schemaDir = join(ROOT, 'schemas');
const bareAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats(bareAjv, ['date']);
bareAjv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'defs.schema.json'), 'utf8')));
const bareValidate = bareAjv.compile(JSON.parse(readFileSync(join(schemaDir, 'live-snapshot.schema.json'), 'utf8')));

const assessmentText = readFileSync(join(ROOT, ASSESSMENT), 'utf8');

function baseline(text: string): void {
  const data = JSON.parse(text);
  if (!bareValidate(data)) throw new Error(`generated snapshot is invalid: ${JSON.stringify(bareValidate.errors?.slice(0, 3))}`);
}

const preloaded = loadText(assessmentText, { source: ASSESSMENT });

/** What `pia check` does after reading the two files; `withAssessment` includes parsing the 評価書. */
function piaCheck(text: string, withAssessment = true): number {
  const assessment = withAssessment ? loadText(assessmentText, { source: ASSESSMENT }) : preloaded;
  const snapshot = loadSnapshotText(text, { source: 'live.json' });
  const result = checkAssessment({ assessment, snapshot });
  if (!result.compared) throw new Error(`not compared: ${result.diagnostics[0]?.message}`);
  formatDiagnostics('json', result.diagnostics, { files: [ASSESSMENT] });
  return result.diagnostics.length;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(1)} ms`;

function measure(scale: number, rounds: number) {
  const text = JSON.stringify(generateSnapshot(scale), null, 2);
  let findings = 0;
  // Warm-up: schema compilation, JIT, caches of label paths.
  baseline(text);
  findings = piaCheck(text);
  const base: number[] = [];
  const pia: number[] = [];
  const piaSnapshotOnly: number[] = [];
  for (let r = 0; r < rounds; r++) {
    base.push(time(() => baseline(text)));
    pia.push(time(() => piaCheck(text)));
    piaSnapshotOnly.push(time(() => piaCheck(text, false)));
  }
  return { bytes: text.length, findings, base: median(base), pia: median(pia), snap: median(piaSnapshotOnly) };
}

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7;
console.log(`pia check benchmark (median of ${rounds} interleaved runs; assessment ${ASSESSMENT})`);
const report = (label: string, m: ReturnType<typeof measure>, goal: string) =>
  console.log(
    `${label}: snapshot ${(m.bytes / 1e6).toFixed(1)} MB JSON, ${m.findings} findings\n` +
      `    baseline JSON.parse + Ajv validation          ${ms(m.base)}\n` +
      `    pia check, 評価書 already parsed             ${ms(m.snap)}  ratio ${(m.snap / m.base).toFixed(2)}×${goal}\n` +
      `    pia check, including parsing the 評価書 (95 KB YAML) ${ms(m.pia)}  ratio ${(m.pia / m.base).toFixed(2)}×`,
  );
const one = measure(1, rounds);
report('1×  200 systems / 10,000 accounts / 50 contractors', one, ' (goal ≤ 2×)');
const ten = measure(10, Math.max(3, Math.ceil(rounds / 2)));
report('10× 2,000 systems / 100,000 accounts / 500 contractors', ten, '');
console.log(
  `growth 1× → 10×: pia check ${(ten.snap / one.snap).toFixed(1)}× (${(ten.pia / one.pia).toFixed(1)}× with the 評価書; linear = 10×), baseline ${(ten.base / one.base).toFixed(1)}×`,
);
