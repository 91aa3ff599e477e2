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
import { loadText, type LoadedDocument } from '../src/load/index.ts';
import { formatDiagnostics } from '../src/report/index.ts';
import type { JsonObject } from '../src/types.ts';
import { generateScenario } from './lib/live-snapshot.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSESSMENT = 'assessments/kakuu-city-juki/assessment.yaml';

// ---- the two sides ----------------------------------------------------------------------------------------
const schemaDir = join(ROOT, 'schemas');
const bareAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats(bareAjv, ['date']);
bareAjv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'defs.schema.json'), 'utf8')));
const bareValidate = bareAjv.compile(
  JSON.parse(readFileSync(join(schemaDir, 'live-snapshot.schema.json'), 'utf8')),
);

const base = loadText(readFileSync(join(ROOT, ASSESSMENT), 'utf8'), { source: ASSESSMENT });
if (!base.data) throw new Error(`${ASSESSMENT} does not load`);

function baseline(text: string): void {
  const data = JSON.parse(text);
  if (!bareValidate(data))
    throw new Error(`generated snapshot is invalid: ${JSON.stringify(bareValidate.errors?.slice(0, 3))}`);
}

/** What `pia check` does after reading the files; with `assessmentText`, parsing the 評価書 too. */
function piaCheck(text: string, assessment: LoadedDocument, assessmentText?: string): number {
  const doc = assessmentText ? loadText(assessmentText, { source: ASSESSMENT }) : assessment;
  const snapshot = loadSnapshotText(text, { source: 'live.json' });
  const result = checkAssessment({ assessment: doc, snapshot });
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

function measure(scale: number, rounds: number, drift = true) {
  const { assessment, snapshot } = generateScenario(scale, base.data as JsonObject, { drift });
  const text = JSON.stringify(snapshot, null, 2);
  const assessmentText = JSON.stringify(assessment, null, 2);
  const parsed = loadText(assessmentText, { source: ASSESSMENT });
  // Warm-up: schema compilation, JIT, label-path caches.
  baseline(text);
  const findings = piaCheck(text, parsed);
  const b: number[] = [];
  const p: number[] = [];
  const full: number[] = [];
  for (let r = 0; r < rounds; r++) {
    b.push(time(() => baseline(text)));
    p.push(time(() => piaCheck(text, parsed)));
    if (r < 3) full.push(time(() => piaCheck(text, parsed, assessmentText)));
  }
  return {
    bytes: text.length,
    docBytes: assessmentText.length,
    findings,
    base: median(b),
    pia: median(p),
    full: median(full),
    // On a busy machine the fastest run is closer to the code's own cost than the median.
    minRatio: Math.min(...p) / Math.min(...b),
  };
}

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 9;
console.log(
  `pia check benchmark (median of ${rounds} interleaved runs; 評価書: ${ASSESSMENT} extended to declare the generated systems)`,
);
const report = (label: string, m: ReturnType<typeof measure>, goal: string) =>
  console.log(
    `${label}: snapshot ${(m.bytes / 1e6).toFixed(1)} MB JSON, ${m.findings} findings\n` +
      `    baseline: JSON.parse + Ajv validation of the snapshot   ${ms(m.base)}\n` +
      `    pia check (評価書 parsed once, snapshot checked)        ${ms(m.pia)}  ratio ${(m.pia / m.base).toFixed(2)}×${goal} (fastest runs: ${m.minRatio.toFixed(2)}×)\n` +
      `    pia check including parsing the 評価書 (${(m.docBytes / 1e3).toFixed(0)} KB)       ${ms(m.full)}  ratio ${(m.full / m.base).toFixed(2)}×`,
  );
const one = measure(1, rounds);
report('1×  200 systems / 10,000 accounts / 50 contractors, with drift', one, ' (goal ≤ 2×)');
const clean = measure(1, rounds, false);
report('1×  the same, as declared (a clean run)', clean, ' (goal ≤ 2×)');
const ten = measure(10, Math.max(3, Math.ceil(rounds / 2)));
report('10× 2,000 systems / 100,000 accounts / 500 contractors, with drift', ten, '');
console.log(
  `growth 1× → 10×: pia check ${(ten.pia / one.pia).toFixed(1)}× (linear = 10×); baseline ${(ten.base / one.base).toFixed(1)}×`,
);
