// Benchmark of `pia check` on a generated live snapshot, as ratios against a baseline measured in the same
// run (DESIGN §4): JSON.parse + Ajv validation of the same snapshot text. Run: npx tsx bench/check.ts
//
//   1×  : 200 systems, 10,000 accounts, 50 contractors (goal: check ≤ 2× the baseline)
//   10× : 2,000 systems, 100,000 accounts, 500 contractors (goal: time grows at most linearly)
//
// What is timed, each warm (schemas compiled) and in-process, interleaved with the baseline round by round
// so background load affects both sides alike. Ratios are of medians, of the fastest runs, and of median
// CPU time (user + system of this process), which a busy shared machine inflates least:
//
//   in memory, prepared   the snapshot text checked against a PreparedAssessment made beforehand — what the
//                         API does per request with its cache (parse, validate, check, format)
//   in memory             the same plus prepareAssessment (the declared model, bindings): what the old bench
//                         called "pia check (評価書 parsed once)"
//   pia check             reading the snapshot file (UTF-8 decoding included) + all of the above: the issue's
//                         definition, everything `pia check` does for the snapshot; its ratio (and the next
//                         line's) is against "baseline (file)": the baseline that reads and decodes the same
//                         file the same way, so decoding is charged to both sides
//   + 評価書 parse         checkFiles end to end: also reading and parsing the 評価書 (YAML, with a position
//                         for every node), which the baseline has no counterpart of
//
// The 評価書 is the fictional 全項目評価書 assessments/kakuu-city-juki, extended to declare the generated
// systems and 委託事項 (controls bound to two of the systems) and written as YAML like a real one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { stringify } from 'yaml';
import {
  checkFiles,
  checkPrepared,
  loadSnapshotText,
  prepareAssessment,
  type PreparedAssessment,
} from '../src/check/index.ts';
import { MAX_SNAPSHOT_BYTES } from '../src/check/run.ts';
import { decodeUtf8, loadText, readTextFile } from '../src/load/index.ts';
import { formatDiagnostics } from '../src/report/index.ts';
import type { JsonObject } from '../src/types.ts';
import { generateScenario } from './lib/live-snapshot.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSESSMENT = 'assessments/kakuu-city-juki/assessment.yaml';
const API_SNAPSHOT = 'assessments/kakuu-city-juki/live-drifted.yaml';

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

/** Check and format as `pia check --format json` does; returns the number of findings. */
function finish(result: ReturnType<typeof checkPrepared>): number {
  if (!result.compared) throw new Error(`not compared: ${result.diagnostics[0]?.message}`);
  formatDiagnostics('json', result.diagnostics, { files: [ASSESSMENT] });
  return result.diagnostics.length;
}

interface Inputs {
  text: string;
  snapshotFile: string;
  assessmentFile: string;
  /** The parsed 評価書 (the loader's document, with positions). */
  assessment: ReturnType<typeof loadText>;
  prepared: PreparedAssessment;
}

const prepare = (a: Inputs['assessment']) =>
  prepareAssessment(a.data as JsonObject, {
    source: ASSESSMENT,
    locate: a.locate,
    diagnostics: a.diagnostics,
  });

const sides = {
  baseline: (x: Inputs) => baseline(x.text),
  // The baseline of `pia check`: the same file read and decoded as UTF-8 the same way (readTextFile's
  // isUtf8 + Buffer#toString), so decoding is charged to both sides alike.
  baselineFile: async (x: Inputs) => {
    const bytes = await readFile(x.snapshotFile);
    baseline(decodeUtf8(bytes, 'live.json'));
  },
  prepared: (x: Inputs) =>
    finish(checkPrepared(x.prepared, loadSnapshotText(x.text, { source: 'live.json' }))),
  memory: (x: Inputs) =>
    finish(checkPrepared(prepare(x.assessment), loadSnapshotText(x.text, { source: 'live.json' }))),
  pia: async (x: Inputs) => {
    const text = await readTextFile(x.snapshotFile, 'live.json', 'ja', MAX_SNAPSHOT_BYTES);
    return finish(checkPrepared(prepare(x.assessment), loadSnapshotText(text, { source: 'live.json' })));
  },
  full: async (x: Inputs) =>
    finish(await checkFiles({ assessment: x.assessmentFile, snapshot: x.snapshotFile })),
} as const;
type Side = keyof typeof sides;

/** Wall time and CPU time (user + system, this process) of one run, in ms. */
async function time(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wall = performance.now() - t;
  const { user, system } = process.cpuUsage(c);
  return { wall, cpu: (user + system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;
const dir = mkdtempSync(join(tmpdir(), 'pia-bench-check-'));

async function measure(scale: number, rounds: number, drift = true) {
  const { assessment, snapshot } = generateScenario(scale, base.data as JsonObject, { drift });
  const text = JSON.stringify(snapshot, null, 2);
  const snapshotFile = join(dir, `live-${scale}-${drift}.json`);
  const assessmentFile = join(dir, `assessment-${scale}-${drift}.yaml`);
  writeFileSync(snapshotFile, text);
  const assessmentYaml = stringify(assessment);
  writeFileSync(assessmentFile, assessmentYaml);
  const loaded = loadText(assessmentYaml, { source: ASSESSMENT });
  const x: Inputs = { text, snapshotFile, assessmentFile, assessment: loaded, prepared: prepare(loaded) };
  // Warm-up: schema compilation, JIT, label caches.
  const findings = await sides.full(x);
  for (const side of Object.keys(sides) as Side[]) await sides[side](x);
  const t: Record<Side, { wall: number; cpu: number }[]> = {
    baseline: [],
    baselineFile: [],
    prepared: [],
    memory: [],
    pia: [],
    full: [],
  };
  for (let r = 0; r < rounds; r++) {
    // A different order each round, so no side always runs right after the same neighbour's garbage.
    const order = (Object.keys(sides) as Side[]).filter((s) => s !== 'full' || r % 3 === 0);
    for (let k = 0; k < order.length; k++) {
      const side = order[(k + r) % order.length];
      t[side].push(await time(() => sides[side](x)));
    }
  }
  const stat = (s: Side) => ({
    median: median(t[s].map((x) => x.wall)),
    min: Math.min(...t[s].map((x) => x.wall)),
    cpu: median(t[s].map((x) => x.cpu)),
  });
  return {
    bytes: Buffer.byteLength(text),
    docBytes: Buffer.byteLength(assessmentYaml),
    findings,
    baseline: stat('baseline'),
    baselineFile: stat('baselineFile'),
    prepared: stat('prepared'),
    memory: stat('memory'),
    pia: stat('pia'),
    full: stat('full'),
  };
}

type Measurement = Awaited<ReturnType<typeof measure>>;

function report(label: string, m: Measurement, goal: string): void {
  // In-memory sides against the in-memory baseline; sides that read the file against the baseline that
  // reads and decodes the same file.
  const line = (name: string, s: Measurement['baseline'], suffix = '', b = m.baseline) =>
    `    ${name.padEnd(58)}${ms(s.median)}  ${(s.median / b.median).toFixed(2)}×  ` +
    `(fastest runs ${(s.min / b.min).toFixed(2)}×, CPU time ${(s.cpu / b.cpu).toFixed(2)}×)${suffix}`;
  console.log(
    [
      `${label}: snapshot ${(m.bytes / 1e6).toFixed(1)} MB JSON, ${m.findings} findings`,
      `    ${'baseline: JSON.parse + Ajv validation of the snapshot'.padEnd(58)}${ms(m.baseline.median)}` +
        `  (CPU ${m.baseline.cpu.toFixed(1)} ms)`,
      `    ${'baseline (file): reading + UTF-8 decoding + the same'.padEnd(58)}${ms(m.baselineFile.median)}` +
        `  (CPU ${m.baselineFile.cpu.toFixed(1)} ms)`,
      line('in memory, 評価書 prepared beforehand (API with its cache)', m.prepared),
      line('in memory, preparing the 評価書 (the old bench’s figure)', m.memory),
      line(
        'pia check: reading the file + parse, validate, check, format',
        m.pia,
        `${goal} vs baseline (file)`,
        m.baselineFile,
      ),
      line(
        `pia check + reading and parsing the 評価書 (${(m.docBytes / 1e3).toFixed(0)} KB YAML)`,
        m.full,
        ' vs baseline (file)',
        m.baselineFile,
      ),
    ].join('\n'),
  );
}

/** Per request of the API: a small snapshot (the sample's live-drifted.yaml as JSON), many times. */
function measureApi(rounds: number) {
  const snapshotText = JSON.stringify(loadText(readFileSync(join(ROOT, API_SNAPSHOT), 'utf8')).data);
  const prepared = prepare(base);
  const perCall = (fn: () => unknown) => {
    const n = 200;
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t) / n;
  };
  const cached = () => checkPrepared(prepared, loadSnapshotText(snapshotText, { source: 'live.json' }));
  const uncached = () =>
    checkPrepared(prepare(base), loadSnapshotText(snapshotText, { source: 'live.json' }));
  cached();
  uncached();
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(perCall(cached));
    b.push(perCall(uncached));
  }
  return {
    bytes: snapshotText.length,
    cached: median(a),
    uncached: median(b),
    prepare: median(b) - median(a),
  };
}

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;
try {
  console.log(
    `pia check benchmark (median of ${rounds} interleaved runs, of ${Math.ceil(rounds / 3)} for the end-to-end line; 評価書: ${ASSESSMENT} extended to declare the generated systems)`,
  );
  const one = await measure(1, rounds);
  report('1×  200 systems / 10,000 accounts / 50 contractors, with drift', one, '  (goal ≤ 2×)');
  const clean = await measure(1, rounds, false);
  report('1×  the same, as declared (a clean run)', clean, '  (goal ≤ 2×)');
  const ten = await measure(10, Math.max(3, Math.ceil(rounds / 3)));
  report('10× 2,000 systems / 100,000 accounts / 500 contractors, with drift', ten, '');
  const growth = (k: 'baseline' | 'pia' | 'full') => (ten[k].median / one[k].median).toFixed(1);
  console.log(
    `growth 1× → 10× (linear = 10×): pia check ${growth('pia')}×, with the 評価書 parse ${growth('full')}×; baseline ${growth('baseline')}×`,
  );
  const api = measureApi(Math.max(3, Math.ceil(rounds / 3)));
  console.log(
    `API-sized snapshot (${API_SNAPSHOT} as ${(api.bytes / 1e3).toFixed(0)} KB JSON), per check: ` +
      `${api.cached.toFixed(3)} ms with a cached PreparedAssessment, ${api.uncached.toFixed(3)} ms preparing each time ` +
      `(prepareAssessment ${api.prepare.toFixed(3)} ms)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
